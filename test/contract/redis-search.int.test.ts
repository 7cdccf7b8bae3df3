import { describeCacheContract } from './cache-contract';
import { searchTarget } from './targets';

// FT test double in CI; a real search server when SEARCH_REDIS_URL is set.
const where = process.env.SEARCH_REDIS_URL ? 'SEARCH_REDIS_URL' : 'the FT test double';

describeCacheContract(`vector search (FT.*) found by FT._LIST on ${where}`, { semantic: true, rawAccess: true }, () => searchTarget('auto'));
describeCacheContract(`vector search (FT.*) configured explicitly on ${where}`, { semantic: true, rawAccess: true }, () => searchTarget('search'));
