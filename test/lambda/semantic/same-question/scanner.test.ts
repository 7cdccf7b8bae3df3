import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFacts, decodeMatched, encodeFacts, listFields, questionFacts } from '../../../../lambda/semantic/same-question/facts';

const prompts = ['pairs.jsonl', 'fresh.jsonl'].flatMap((name) =>
  readFileSync(join(__dirname, '../../../../eval/semantic', name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      const pair = JSON.parse(line) as { a: string; b: string };
      return [pair.a, pair.b];
    }),
);

describe('same-question scanner', () => {
  it('reads a literal the same in a run of its own as inside a longer run of text', () => {
    const alone = questionFacts('reads /var/data/x.csv and mails ops@example.com about parse_rows() and camelCase with 3.12');
    const bracketed = questionFacts('reads (/var/data/x.csv), and mails [ops@example.com]. about [parse_rows()]: and camelCase! with (3.12).');
    expect(alone.classes).toEqual(['3.12', '', '', 'ops@example.com', '', '/var/data/x.csv', 'parse_rows()\u001ecamelCase']);
    expect(bracketed.classes).toEqual(alone.classes);
  });

  it('takes a dotted name with a digit before its dot, and an upper-case WWW., as the earlier passes did: by what the rest of the prompt holds', () => {
    // "x5.y" is an identifier only when the identifier pass runs, which another identifier's tell decides.
    expect(questionFacts('run x5.yz now').classes[6]).toBe('');
    expect(questionFacts('run x5.yz with snake_case').classes[6]).toBe('x5.yz\u001esnake_case');
    // "WWW.x" is a URL only when a "www." or "://" elsewhere runs the URL pass.
    expect(questionFacts('see /a/WWW.b/c').classes[5]).toBe('/a/WWW.b/c');
    expect(questionFacts('see /a/WWW.b/c and www.c.org').classes[4]).toBe('www.b/c\u001ewww.c.org');
  });

  it('reads a Windows path with spaces in its folders, which runs across white space, and ends it at its last name', () => {
    expect(questionFacts('open C:\\Program Files\\app.exe').classes[5]).toBe('C:\\Program Files\\app.exe');
    expect(questionFacts('open C:\\Windows\\System32\\drivers\\etc\\hosts as administrator').classes[5]).toBe('C:\\Windows\\System32\\drivers\\etc\\hosts');
  });

  it('gives the same facts after its word table has been emptied (more distinct words than it keeps)', () => {
    const before = prompts.slice(0, 50).map((prompt) => encodeFacts(questionFacts(prompt)));
    for (let i = 0; i < 5000; i++) questionFacts(`word${String.fromCharCode(97 + (i % 26))}x${'q'.repeat(i % 7)}${String.fromCharCode(97 + Math.floor(i / 26) % 26)}${String.fromCharCode(97 + Math.floor(i / 676) % 26)}`);
    expect(prompts.slice(0, 50).map((prompt) => encodeFacts(questionFacts(prompt)))).toEqual(before);
  });

  it('decodes a stored form whose classes match the asked prompt\'s as decodeFacts does, its own fields or others', () => {
    let others = 0;
    for (let i = 0; i + 1 < prompts.length; i += 2) {
      const asked = questionFacts(prompts[i]!);
      for (const prompt of [prompts[i]!, prompts[i + 1]!, '', 'a--b', 'to']) {
        const stored = encodeFacts(questionFacts(prompt));
        const full = decodeFacts(stored)!;
        if (full.classes.join() !== asked.classes.join()) continue;
        if (prompt !== prompts[i]) others++;
        expect(decodeMatched(stored, asked, listFields(asked))).toEqual(full);
      }
    }
    expect(others).toBeGreaterThan(100);
  });
});
