import { describeCacheContract } from './cache-contract';
import { memoryTarget } from './targets';

describeCacheContract('embedded memory backend', { semantic: true, rawAccess: false }, memoryTarget);
