import { CandidateCheck } from '../../../../lambda/semantic/same-question/candidate-check';
import { encodeFacts, literalTag, questionFacts } from '../../../../lambda/semantic/same-question/facts';

describe('CandidateCheck', () => {
  it('accepts the same question from decoded or stored facts', () => {
    const check = new CandidateCheck('Where is Las Vegas?', 'on');
    expect(check.accepts(questionFacts('Where is Las Vegas located?'), 0.91)).toBe(true);
    expect(check.accepts(encodeFacts(questionFacts('Where is Las Vegas located?')), 0.91)).toBe(true);
    expect(check.rejection).toBeUndefined();
  });

  it('remembers the nearest rejected neighbour, whatever order they come in', () => {
    const check = new CandidateCheck('Convert 5 miles to kilometers', 'on');
    expect(check.accepts(questionFacts('Convert 6 miles to kilometers'), 0.95)).toBe(false);
    expect(check.accepts(questionFacts('Convert 5 miles to meters'), 0.98)).toBe(false);
    expect(check.accepts(questionFacts('Convert 7 miles to kilometers'), 0.96)).toBe(false);
    expect(check.rejection).toEqual({ reason: 'entity-mismatch', similarity: 0.98 });
  });

  it('rejects every substitution when strict', () => {
    expect(new CandidateCheck('How do I fix a flat tire?', 'on').accepts(questionFacts('How do I repair a flat tire?'), 0.99)).toBe(true);
    expect(new CandidateCheck('How do I fix a flat tire?', 'strict').accepts(questionFacts('How do I repair a flat tire?'), 0.99)).toBe(false);
  });

  it('gives equal tags to equal literals and names the differing class from a tag', () => {
    const check = new CandidateCheck('Send 5 files to bob@example.com', 'on');
    expect(check.tag).toBe(literalTag(questionFacts('Could you send 5 files to bob@example.com?')));
    expect(check.tag).toMatch(/^[a-z0-9]+$/);
    check.rejectByTag(literalTag(questionFacts('Send 5 files to alice@example.com')), 0.97);
    expect(check.rejection).toEqual({ reason: 'email-mismatch', similarity: 0.97 });
    check.rejectByTag(undefined, 0.99);
    expect(check.rejection).toEqual({ reason: 'unchecked-entry', similarity: 0.99 });
  });

  it('remembers a neighbour its owner rejected as rejected-by-owner when it is the nearest rejected one', () => {
    const check = new CandidateCheck('Convert 5 miles to kilometers', 'on');
    check.accepts(questionFacts('Convert 6 miles to kilometers'), 0.95);
    check.rejectedByOwner(0.93);
    expect(check.rejection).toEqual({ reason: 'number-mismatch', similarity: 0.95 });
    check.rejectedByOwner(0.97);
    expect(check.rejection).toEqual({ reason: 'rejected-by-owner', similarity: 0.97 });
  });

  it('reads a stored form with the asked classes at once, and one that is malformed, of another version or with another literal as before', () => {
    const prompt = 'Send 5 files to bob@example.com before the deadline';
    const stored = encodeFacts(questionFacts('Please send 5 files to bob@example.com before the deadline'));
    const cases: [string, string | undefined][] = [
      [stored, undefined],
      [`${stored}\u001fmore`, 'unchecked-entry'],
      [stored.slice(0, stored.lastIndexOf('\u001f')), 'unchecked-entry'],
      [`sq1${stored.slice(3)}`, 'unchecked-entry'],
      [stored.replace('5', '6'), 'number-mismatch'],
      [stored.replace('bob@', 'ann@'), 'email-mismatch'],
    ];
    for (const [form, reason] of cases) {
      const check = new CandidateCheck(prompt, 'on');
      expect({ form, accepted: check.accepts(form, 0.97), reason: check.rejection?.reason }).toEqual({ form, accepted: reason === undefined, reason });
    }
  });
});
