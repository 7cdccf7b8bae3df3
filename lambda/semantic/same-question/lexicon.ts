/**
 * Word lists of the same-question check beyond the core ones in words.ts: more members for the
 * exclusive groups (countries, cities, nationalities, units), more antonym axes with their
 * comparative and superlative forms, and the two tables that let a rewording through: synonyms and
 * spelling variants. Data only; words.ts and check.ts read it. Every entry is a plain lower-case
 * word (as the word loop gives it); the readers stem it the same way as a prompt's words.
 */

/** More countries, appended to words.ts's country group (one word each; "new zealand", "south africa" are caught by their other word). */
export const MORE_COUNTRIES =
  'afghanistan albania algeria andorra angola armenia azerbaijan bahamas bahrain bangladesh barbados belarus belize benin bhutan bolivia ' +
    'bosnia botswana brunei bulgaria burkina burundi cambodia cameroon chad comoros congo croatia cuba cyprus czechia djibouti dominica ' +
    'ecuador eritrea estonia eswatini ethiopia fiji gabon gambia georgia ghana grenada guatemala guinea guyana haiti honduras hungary iceland ' +
    'jamaica jordan kazakhstan kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg ' +
    'madagascar malawi maldives mali malta mauritania mauritius micronesia moldova monaco mongolia montenegro morocco mozambique myanmar burma ' +
    'namibia nauru nepal nicaragua niger macedonia oman palau palestine panama paraguay qatar romania rwanda samoa senegal serbia seychelles ' +
    'slovakia slovenia somalia sudan suriname syria taiwan tajikistan tanzania togo tonga trinidad tunisia turkmenistan tuvalu uganda ' +
    'uruguay uzbekistan vanuatu venezuela yemen zambia zimbabwe france germany spain italy portugal ireland canada mexico brazil argentina ' +
    'chile peru colombia china japan india pakistan russia ukraine poland sweden norway finland denmark netherlands belgium switzerland ' +
    'austria greece egypt nigeria kenya australia israel iran iraq vietnam thailand indonesia philippines singapore malaysia ' +
    // The distinctive word of a country named in two or more ("the Dominican Republic", "El Salvador", "Sri Lanka").
    'dominican salvador lanka arabia emirates leone verde timor papua';

/** More capitals and large cities (one distinctive word each), appended to words.ts's city group. */
export const MORE_CITIES =
  'paris london berlin madrid rome tokyo beijing moscow boston chicago seattle sydney toronto dublin amsterdam lisbon vienna prague budapest ' +
    'warsaw athens istanbul cairo nairobi lagos johannesburg delhi mumbai bangalore shanghai seoul bangkok jakarta manila hanoi singapore ' +
    'melbourne auckland vancouver montreal houston dallas austin denver atlanta miami phoenix philadelphia detroit portland brussels ' +
    'copenhagen stockholm oslo helsinki zurich geneva munich hamburg milan barcelona venice florence naples edinburgh manchester ' +
    'dubai doha riyadh tehran karachi lima bogota santiago caracas havana kyoto osaka';

/** More human languages, appended to words.ts's language group. */
export const MORE_LANGUAGES =
  'catalan basque galician gaelic estonian latvian lithuanian slovenian albanian armenian georgian mongolian kazakh uzbek amharic ' +
  'yoruba zulu xhosa hausa igbo somali nepali sinhala burmese khmer lao maori hawaiian esperanto afrikaans marathi gujarati kannada malayalam';

/** More programming languages, appended to words.ts's programming-language group. */
export const MORE_PROGRAMMING_LANGUAGES = 'groovy ocaml zig nim pascal delphi vba prolog lisp solidity verilog vhdl abap smalltalk ada coffeescript elm';

/** Units of energy, power, pressure, area and speed, one group each (words.ts also joins them in the group of every unit). */
export const MORE_UNITS: readonly string[] = [
  'calorie kilocalorie kcal joule kilojoule kj',
  'watt kilowatt kw megawatt volt amp ampere ohm',
  'psi bar pascal kpa',
  'nm newton-meter newton-metre ft-lb foot-pound inch-pound in-lb',
  'px em rem pt vh vw vmin vmax',
  'acre hectare',
  'mph kph knot',
];

