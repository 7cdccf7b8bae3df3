import { ChangeLog, LOG_PAGE } from '../../../../../lambda/backends/redis/client-index/change-log';
import { ClientIndex } from '../../../../../lambda/backends/redis/client-index/client-index';
import { clientIndexKeys } from '../../../../../lambda/backends/redis/client-index/keys';
import { ScopeStates } from '../../../../../lambda/backends/redis/client-index/scope-states';
import type { RedisCommands } from '../../../../../lambda/backends/redis/connection/redis-commands';
import { ConfigurationError } from '../../../../../lambda/core/errors';
import { encodeQuantized, quantize } from '../../../../../lambda/semantic/vectors/quantize';
import { randomUnitVector } from '../../../../support/vectors';

const DIMS = 8;
const NOW = 1_000;
const KEYS = clientIndexKeys('m', DIMS);

type Entry = [Buffer, Buffer[]];
const stored = (id: string, streamId: string): Entry => [
  Buffer.from(streamId),
  [Buffer.from('d'), Buffer.from(id), Buffer.from('q'), encodeQuantized(quantize(randomUnitVector(DIMS, id.length + 1))), Buffer.from('x'), Buffer.from(String(NOW + 60_000))],
];
const removed = (id: string, streamId: string): Entry => [Buffer.from(streamId), [Buffer.from('r'), Buffer.from(id)]];

/** A log held in memory, read as XRANGE reads a stream (`-` or an inclusive start id, `+`, COUNT). */
function fakeLog(entries: Entry[]) {
  const reads: string[] = [];
  const client = {
    xrangeBuffer: jest.fn(async (_key: string, start: string, _end: string, _count: 'COUNT', limit: number) => {
      reads.push(start);
      const from = start === '-' ? 0 : entries.findIndex((entry) => compare(String(entry[0]), start) >= 0);
      return from < 0 ? [] : entries.slice(from, from + limit);
    }),
  };
  return { client: client as unknown as RedisCommands, reads, entries };
}

function compare(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am !== bm ? am - bm : as - bs;
}

function setup(entries: Entry[]) {
  const log = fakeLog(entries);
  const states = new ScopeStates(DIMS, 10_000, 4);
  const changes = new ChangeLog(async () => log.client, KEYS, DIMS, () => NOW, (state) => states.reset(state));
  return { log, state: states.use('s', 'ns'), changes };
}

describe('ChangeLog', () => {
  it('bootstraps from the start of the log, then reads from its last entry inclusive and applies only what is new', async () => {
    const { log, state, changes } = setup([stored('a', '1-0'), stored('b', '2-0')]);
    await changes.catchUp(state);
    log.entries.push(removed('a', '3-0'), stored('c', '4-0'));

    await changes.catchUp(state);

    expect(log.reads).toEqual(['-', '2-0']);
    expect(state.lastId).toBe('4-0');
    expect([state.vectors.has('a'), state.vectors.has('b'), state.vectors.has('c')]).toEqual([false, true, true]);
  });

  it('keeps the scope as it is when its last entry is the only one returned', async () => {
    const { state, changes } = setup([stored('a', '1-0')]);
    await changes.catchUp(state);
    const vectors = state.vectors;

    await changes.catchUp(state);

    expect(state.vectors).toBe(vectors);
    expect(state.vectors.has('a')).toBe(true);
  });

  it('drops the scope and rebuilds it from the same reply when the log was trimmed past its position', async () => {
    const { log, state, changes } = setup([stored('a', '1-0'), stored('b', '2-0')]);
    await changes.catchUp(state);
    log.entries.splice(0, 2, removed('b', '3-0'), stored('c', '4-0')); // trimmed: 2-0 is gone

    await changes.catchUp(state);

    expect(log.reads).toEqual(['-', '2-0']);
    expect([state.vectors.has('a'), state.vectors.has('b'), state.vectors.has('c')]).toEqual([false, false, true]);
    expect(state.lastId).toBe('4-0');
  });

  it('drops the scope when the log is gone (a purge deleted it), in one read', async () => {
    const { log, state, changes } = setup([stored('a', '1-0')]);
    await changes.catchUp(state);
    log.entries.length = 0;

    await changes.catchUp(state);

    expect(log.reads).toEqual(['-', '1-0']);
    expect(state.vectors.count).toBe(0);
    expect(state.lastId).toBe('0-0');
    expect(state.bootstrapped).toBe(true);
  });

  it('reads a log longer than a page in pages, each from the last entry of the one before', async () => {
    const entries = Array.from({ length: LOG_PAGE + 10 }, (_, i) => stored(`d${i}`, `${i + 1}-0`));
    const { log, state, changes } = setup(entries);

    await changes.catchUp(state);

    expect(log.reads).toEqual(['-', `${LOG_PAGE}-0`]);
    expect(state.vectors.count).toBe(LOG_PAGE + 10);
  });
});

describe('ClientIndex.search', () => {
  it('refuses, with a ConfigurationError, a scope it has not read when it is not told the namespace', async () => {
    const index = new ClientIndex(async () => fakeLog([]).client, { embeddingModelId: 'm', dimensions: DIMS });

    await expect(index.search('s', randomUnitVector(DIMS, 1), 0.9)).rejects.toThrow(ConfigurationError);
  });
});
