/** Builds a request's response and the observer's timings from what the lookup and miss steps returned. */
import { performance } from 'node:perf_hooks';
import { toEntry, type CacheEntry } from '../core/entry';
import { encodeEntryId } from '../core/entry-id';
import type { CacheOutcome, CacheResponse, ModelAnswer } from '../core/types';
import type { AnswerDetails } from '../observability/observer';
import type { Hit, Miss } from './lookup';
import type { Settled } from './miss-path';
import type { Refreshed } from './refresh-path';

/** A cache hit's response: the stored answer, zero usage, its cost when made as `savedUsage`, and the entry's id. */
export function fromHit(hit: Hit, started: number, namespace: string): CacheResponse {
  return fromEntry(hit.entry, hit.cache, started, encodeEntryId({ namespace, scope: hit.scope, id: hit.id }), hit.similarity);
}

/** Timings of a hit: no wait, no model call. */
export function hitDetails(hit: Hit): AnswerDetails {
  return { cacheMs: hit.cacheMs, waitMs: 0, modelCalled: false };
}

/**
 * A miss's response. The model's own answer when this request called the model; otherwise it was
 * served by another request's answer (in flight here, or stored by another container while we
 * waited on its lock): `cache: "exact"`, `coalesced: true`, zero usage, since it consumed nothing.
 */
export function fromMiss(miss: Miss, settled: Settled, started: number, now: () => number): CacheResponse {
  const { filled } = settled;
  if (settled.modelCalled && filled.kind === 'model') return { ...fromAnswer(filled.answer, 'miss', started), ...missExtras(miss, settled) };
  const entry = filled.kind === 'cache' ? filled.entry : toEntry(filled.answer, miss.scope, now());
  return { ...fromEntry(entry, 'exact', started, entryIdOfKey(miss.key, miss.scope)), coalesced: true, ...missExtras(miss, settled) };
}

/** Timings of a miss; the model's latency when this request called it. */
export function missDetails(settled: Settled): AnswerDetails {
  const { cacheMs, waitMs, filled } = settled;
  if (settled.modelCalled && filled.kind === 'model') return { cacheMs, waitMs, modelCalled: true, modelMs: filled.answer.latencyMs };
  return { cacheMs, waitMs, modelCalled: false };
}

/**
 * A refresh's response: the model's answer, `cache: "refresh"`, when this request called the model;
 * otherwise an identical concurrent refresh's answer (in flight here, or the entry another
 * container's refresh wrote): still `refresh` (the answer is a new one, not the entry it replaced),
 * with `coalesced: true`, zero usage and the answer's cost as `savedUsage`.
 */
export function fromRefresh(refreshed: Refreshed, started: number, now: () => number): CacheResponse {
  const { settled, scope, key } = refreshed;
  // A refresh that used the cache names the entry at its key (the one it wrote or got), as a hit does.
  const named = settled.skipped ? { cacheSkipped: settled.skipped } : { entryId: entryIdOfKey(key, scope) };
  const { filled } = settled;
  if (settled.modelCalled && filled.kind === 'model') return { ...fromAnswer(filled.answer, 'refresh', started), ...named };
  const entry = filled.kind === 'cache' ? filled.entry : toEntry(filled.answer, scope, now());
  return { ...fromEntry(entry, 'refresh', started), coalesced: true, ...named };
}

/** The cache was bypassed (mode `off`, or the kill switch): the model's answer, nothing looked up. */
export function fromBypass(answer: ModelAnswer, started: number): CacheResponse {
  return fromAnswer(answer, 'bypass', started);
}

export function bypassDetails(answer: ModelAnswer): AnswerDetails {
  return { cacheMs: 0, waitMs: 0, modelCalled: true, modelMs: answer.latencyMs };
}

/** What a miss adds to its response: why semantic lookup was unavailable, why the cache was skipped. */
function missExtras(miss: Miss, settled: Settled): Partial<CacheResponse> {
  return {
    ...(miss.semanticReason ? { semantic: 'unavailable' as const, semanticReason: miss.semanticReason } : {}),
    ...(miss.semanticRejected ? { semanticRejected: { reason: miss.semanticRejected.reason, similarity: round(miss.semanticRejected.similarity, 4) } } : {}),
    ...(settled.skipped ? { cacheSkipped: settled.skipped } : {}),
  };
}

/** The entry id of the entry at exact key `llmcache:v1:<namespace>:<id>` (`exactKeyOf`; a namespace holds no `:`). */
function entryIdOfKey(key: string, scope: string): string {
  const idAt = key.lastIndexOf(':');
  const namespaceAt = key.lastIndexOf(':', idAt - 1);
  return encodeEntryId({ namespace: key.slice(namespaceAt + 1, idAt), scope, id: key.slice(idAt + 1) });
}

/** `entryId`: the entry the answer came from, when the response names one (`CacheResponse.entryId`). */
function fromEntry(entry: CacheEntry, cache: CacheOutcome, started: number, entryId?: string, similarity?: number): CacheResponse {
  return {
    text: entry.text,
    cache,
    ...(similarity !== undefined ? { similarity: round(similarity, 4) } : {}),
    ...(entryId !== undefined ? { entryId } : {}),
    modelId: entry.modelId,
    latencyMs: round(performance.now() - started, 2),
    usage: { inputTokens: 0, outputTokens: 0 },
    stopReason: entry.stopReason,
    savedUsage: entry.usage,
  };
}

function fromAnswer(answer: ModelAnswer, cache: CacheOutcome, started: number): CacheResponse {
  return {
    text: answer.text,
    cache,
    modelId: answer.modelId,
    latencyMs: round(performance.now() - started, 2),
    usage: answer.usage,
    stopReason: answer.stopReason,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