/** Groups of words of one kind, added to words.ts's EXCLUSIVE_GROUPS (two different members: another question). */
export const MORE_EXCLUSIVE_GROUPS: readonly string[] = [
  // US states (one distinctive word each).
  'alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois indiana iowa kansas kentucky ' +
    'louisiana maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon ' +
    'pennsylvania tennessee texas utah vermont virginia wisconsin wyoming',
  // Nationalities (the language group in words.ts holds the words that are both).
  'american canadian mexican brazilian argentinian british english scottish irish welsh french german spanish italian portuguese dutch ' +
    'belgian swiss austrian swedish norwegian danish finnish polish czech hungarian romanian greek turkish russian ukrainian chinese ' +
    'japanese korean indian pakistani thai vietnamese indonesian filipino australian egyptian moroccan tunisian algerian nigerian kenyan ' +
    'ethiopian israeli iranian iraqi saudi lebanese peruvian chilean colombian cuban jamaican',
  // Tastes.
  'sweet sour bitter salty savory umami spicy',
  // Temperature, energy, power, pressure, area and speed units.
  ...MORE_UNITS,
  // Technical terms often written in capitals: known kinds stay words (any case), and two of one kind are another question;
  // a name in capitals the lists do not know is an identifier (scanner.ts, Word.name).
  'tcp udp http https ftp sftp ssh smtp imap pop3 dns dhcp quic icmp',
  'json yaml xml csv tsv toml parquet avro',
  'pdf docx doc xlsx xls pptx png jpg jpeg gif svg webp mp3 mp4 wav',
  'cpu gpu tpu ram rom ssd hdd',
  'html css scss sass',
  'api sdk cli gui ci cd',
  // SQL's keywords, often in capitals: words (a query's keywords are compared as words), and one for another is another question.
  'select insert update delete merge upsert',
  'inner outer left right full cross',
  'count sum avg min max',
  'usb hdmi bluetooth wifi ethernet',
  // Shapes and solids ("Is every square a rectangle?" / "Is every rectangle a square?": one kind, so not two words side by side that may change places).
  'square rectangle circle triangle oval ellipse polygon pentagon hexagon octagon rhombus trapezoid parallelogram sphere cube cylinder cone pyramid prism',
  // Planets.
  'mercury venus earth mars jupiter saturn uranus neptune pluto moon sun',
  // Shells, editors, package managers, clouds, car and technology brands.
  'bash zsh fish powershell',
  'vim emacs nano vscode sublime notepad',
  'npm yarn pnpm pip conda maven gradle',
  'aws azure gcp digitalocean heroku netlify vercel cloudflare',
  'toyota honda ford bmw audi tesla mercedes volkswagen nissan hyundai kia subaru mazda chevrolet porsche volvo',
  'samsung google microsoft amazon netflix spotify facebook instagram tiktok twitter youtube whatsapp',
  'bitcoin ethereum dogecoin solana litecoin',
  'amazon walmart costco ikea ebay etsy aliexpress',
  'phone smartphone laptop tablet desktop smartwatch router printer',
  'stock bond etf',
  'mean median',
  'gluten dairy lactose peanut soy shellfish',
  // Changes of state.
  'boil melt freeze condense evaporate',
  // Meals, diets, cooking methods, vegetables, metals, elements, sports, instruments.
  'breakfast brunch lunch dinner',
  'vegan vegetarian pescatarian keto paleo',
  'boil bake fry grill roast steam poach broil microwave',
  'potato carrot onion garlic tomato broccoli spinach cabbage lettuce cucumber zucchini cauliflower',
  'gold silver copper iron steel aluminum lead zinc titanium platinum',
  'hydrogen oxygen nitrogen carbon helium sodium potassium calcium magnesium',
  'soccer football basketball baseball tennis golf hockey cricket rugby volleyball badminton',
  'guitar piano violin drums flute saxophone trumpet cello ukulele harp',
  // Family members not in words.ts's group.
  'grandfather grandmother grandson granddaughter uncle aunt nephew niece cousin',
];

