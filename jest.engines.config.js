/**
 * The suites that honour SEARCH_REDIS_URL: `npm run test:engines` runs them against each real
 * search engine it finds (tools/search-engines/run-suites.sh). Named here only, so the list
 * cannot drift: a new suite either matches `*.search.int.test.ts` or is added to SUITES.
 * Without SEARCH_REDIS_URL they run against the FT test double, as in `npm test`.
 * @type {import('jest').Config}
 */
const SUITES = [
  'test/ft-double/ft-double.int.test.ts',
  'test/lambda/backends/redis/search/search-index.int.test.ts',
  'test/contract/redis-search.int.test.ts',
  'test/contract/rerun.int.test.ts',
];

module.exports = {
  ...require('./jest.config.js'),
  testMatch: [...SUITES.map((suite) => `<rootDir>/${suite}`), '**/*.search.int.test.ts'],
};
