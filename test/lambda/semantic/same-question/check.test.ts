import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SUBSTITUTION_BAR, sameQuestion, type RejectReason } from '../../../../lambda/semantic/same-question/check';
import { decodeFacts, encodeFacts, questionFacts } from '../../../../lambda/semantic/same-question/facts';

const ON = { substitutionBar: DEFAULT_SUBSTITUTION_BAR };

function verdict(a: string, b: string, similarity = 0.97): RejectReason | null {
  return sameQuestion(questionFacts(a), questionFacts(b), similarity, ON);
}

describe('same-question check: protected literals must be identical', () => {
  it.each<[string, string, RejectReason]>([
    ['Convert 5 miles to kilometers', 'Convert 6 miles to kilometers', 'number-mismatch'],
    ['What is the status of order 18273?', 'What is the status of order 18274?', 'number-mismatch'],
    ['What is new in Python 3.12?', 'What is new in Python 3.11?', 'number-mismatch'],
    ['What happened in 1969?', 'What happened in 1970?', 'number-mismatch'],
    ['Set an alarm for 7:30', 'Set an alarm for 7:45', 'number-mismatch'],
    ['Is $19.99 a fair price?', 'Is $29.99 a fair price?', 'number-mismatch'],
    ['What is the 3rd planet from the sun?', 'What is the 4th planet from the sun?', 'number-mismatch'],
    ['What is the third planet from the sun?', 'What is the fourth planet from the sun?', 'number-mismatch'],
    ['How long to boil three eggs?', 'How long to boil four eggs?', 'number-mismatch'],
    ['What is 10 divided by 2?', 'What is 2 divided by 10?', 'number-mismatch'],
    ['Is it safe to take ibuprofen with alcohol?', 'Is it safe to take ibuprofen without alcohol?', 'negation-mismatch'],
    ['How do I reset my password?', 'How do I not reset my password?', 'negation-mismatch'],
    ['Why does my build pass?', "Why doesn't my build pass?", 'negation-mismatch'],
    ['Translate "good morning" to French', 'Translate "good night" to French', 'quoted-mismatch'],
    ['Send it to bob@example.com', 'Send it to alice@example.com', 'email-mismatch'],
    ['Summarise https://example.com/a', 'Summarise https://example.com/b', 'url-mismatch'],
    ['What does /etc/hosts do?', 'What does /etc/passwd do?', 'path-mismatch'],
    ['What does `useEffect` do in React?', 'What does `useMemo` do in React?', 'identifier-mismatch'],
    ['What does getUserName return?', 'What does getUserId return?', 'identifier-mismatch'],
    ['What is max_connections for?', 'What is max_clients for?', 'identifier-mismatch'],
    ['What does os.path.join do?', 'What does os.path.split do?', 'identifier-mismatch'],
    ['Where is my package 1Z999AA10123456784?', 'Where is my package 1Z999AA10123456785?', 'number-mismatch'],
    ['What changed in v1.2.3?', 'What changed in v1.2.4?', 'number-mismatch'],
    ['How far is 10km in miles?', 'How far is 12km in miles?', 'number-mismatch'],
    ['Plan a three-day trip to Lisbon', 'Plan a four-day trip to Lisbon', 'number-mismatch'],
    ['Exercises for a ten-year-old swimmer', 'Exercises for an eight-year-old swimmer', 'number-mismatch'],
  ])('%s / %s: %s', (a, b, reason) => {
    expect(verdict(a, b, 0.999)).toBe(reason);
  });

  it.each([
    ['What is five plus five?', 'What is 5 plus 5?'],
    ['What is twenty five times two?', 'What is 25 times 2?'],
    ['How far is 1,000 miles in km?', 'How far is 1000 miles in km?'],
    ["Why isn't my code compiling?", 'Why is my code not compiling?'],
    ['Convert 5 miles to kilometers', 'Could you convert 5 miles to kilometers?'],
    ['How far is 10km in miles?', 'How far is 10 km in miles?'],
    ['Plan a twenty-five day budget', 'Plan a 25 day budget'],
    ['How do I zoom-in on a map?', 'How can I zoom-in on a map?'],
  ])('keeps the same literals written another way: %s / %s', (a, b) => {
    expect(verdict(a, b)).toBeNull();
  });
});