/** Antonym axes added to words.ts's ANTONYM_PAIRS: base, comparative and superlative on each pole. */
export const MORE_ANTONYM_PAIRS: readonly [string, string][] = [
  ['deep deeper deepest deepen', 'shallow shallower shallowest'],
  ['wide wider widest broad broader broadest widen', 'narrow narrower narrowest'],
  ['thick thicker thickest thicken', 'thin thinner thinnest'],
  ['heavy heavier heaviest', 'light lighter lightest'],
  ['strong stronger strongest strengthen', 'weak weaker weakest weaken'],
  ['hard harder hardest harden', 'soft softer softest soften'],
  ['easy easier easiest', 'difficult hard harder hardest'],
  ['rich richer richest wealthy', 'poor poorer poorest'],
  ['wet wetter wettest', 'dry drier driest'],
  ['full fuller fullest', 'empty emptier emptiest'],
  ['loud louder loudest', 'quiet quieter quietest'],
  ['bright brighter brightest light lighter lightest', 'dark darker darkest dim'],
  ['early earlier earliest', 'late later latest'],
  ['near nearer nearest close closer closest', 'far farther farthest further furthest'],
  ['hot hotter hottest warm warmer warmest', 'cold colder coldest cool cooler coolest'],
  ['healthy healthier healthiest', 'unhealthy'],
  ['common commonest', 'rare rarer rarest'],
  ['fresh fresher freshest', 'stale'],
  ['clean cleaner cleanest', 'dirty dirtier dirtiest'],
  ['sharp sharper sharpest', 'dull duller dullest blunt'],
  ['accept', 'reject decline'],
  ['success succeed', 'failure fail'],
  ['pass', 'fail'],
  ['input', 'output'],
  ['inbound incoming ingress', 'outbound outgoing egress'],
  ['internal inner', 'external outer'],
  ['horizontal horizontally', 'vertical vertically'],
  ['odd', 'even'],
  ['plus add addition', 'minus subtract subtraction'],
  ['multiply multiplication', 'divide division'],
  ['credit', 'debit'],
  ['profit', 'loss'],
  ['top', 'bottom'],
  ['front', 'rear back'],
  ['forward forwards', 'backward backwards'],
  ['upstream', 'downstream'],
  ['client', 'server'],
  ['parent', 'child'],
  ['attach', 'detach'],
  ['mount', 'unmount'],
  ['connect', 'disconnect'],
  ['online', 'offline'],
  ['arrive arrival', 'depart departure leave'],
  ['freeze frozen', 'thaw defrost melt'],
  ['raw', 'cooked'],
  ['past', 'future'],
  ['major', 'minor'],
  ['pre', 'post'],
  ['sunrise dawn', 'sunset dusk'],
  ['day daytime', 'night nighttime'],
  ['allow permit', 'deny forbid prohibit ban'],
  ['adult grownup', 'child kid children'],
  ['rent lease', 'buy purchase'],
  ['visible', 'hidden invisible'],
  ['send', 'receive'],
  ['lend', 'borrow'],
  ['borrow', 'repay'],
  ['tighten tight', 'loosen loose'],
  ['sweet sweeter sweetest', 'dry drier driest'],
  ['grant', 'revoke'],
  ['lengthen', 'shorten'],
  ['brighten', 'darken dim'],
  ['pro pros', 'con cons'],
  ['climb ascend ascent', 'descend descent'],
  ['advantage benefit', 'disadvantage drawback'],
  ['appreciate appreciation', 'depreciate depreciation'],
  ['inflation', 'deflation'],
  ['bull bullish', 'bear bearish'],
  ['clockwise', 'counterclockwise anticlockwise'],
  ['sync synchronous synchronously', 'async asynchronous asynchronously'],
  ['static', 'dynamic'],
  ['stateful', 'stateless'],
  ['implicit implicitly', 'explicit explicitly'],
  ['leading', 'trailing'],
  ['prefix', 'suffix'],
  ['head', 'tail'],
  ['ancestor', 'descendant'],
  ['predecessor', 'successor'],
  ['supply', 'demand'],
  ['buyer', 'seller'],
  ['landlord', 'tenant'],
  ['employer', 'employee'],
  ['lender', 'borrower'],
  ['creditor', 'debtor'],
  ['asset', 'liability'],
  ['income revenue', 'expense expenditure'],
  ['enter entry entrance', 'exit'],
  ['indoor indoors', 'outdoor outdoors'],
  ['charge charging', 'discharge discharging'],
];

/**
 * Synonym sets: one word of a set swapped for another of the same set is the same question (a
 * rewording, accepted whatever the substitution bar). Only words that mean the same in a question
 * about anything; a word whose other common sense would make another question stays out ("flat" as a
 * tyre, "post" as a blog post, "pants" and "biscuit", which differ between British and American).
 * Two words are synonyms when one set holds both (sets are not chained).
 */
