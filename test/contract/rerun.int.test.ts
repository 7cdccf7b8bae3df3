import { describeCacheContract, type ContractTarget } from './cache-contract';
import { searchTarget } from './targets';

// The suite must pass twice in a row against one long-lived server (a real search server set in
// SEARCH_REDIS_URL keeps every entry of the first run): one server, two full runs.
let shared: Promise<ContractTarget> | undefined;
const sameServer = async (): Promise<ContractTarget> => {
  const target = await (shared ??= searchTarget('auto'));
  return { ...target, stop: async () => undefined };
};

afterAll(async () => {
  await (await shared)?.stop();
});

const where = process.env.SEARCH_REDIS_URL ? 'SEARCH_REDIS_URL' : 'the FT test double';
describeCacheContract(`first run on ${where}`, { semantic: true, rawAccess: true }, sameServer);
describeCacheContract(`second run on the same server (${where})`, { semantic: true, rawAccess: true }, sameServer);
