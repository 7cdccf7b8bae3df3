import type { RedisCommands } from '../../../../lambda/backends/redis/connection/redis-commands';
import { RedisStore } from '../../../../lambda/backends/redis/redis-store';

/** A client whose GET answers from a map; only what RedisStore.get calls. */
function client(values: Record<string, string>): RedisCommands {
  return { get: jest.fn(async (key: string) => values[key] ?? null) } as unknown as RedisCommands;
}

describe('RedisStore.get', () => {
  it('issues the GET on the ready client without going through the provider', async () => {
    const ready = client({ k: 'v' });
    const provider = jest.fn(async () => client({}));
    const store = new RedisStore(provider, () => ready);

    await expect(store.get('k')).resolves.toBe('v');
    expect(provider).not.toHaveBeenCalled();
  });

  it('goes through the provider (which connects or fails fast) when no client is ready', async () => {
    const connected = client({ k: 'from-provider' });
    const provider = jest.fn(async () => connected);
    const store = new RedisStore(provider, () => undefined);

    await expect(store.get('k')).resolves.toBe('from-provider');
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it("passes on the provider's failure, so the guard reports it", async () => {
    const store = new RedisStore(async () => Promise.reject(new Error('cache connection failed')));

    await expect(store.get('k')).rejects.toThrow('cache connection failed');
  });
});