export const SYNONYM_SETS: readonly string[] = [
  'fix repair mend',
  'purpose function',
  'enough sufficient adequate',
  'buy purchase',
  'gift gifts present presents',
  'good nice',
  'busy crowded',
  'big large',
  'bigger larger',
  'biggest largest',
  'huge enormous massive',
  'small little',
  'fast quick rapid speedy',
  'faster quicker',
  'fastest quickest',
  'easy simple',
  'easier simpler',
  'easiest simplest',
  'hard difficult tough',
  'harder tougher',
  'hardest toughest',
  'cheap inexpensive affordable',
  'expensive costly pricey',
  'rich wealthy',
  'smart intelligent clever',
  'wrong incorrect',
  'begin start commence',
  'end finish',
  'stop quit',
  'delete remove erase',
  'make create',
  'build construct',
  'choose pick select',
  'find locate',
  'obtain acquire',
  'check verify',
  'allow permit',
  'speak talk',
  'mean meaning define definition',
  'cost price',
  'problem issue',
  'sick ill',
  'happy glad',
  'use utilize utilise',
  'need require',
  'help assist',
  'answer reply respond',
  'trip journey',
  'car automobile',
  'movie film',
  'child kid',
  'baby infant',
  'doctor physician',
  'shop store',
  'house home',
  'salary wage',
  'computer pc',
  'photo photograph picture',
  'phone cellphone smartphone',
  'bathroom restroom toilet washroom',
  'sofa couch',
  'fridge refrigerator',
  'tv television',
  'truck lorry',
  'vacation holiday',
  'garbage trash rubbish',
  'petrol gasoline',
  'fall autumn',
  'stroller pram pushchair',
  'diaper nappy',
  'faucet tap',
  'zip postcode',
];

/**
 * British and American spellings the rules of check.ts do not derive (those handle -our/-or,
 * -ise/-ize, -yse/-yze, -re/-er, -ll-/-l-, -ence/-ense): each line one word in both spellings.
 */
export const SPELLING_VARIANTS: readonly string[] = [
  'grey gray',
  'aluminium aluminum',
  'tyre tire',
  'programme program',
  'plough plow',
  'pyjamas pajamas',
  'jewellery jewelry',
  'cosy cozy',
  'ageing aging',
  'doughnut donut',
  'sceptical skeptical',
  'mould mold',
  'practise practice',
  'catalogue catalog',
  'dialogue dialog',
  'analogue analog',
  'mum mom',
  'maths math',
  'cheque check',
  'kerb curb',
  'email e-mail',
  'wifi wi-fi',
  'online on-line',
  'login log-in',
  'logout log-out',
  'website web-site',
];

/**
 * Irregular plurals and verb forms the stemmer does not join (a form that is also another common
 * word stays out: "won", "rose", "found", "saw", "lay").
 */
export const WORD_FORMS: readonly string[] = [
  'man men',
  'woman women',
  'child children',
  'person people',
  'foot feet',
  'tooth teeth',
  'mouse mice',
  'goose geese',
  'knife knives',
  'leaf leaves',
  'wife wives',
  'leave left',
  'buy bought',
  'make made',
  'take took taken',
  'eat ate eaten',
  'run ran',
  'write wrote written',
  'speak spoke spoken',
  'break broke broken',
  'choose chose chosen',
  'begin began begun',
  'drive drove driven',
  'fly flew flown',
  'grow grew grown',
  'send sent',
  'spend spent',
  'build built',
  'lose lost',
  'feel felt',
  'keep kept',
  'sleep slept',
  'pay paid',
  'sell sold',
  'teach taught',
  'bring brought',
  'catch caught',
  'freeze froze frozen',
  'forget forgot forgotten',
  'hide hid hidden',
  'ride rode ridden',
  'swim swam swum',
  'wear wore worn',
  'steal stole stolen',
  'throw threw thrown',
  'draw drew drawn',
  'mean meant',
  'weigh weight',
  'read reread',
  'find found',
  'hold held',
  'meet met',
  'understand understood',
  'sit sat',
  'stand stood',
  'tell told',
  'think thought',
  'seek sought',
  'fight fought',
  'hang hung',
  'shoot shot',
  'sing sang sung',
  'sink sank sunk',
  'drink drank drunk',
  'light lit',
  'lead led',
  'feed fed',
  'bend bent',
  'lend lent',
  'deal dealt',
  'dig dug',
  'shake shook shaken',
  'wake woke woken',
  'rise rose risen',
  'fall fell fallen',
  'forgive forgave forgiven',
  'bite bit bitten',
  'blow blew blown',
  'know knew known',
  'tear tore torn',
  'give gave given',
];

/** A unit and its abbreviations: one unit written two ways. */
export const UNIT_ABBREVIATIONS: readonly string[] = [
  'kilometer kilometre km',
  'mile mi',
  'meter metre',
  'centimeter centimetre cm',
  'millimeter millimetre mm',
  'foot feet ft',
  'yard yd',
  'pound lb lbs',
  'kilogram kg kilo',
  'gram g',
  'milligram mg',
  'microgram mcg',
  'ounce oz',
  'liter litre',
  'milliliter millilitre ml',
  'kilobyte kb',
  'megabyte mb',
  'gigabyte gb',
  'terabyte tb',
  'kilojoule kj',
  'kilowatt kw',
  'amp ampere',
  'dollar usd',
  'euro eur',
  'yen jpy',
  'pound gbp',
];
