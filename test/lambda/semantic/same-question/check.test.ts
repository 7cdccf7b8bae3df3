import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SUBSTITUTION_BAR, sameQuestion, type RejectReason } from '../../../../lambda/semantic/same-question/check';
import { decodeFacts, encodeFacts, questionFacts } from '../../../../lambda/semantic/same-question/facts';
import { stem } from '../../../../lambda/semantic/same-question/words';

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
    ['Is the game drawn after threefold repetition?', 'Is the game drawn after fivefold repetition?', 'number-mismatch'],
    ['When should I use df.groupby().transform here?', 'When should I use df.groupby().apply here?', 'identifier-mismatch'],
    ['What does the register GPIOA->ODR hold?', 'What does the register GPIOA->IDR hold?', 'identifier-mismatch'],
    ['Explain the Excel function XLOOKUP with an example.', 'Explain the Excel function HLOOKUP with an example.', 'identifier-mismatch'],
    ['Write a CSS selector for inputs with placeholder="Search" in the form.', 'Write a CSS selector for inputs with placeholder="Email" in the form.', 'quoted-mismatch'],
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
    ['Did the price rise twofold?', 'Did the price double?'],
    ['What should I check when buying a used sailboat?', 'Quick one: what should I check when buying a used sailboat?'],
    ['HOW DO I RESET MY PASSWORD', 'how do i reset my password'],
    ['What is the difference between TCP and UDP?', 'What is the difference between tcp and udp?'],
    ['Can 8 people fit in a minivan?', 'Is a minivan big enough for 8 people?'],
    ['What is the purpose of the P-trap under a sink?', 'What is the function of the P-trap under a sink?'],
    ['How much does a 10-foot 2x4 weigh?', "What's the weight of a 10-foot 2x4?"],
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
    ['I ran 5 kilometers in 25 minutes; what is my pace per mile?', 'I ran 5 kilometers in 25 minutes; what is my pace per kilometer?', 'entity-mismatch'],
    ['How much protein is in a cup of cooked lentils?', 'How much protein is in an ounce of cooked lentils?', 'entity-mismatch'],
    ['Is every square a rectangle?', 'Is every rectangle a square?', 'order-mismatch'],
    ['Write a function that converts a hex string to base64.', 'Write a function that converts a base64 string to hex.', 'order-mismatch'],
    ['Convert a Celsius reading to Fahrenheit', 'Convert a Fahrenheit reading to Celsius', 'order-mismatch'],
    ['What does the CSS property justify-content do in a flex container?', 'What does the CSS property align-content do in a flex container?', 'substitution'],
    ['How do I handle an overflow in C?', 'How do I handle an underflow in C?', 'antonym-mismatch'],
    ['How do I upgrade pip?', 'How do I downgrade pip?', 'antonym-mismatch'],
    ['What is a subclass in Java?', 'What is a superclass in Java?', 'antonym-mismatch'],
    ['How do I include a header in C?', 'How do I exclude a header in C?', 'antonym-mismatch'],
    ['How do I serialize JSON in Go?', 'How do I deserialize JSON in Go?', 'negation-mismatch'],
    ['What happens to the pitch when I tighten the tuning peg?', 'What happens to the pitch when I loosen the tuning peg?', 'antonym-mismatch'],
    ['List the pros of a Roth IRA', 'List the cons of a Roth IRA', 'antonym-mismatch'],
    ['Is tap water safe to drink in Dominica?', 'Is tap water safe to drink in the Dominican Republic?', 'entity-mismatch'],
    ['How many kilobytes are in 3 megabytes of log data?', 'How many kibibytes are in 3 megabytes of log data?', 'entity-mismatch'],
    ['Is it safer to climb the route early?', 'Is it riskier to climb the route early?', 'antonym-mismatch'],
    ['Convert this PDF to DOCX', 'Convert this PDF to XLSX', 'entity-mismatch'],
    ['The bolt torque spec is 5 Nm; what is that in inch-pounds?', 'The bolt torque spec is 5 ft-lb; what is that in inch-pounds?', 'entity-mismatch'],
    ['What is a heading of font-size 2rem in pixels?', 'What is a heading of font-size 2em in pixels?', 'entity-mismatch'],
    ['How many bytes is a memory limit of 512Mi?', 'How many bytes is a memory limit of 512M?', 'entity-mismatch'],
    ['How do I widen the page margins?', 'How do I narrow the page margins?', 'antonym-mismatch'],
    ['What does it cost if each call runs for 300 ms?', 'What does it cost if each call runs for 300 seconds?', 'entity-mismatch'],
    ['Show me the command to grant docker group membership.', 'Show me the command to revoke docker group membership.', 'antonym-mismatch'],
    ['Convert 30 miles per gallon to liters per 100 km.', 'Convert 30 liters per 100 km to miles per gallon.', 'order-mismatch'],
    [
      'I have two tables, orders and customers; show a left join that keeps every row of orders and matches rows from customers.',
      'I have two tables, orders and customers; show a left join that keeps every row of customers and matches rows from orders.',
      'order-mismatch',
    ],
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
    expect(verdict('What are good gifts for a teenager?', 'What are good gifts for an adolescent?', DEFAULT_SUBSTITUTION_BAR - 0.01)).toBe('substitution');
    expect(verdict('What are good gifts for a teenager?', 'What are good gifts for an adolescent?', DEFAULT_SUBSTITUTION_BAR)).toBeNull();
  });

  it('rejects every substitution when the bar is above any similarity (strict), a listed synonym too', () => {
    expect(sameQuestion(questionFacts('What are good gifts for a teenager?'), questionFacts('What are good gifts for an adolescent?'), 1, { substitutionBar: Infinity })).toBe('substitution');
    expect(sameQuestion(questionFacts('How do I fix a flat tire?'), questionFacts('How do I repair a flat tire?'), 1, { substitutionBar: Infinity })).toBe('substitution');
  });

  it.each([
    ['Where is Las Vegas?', 'Where is Las Vegas located?'],
    ['Convert the file to PDF', 'Convert the file to a PDF file'],
    ['How do I convert a JSON file to CSV?', 'How can I convert JSON files to CSV?'],
    ['Copy the data from the prod database to the staging database', 'Copy data to the staging database from the prod database'],
    ["If it's not too much trouble, explain what a vesting schedule is.", 'Explain what a vesting schedule is.'],
    ["If you don't mind, why is the sky blue?", 'Why is the sky blue?'],
    ['What does "mise en place" mean in a kitchen?', 'In a kitchen, what is meant by "mise en place"?'],
    ['How do I open C:\\Windows\\System32\\drivers\\etc\\hosts as administrator?', 'How can I open C:\\Windows\\System32\\drivers\\etc\\hosts with administrator rights?'],
    ['How can I reset my password?', 'How do I reset my password?'],
    ['Can you please tell me how to boil an egg?', 'How do I boil an egg?'],
    ['How do I get from Boston to Chicago?', 'How do I get to Chicago from Boston?'],
    ['Convert Celsius to Fahrenheit', 'How do I convert Celsius into Fahrenheit?'],
  ])('lets a rewording or an addition through at any similarity: %s / %s', (a, b) => {
    expect(verdict(a, b, 0.9)).toBeNull();
  });
});

