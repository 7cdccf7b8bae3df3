import Redis from 'ioredis';
import { cacheUserCommands } from '../../../../lib/config/cache-acl';
import { ClientIndex } from '../../../../lambda/backends/redis/client-index/client-index';
import type { RedisCommands } from '../../../../lambda/backends/redis/connection/redis-commands';
import { RedisStore } from '../../../../lambda/backends/redis/redis-store';
import { startStandalone, type RedisTestServer } from '../../../../tools/redis-servers';
import { randomUnitVector } from '../../../support/vectors';

/**
 * Removing an entry and rejecting a document, as a user granted exactly what the stacks grant a
 * backend without vector search (`cacheUserCommands(false)` on `llmcache:*`): the ACL checks the
 * commands inside the scripts too, so a missing grant fails here, not in AWS.
 */
describe('RedisStore.delete and the client-side index\'s remove/reject as the least-privilege cache user', () => {
  let server: RedisTestServer;
  let client: Redis;
  let commands: RedisCommands;
  const scope = 'ef'.repeat(32);
  const asker = 'a'.repeat(64);

  beforeAll(async () => {
    const rules = `~llmcache:* -@all ${cacheUserCommands(false).map((command) => `+${command}`).join(' ')}`;
    server = await startStandalone({ aclUser: { username: 'llmcache-app', password: 'removal-acl-pw', rules } });
    client = new Redis({ host: server.host, port: server.port, username: server.username, password: server.password });
    commands = client as unknown as RedisCommands;
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it('deletes an exact entry with UNLINK, answering whether it existed', async () => {
    const store = new RedisStore(async () => commands);
    await store.set('llmcache:v1:tenant-a:entry', 'value', 60_000);

    expect(await store.delete('llmcache:v1:tenant-a:entry')).toBe(true);
    expect(await store.get('llmcache:v1:tenant-a:entry')).toBeNull();
    expect(await store.delete('llmcache:v1:tenant-a:entry')).toBe(false);
  });

  it('stores, rejects, searches with an asker and removes a client-side document', async () => {
    const index = new ClientIndex(async () => commands, { embeddingModelId: 'acl-model', dimensions: 16 });
    const vector = randomUnitVector(16, 1);
    await index.add({ scope, id: 'd1', namespace: 'tenant-a', vector, entry: 'answer', ttlMs: 60_000 });

    expect(await index.reject(scope, 'd1', 'tenant-a', asker)).toBe(true);
    expect(await index.search(scope, vector, 0.9, undefined, asker, 'tenant-a')).toBeNull();
    expect(await index.remove(scope, 'd1', 'tenant-a')).toBe(true);
    expect(await new ClientIndex(async () => commands, { embeddingModelId: 'acl-model', dimensions: 16 }).search(scope, vector, 0.5, undefined, undefined, 'tenant-a')).toBeNull();
  });
});
