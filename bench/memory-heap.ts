/**
 * Heap held by the embedded backend when every request has its own system prompt (one scope each)
 * and a short TTL: the workload that grew the unbounded index to ~145 MiB. Fills the memory index
 * and store with 40,000 scopes (1024-dim vector, 1,500-character answer, 1 s TTL, on an injected
 * clock), lets them expire, writes a few more, and reports heap used (JS heap plus ArrayBuffers) at each step next to the
 * structures' own byte estimate. A measurement, not a test:
 *
 *   node --expose-gc --import tsx bench/memory-heap.ts [scopes]
 */
import { MemoryIndex } from '../lambda/backends/memory/memory-index';
import { MemoryStore } from '../lambda/backends/memory/memory-store';

const SCOPES = Number(process.argv[2] ?? 40_000);
const DIMENSIONS = 1024;
const ANSWER = 'x'.repeat(1500);

/** JS heap plus ArrayBuffer backing stores (vectors live there, outside `heapUsed`), after full GCs. */
function heapMiB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 2 ** 20;
}

/** A distinct, flat answer per entry (a shared or concatenated string would be counted once). */
function answerFor(i: number): string {
  return Buffer.from(`${i}:${ANSWER}`).toString();
}

function vectorFor(i: number): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  v[i % DIMENSIONS] = 1;
  return v;
}

async function measure(label: string, maxEntries: number, maxBytes: number): Promise<void> {
  const clock = { now: 0 };
  const before = heapMiB();
  const index = new MemoryIndex(maxEntries, () => clock.now, maxBytes);
  const store = new MemoryStore(maxEntries, () => clock.now, maxBytes);
  for (let i = 0; i < SCOPES; i++) {
    const id = `${i.toString(16).padStart(64, '0')}`;
    const answer = answerFor(i); // the runtime stores one encoded entry in both
    await index.add({ scope: `llmcache:v1:default:${id}`, id, namespace: 'default', vector: vectorFor(i), entry: answer, ttlMs: 1000 });
    await store.set(`llmcache:v1:default:${id}`, answer, 1000);
  }
  const filled = heapMiB() - before;
  const estimate = (index.bytes + store.bytes) / 2 ** 20;
  const held = { documents: index.size, scopes: index.scopeCount, entries: store.size };
  clock.now = 2000;
  for (let i = 0; i < 3; i++) {
    await index.add({ scope: `later-${i}`, id: `later-${i}`, namespace: 'default', vector: vectorFor(i), entry: ANSWER, ttlMs: 1000 });
    await store.set(`later-${i}`, ANSWER, 1000);
  }
  const expired = heapMiB() - before;
  console.log(
    `${label}: after ${SCOPES} scopes heap +${filled.toFixed(1)} MiB (estimate ${estimate.toFixed(1)} MiB; ` +
      `${held.documents} documents in ${held.scopes} scopes, ${held.entries} entries); ` +
      `after expiry and 3 writes +${expired.toFixed(1)} MiB (${index.size} documents in ${index.scopeCount} scopes, ${store.size} entries)`,
  );
}

async function main(): Promise<void> {
  await measure('bounds off (what the per-scope cap allowed)', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  await measure('default bounds (10,000 entries, 64 MiB each)', 10_000, 64 * 2 ** 20);
}

void main();
