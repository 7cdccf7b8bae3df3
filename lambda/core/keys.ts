import * as crypto from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { converseParts } from './canonical-converse';
import type { CacheRequest, ConverseRequest } from './types';

/** Every key this library writes starts with this prefix (the cache user's ACL reaches only it). */
export const KEY_PREFIX = 'llmcache:';
/** Version of the key layout and entry format; bump it to orphan every old entry at once. */
export const KEY_VERSION = 'v1';

/** An embedding model id as it appears in key and index names: lower case, runs of anything else than `a-z0-9` as one `-`. */
export function modelSlug(embeddingModelId: string): string {
  return embeddingModelId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Turns canonical request JSON into a fixed-size digest. Replaceable; the default is SHA-256 hex. */
export type KeyEncoder = (canonical: string) => string;

/** Node's one-shot `crypto.hash` (Node 20.12+) skips the Hash object a `createHash` call builds. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export const sha256Hex: KeyEncoder = oneShot ? (canonical) => oneShot('sha256', canonical, 'hex') : (canonical) => crypto.createHash('sha256').update(canonical).digest('hex');

/**
 * The Converse request we send for a validated cache request; the exact key hashes all of it.
 * `messages` is the history, then the final user turn; the scope (see `canonicalForms`) drops only
 * that final turn, so two conversations match semantically only when every earlier turn is equal.
 * A request without history gives the one-message request single prompts always gave.
 * `inferenceConfig` holds `maxTokens` and the one sampling setting the request carries.
 */
export function toConverseRequest(request: CacheRequest): ConverseRequest {
  // Plain loops and literals: this runs on every request, before the exact lookup.
  const messages: ConverseRequest['messages'][number][] = [];
  for (const turn of request.history ?? []) messages.push({ role: turn.role, content: blocks(turn.content) });
  messages.push({ role: 'user', content: request.promptBlocks ? blocks(request.promptBlocks) : [{ text: request.prompt }] });
  // `temperature` or `topP`, never both: the one the request set (`Sampling`). What is sent is what is hashed.
  const inferenceConfig = request.topP !== undefined ? { maxTokens: request.maxTokens, topP: request.topP } : { maxTokens: request.maxTokens, temperature: request.temperature };
  return request.system !== undefined
    ? { modelId: request.modelId, system: [{ text: request.system }], messages, inferenceConfig }
    : { modelId: request.modelId, messages, inferenceConfig };
}

function blocks(texts: readonly string[]): { text: string }[] {
  const out: { text: string }[] = [];
  for (const text of texts) out.push({ text });
  return out;
}

/** Exact key: `llmcache:v1:<namespace>:<sha256 of the canonical Converse request>`. */
export function exactKey(namespace: string, converse: ConverseRequest, encode: KeyEncoder = sha256Hex): string {
  return keyOf(namespace, canonicalForms(namespace, converse).request, encode);
}

/** The exact key of the entry whose digest (the id of `EntryRef`) is `id`: `llmcache:v1:<namespace>:<id>`. */
export function exactKeyOf(namespace: string, id: string): string {
  return `${KEY_PREFIX}${KEY_VERSION}:${namespace}:${id}`;
}

/** The exact key of a request whose canonical JSON is `canonicalRequest`. */
export function keyOf(namespace: string, canonicalRequest: string, encode: KeyEncoder = sha256Hex): string {
  return exactKeyOf(namespace, encode(canonicalRequest));
}

/**
 * Semantic scope: the same hash computed without the final user text, plus the namespace. Two
 * prompts may only match semantically when everything else about their requests is equal.
 */
export function scopeHash(namespace: string, converse: ConverseRequest, encode: KeyEncoder = sha256Hex): string {
  return encode(canonicalForms(namespace, converse).scope);
}

/** What the exact key and the scope hash: the canonical JSON of the request and of its scope. */
export interface CanonicalForms {
  /** `canonicalJson(converse)`. */
  readonly request: string;
  /** `canonicalJson({ namespace, request: { ...converse, messages: all but the last } })`. */
  readonly scope: string;
}

/**
 * Both canonical forms from one serialization of each member: byte for byte what `canonicalJson`
 * gives for each (so keys and scopes already stored stay valid), at half the cost of two passes.
 * Requests of the shape `toConverseRequest` builds are written directly (`converseParts`, less
 * than half the generic path's cost); anything else takes the generic path.
 */
export function canonicalForms(namespace: string, converse: ConverseRequest): CanonicalForms {
  const parts = converseParts(converse);
  if (parts === undefined) return genericForms(namespace, converse);
  const { head, messages, tail } = parts;
  const scopeMessages = messages.length > 1 ? messages.slice(0, -1).join(',') : '';
  return {
    request: `${head}"messages":[${messages.join(',')}${tail}`,
    scope: `{"namespace":${JSON.stringify(namespace)},"request":${head}"messages":[${scopeMessages}${tail}}`,
  };
}

/** The generic path of `canonicalForms`: any member, any value. */
function genericForms(namespace: string, converse: ConverseRequest): CanonicalForms {
  let before = '';
  let after = '';
  let messages: string[] = [];
  let seenMessages = false;
  for (const member of Object.keys(converse).sort()) {
    const value = (converse as unknown as Record<string, unknown>)[member];
    if (value === undefined) continue;
    if (member === 'messages') {
      messages = converse.messages.map((message) => canonicalJson(message));
      seenMessages = true;
      continue;
    }
    const part = `${JSON.stringify(member)}:${canonicalJson(value)}`;
    if (seenMessages) after += `,${part}`;
    else before += `${part},`;
  }
  const body = (list: readonly string[]): string => `{${before}"messages":[${list.join(',')}]${after}}`;
  return { request: body(messages), scope: `{"namespace":${JSON.stringify(namespace)},"request":${body(messages.slice(0, -1))}}` };
}

/**
 * Scope hashes by canonical scope JSON. Most requests share a handful of scopes (same model,
 * system prompt and settings), so a hit usually costs one hash (its key), not two. Bounded: the
 * map is emptied when it reaches `maxEntries` (default 1000), and a scope longer than
 * `maxRememberedChars` (default 4096) is hashed each time, never kept: a conversation's scope
 * holds its earlier turns, so long scopes seldom repeat, and 1000 of them at the request limits
 * would hold hundreds of megabytes.
 */
export class ScopeHashes {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly encode: KeyEncoder = sha256Hex,
    private readonly maxEntries = 1000,
    private readonly maxRememberedChars = 4096,
  ) {}

  of(canonicalScope: string): string {
    if (canonicalScope.length > this.maxRememberedChars) return this.encode(canonicalScope);
    let hash = this.known.get(canonicalScope);
    if (hash === undefined) {
      hash = this.encode(canonicalScope);
      if (this.known.size >= this.maxEntries) this.known.clear();
      this.known.set(canonicalScope, hash);
    }
    return hash;
  }
}

/** Digest of a prompt for logs: lets operators correlate requests without logging their text. */
export function promptDigest(prompt: string): string {
  return sha256Hex(prompt).slice(0, 16);
}