describe('same-question check: swaps the literals miss', () => {
  it.each<[string, string, RejectReason]>([
    ['What time does the store open on Monday?', 'What time does the store open on Sunday?', 'entity-mismatch'],
    ['What is the capital of France?', 'What is the capital of Germany?', 'entity-mismatch'],
    ['How do I say hello in Spanish?', 'How do I say hello in Italian?', 'entity-mismatch'],
    ['How do I read a file in Python?', 'How do I read a file in Java?', 'entity-mismatch'],
    ['What is the largest planet?', 'What is the smallest planet?', 'antonym-mismatch'],
    ['How do I increase my credit score?', 'How do I decrease my credit score?', 'antonym-mismatch'],
    ['Convert Celsius to Fahrenheit', 'Convert Fahrenheit to Celsius', 'order-mismatch'],
    ['Is Texas bigger than France?', 'Is France bigger than Texas?', 'order-mismatch'],
    ['Is it possible to recover deleted files?', 'Is it impossible to recover deleted files?', 'negation-mismatch'],
    ['How do I zoom in on a Mac?', 'How do I zoom out on a Mac?', 'antonym-mismatch'],
    ['Which country has the most islands?', 'Which country has the fewest islands?', 'antonym-mismatch'],
    ['What causes blood pressure to go up?', 'What causes blood pressure to go down?', 'antonym-mismatch'],
    ['How many grams are in a pound?', 'How many grams are in an ounce?', 'entity-mismatch'],
    ['Translate this sentence to Swedish', 'Translate this sentence to Danish', 'entity-mismatch'],
    ['How long is a 40 km bike ride?', 'How long is a 40 mi bike ride?', 'entity-mismatch'],
    ['Is 200 mg of caffeine a lot?', 'Is 200 g of caffeine a lot?', 'entity-mismatch'],
    ['Which is the fastest way to learn chess?', 'Which is the slowest way to learn chess?', 'antonym-mismatch'],
    ['How do I make bread more chewy?', 'How do I make bread less chewy?', 'antonym-mismatch'],
  ])('%s / %s: %s, whatever the similarity', (a, b, reason) => {
    expect(verdict(a, b, 0.999)).toBe(reason);
  });

  it('rejects another content word below the substitution bar and accepts it above', () => {
    expect(verdict('How do I fix a flat tire?', 'How do I repair a flat tire?', DEFAULT_SUBSTITUTION_BAR - 0.01)).toBe('substitution');
    expect(verdict('How do I fix a flat tire?', 'How do I repair a flat tire?', DEFAULT_SUBSTITUTION_BAR)).toBeNull();
  });

  it('rejects every substitution when the bar is above any similarity (strict)', () => {
    expect(sameQuestion(questionFacts('How do I fix a flat tire?'), questionFacts('How do I repair a flat tire?'), 1, { substitutionBar: Infinity })).toBe('substitution');
  });

  it.each([
    ['Where is Las Vegas?', 'Where is Las Vegas located?'],
    ['How can I reset my password?', 'How do I reset my password?'],
    ['Can you please tell me how to boil an egg?', 'How do I boil an egg?'],
    ['How do I get from Boston to Chicago?', 'How do I get to Chicago from Boston?'],
    ['Convert Celsius to Fahrenheit', 'How do I convert Celsius into Fahrenheit?'],
  ])('lets a rewording or an addition through at any similarity: %s / %s', (a, b) => {
    expect(verdict(a, b, 0.9)).toBeNull();
  });
});

describe('same-question check: a prompt against itself', () => {
  it('accepts a word that is both a particle and an argument ("Up to 17 attributes ...")', () => {
    expect(verdict('Up to 17 attributes can be specified.', 'Up to 17 attributes can be specified.', 0.9)).toBeNull();
    expect(verdict('Can I scale up to 5 nodes?', 'Can I scale up to 5 nodes?', 0.9)).toBeNull();
  });

  it('accepts every prompt of the evaluation sets against itself, at any level and similarity', () => {
    const dir = join(__dirname, '../../../../eval/semantic');
    const prompts = readdirSync(dir)
      .filter((file) => file.endsWith('.jsonl'))
      .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter((line) => line.trim() !== ''))
      .flatMap((line) => {
        const pair = JSON.parse(line) as { a: string; b: string };
        return [pair.a, pair.b];
      });
    expect(prompts.length).toBeGreaterThan(1000);
    const rejected = prompts.filter((prompt) => sameQuestion(questionFacts(prompt), questionFacts(prompt), 0, { substitutionBar: Infinity }) !== null);
    expect(rejected).toEqual([]);
  });
});

describe('same-question check: stored facts', () => {
  it('treats an entry stored without facts as rejected (unchecked-entry)', () => {
    expect(sameQuestion(questionFacts('Where is Las Vegas?'), undefined, 1, ON)).toBe('unchecked-entry');
  });

  it('round-trips the stored form and refuses another format', () => {
    const facts = questionFacts('Convert 5 miles to "kilometers" for bob@example.com, not /tmp/x');
    expect(decodeFacts(encodeFacts(facts))).toEqual(facts);
    expect(decodeFacts('{"v":1}')).toBeUndefined();
    expect(decodeFacts(undefined)).toBeUndefined();
  });
});