describe('same-question check: word lists and rules added after the fresh sets', () => {
  it.each<[string, string, RejectReason]>([
    ["What's the best way to parse JSON in C#?", "What's the best way to parse JSON in C++?", 'entity-mismatch'],
    ['How do I read a file in F#?', 'How do I read a file in C#?', 'entity-mismatch'],
    ['Can I drink the tap water in Morocco?', 'Can I drink the tap water in Tunisia?', 'entity-mismatch'],
    ['What is the national dish of Hungary?', 'What is the national dish of Poland?', 'entity-mismatch'],
    ['Is the weather nice in Vienna in May?', 'Is the weather nice in Prague in May?', 'entity-mismatch'],
    ['What is the sales tax in Ohio?', 'What is the sales tax in Oregon?', 'entity-mismatch'],
    ['Write a birthday message in Spanish', 'Write a birthday message in Catalan', 'entity-mismatch'],
    ['How many megabytes in a gigabyte?', 'How many megabits in a gigabyte?', 'entity-mismatch'],
    ['Is Moroccan food spicy?', 'Is Tunisian food spicy?', 'entity-mismatch'],
    ['What is the deepest lake in the world?', 'What is the shallowest lake in the world?', 'antonym-mismatch'],
    ['Which metal is the heaviest?', 'Which metal is the lightest?', 'antonym-mismatch'],
    ['How do I switch to dark mode?', 'How do I switch to light mode?', 'antonym-mismatch'],
    ['Explain why the build passes', 'Explain why the build fails', 'antonym-mismatch'],
    ['When does the train arrive in Leeds?', 'When does the train leave Leeds?', 'antonym-mismatch'],
    ['What does the CSS property flex-grow do?', 'What does the CSS property flex-shrink do?', 'antonym-mismatch'],
    ['Is this a long-term investment?', 'Is this a short-term investment?', 'antonym-mismatch'],
    ['Are you sure about this?', 'Are you unsure about this?', 'negation-mismatch'],
    ['Does Real Madrid have a better record against Barcelona?', 'Does Barcelona have a better record against Real Madrid?', 'order-mismatch'],
    ['Does the dog chase the cat or the cat chase the dog?', 'Does the cat chase the dog or the dog chase the cat?', 'order-mismatch'],
    ['Does the teacher praise the student?', 'Does the student praise the teacher?', 'order-mismatch'],
    ['How many teaspoons in a tablespoon?', 'How many tablespoons in a teaspoon?', 'order-mismatch'],
    ['Does the cat like the dog?', 'Does the dog like the cat?', 'order-mismatch'],
    ['Is the stock market open on Good Friday?', 'Is the bond market open on Good Friday?', 'entity-mismatch'],
    ['Which foods are high in vitamin C?', 'Which foods are high in vitamin D?', 'entity-mismatch'],
    ['What does plan B cover?', 'What does plan C cover?', 'entity-mismatch'],
    ['How do I write a web server in Zig?', 'How do I write a web server in Rust?', 'entity-mismatch'],
    ['How long should I boil broccoli?', 'How long should I steam broccoli?', 'entity-mismatch'],
    ['What time is sunrise in Oslo today?', 'What time is sunset in Oslo today?', 'antonym-mismatch'],
    ['Is it cheaper to rent a car in Lisbon?', 'Is it cheaper to buy a car in Lisbon?', 'antonym-mismatch'],
  ])('%s / %s: %s, whatever the similarity', (a, b, reason) => {
    expect(verdict(a, b, 0.999)).toBe(reason);
  });

  it.each([
    ['How do I fix a leaking faucet?', 'How do I repair a leaking faucet?'],
    ['How do I purchase a domain name?', 'How do I buy a domain name?'],
    ['Is the gym busy at 7 am?', 'Is the gym crowded at 7 am?'],
    ['What are good gifts for a teenager?', 'What are nice presents for a teenager?'],
    ['What is my favourite colour?', 'What is my favorite color?'],
    ['How do I organise my files?', 'How do I organize my files?'],
    ['Where is the city centre?', 'Where is the city center?'],
    ['Have you travelled to Peru?', 'Have you traveled to Peru?'],
    ['What is a good defence?', 'What is a good defense?'],
    ['Is grey a warm tone?', 'Is gray a warm tone?'],
    ['How heavy is 10 kg of flour?', 'How heavy is 10 kilograms of flour?'],
    ['How tall is 6 feet?', 'How tall is 6 ft?'],
    ['How do I cite a website in APA style?', 'How should I go about citing a website in APA style?'],
    ['How do I parse a date?', 'How do I go about parsing a date?'],
    ['What does the error "x is undefined" mean?', 'I\'m getting "x is undefined", what does it mean?'],
    ['What is the difference between TCP and UDP?', 'What is the difference between UDP and TCP?'],
    ['Recommend three books about history', 'Can you recommend three history books?'],
    ['Is 97 a prime number?', 'Is the number 97 prime?'],
    ['How do I protect my laptop against malware?', 'How do I protect my laptop from malware?'],
    ['What is the quickest way to learn Spanish?', 'What is the fastest way to learn Spanish?'],
    ['What does the word "ephemeral" mean?', 'Define the word "ephemeral"'],
    ['How do I call parse_lines correctly?', "What's the correct way to call parse_lines?"],
    ['Can I email hr@example.com about my payslip?', 'Can I email hr@example.com regarding my payslip?'],
    ['How do I set up wifi on a printer?', 'How do I set up wi-fi on a printer?'],
    ['Convert PDF and Word files to text', 'Convert Word and PDF files to text'],
    ['Which is healthier, brown rice or white rice?', 'Which is healthier, white rice or brown rice?'],
    ['Is it safe to leave rice out overnight?', 'Can rice be left out overnight safely?'],
    ['Which shoes should I buy for running?', 'Which shoes should be bought for running?'],
    ['Is the lake quite deep?', 'Is the lake deep?'],
    ['How do I write an organisational chart?', 'How do I write an organizational chart?'],
  ])('lets a spelling, a synonym or a coordinated order through below the bar: %s / %s', (a, b) => {
    expect(verdict(a, b, 0.9)).toBeNull();
    expect(verdict(b, a, 0.9)).toBeNull();
  });

  it('takes no short name for a spelling variant ("Lisa" / "Liza")', () => {
    expect(verdict('Send the report to Lisa', 'Send the report to Liza', 0.9)).toBe('substitution');
  });

  it('accepts a spelling variant even when strict (the same word), not a synonym', () => {
    const strict = { substitutionBar: Infinity };
    expect(sameQuestion(questionFacts('What is my favourite colour?'), questionFacts('What is my favorite color?'), 0.9, strict)).toBeNull();
    expect(sameQuestion(questionFacts('How do I buy a domain name?'), questionFacts('How do I purchase a domain name?'), 0.9, strict)).toBe('substitution');
  });

  it.each([
    ['files', 'file'],
    ['running', 'run'],
    ['citing', 'cite'],
    ['parsing', 'pars'],
    ['parse', 'pars'],
    ['cities', 'citi'],
    ['city', 'citi'],
    ['planning', 'plan'],
    ['plane', 'plane'],
    ['added', 'add'],
    ['called', 'call'],
    ['closed', 'close'],
  ])('stems %s as %s', (word, stemmed) => {
    expect(stem(word)).toBe(stemmed);
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
