import { standaloneTarget } from '../../contract/targets';
import { describeStreamingCache } from './stream-scenarios';

jest.setTimeout(60_000);

describeStreamingCache('a real standalone redis-server', () => standaloneTarget({ tls: false }), { sharedStore: true });
