import { searchTarget } from '../contract/targets';
import { describeSameQuestionTargets } from './same-question-targets';

// FT test double over a real redis-server in CI; a real search engine when SEARCH_REDIS_URL is set.
const where = process.env.SEARCH_REDIS_URL ? 'SEARCH_REDIS_URL' : 'the FT test double';

describeSameQuestionTargets(`vector search (FT.*) on ${where}`, () => searchTarget('search'));
