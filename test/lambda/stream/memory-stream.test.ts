import { describeStreamingCache } from './stream-scenarios';

describeStreamingCache('the embedded memory backend', async () => ({ env: { CACHE_BACKEND: 'memory' }, stop: async () => undefined }));
