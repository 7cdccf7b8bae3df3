import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { CacheRequest, ConverseRequest } from './types';

/** Every key this library writes starts with this prefix (the cache user's ACL reaches only it). */
export const KEY_PREFIX = 'llmcache:';
/** Version of the key layout and entry format; bump it to orphan every old entry at once. */
export const KEY_VERSION = 'v1';

/** Turns canonical request JSON into a fixed-size digest. Replaceable; the default is SHA-256 hex. */
export type KeyEncoder = (canonical: string) => string;

export const sha256Hex: KeyEncoder = (canonical) => createHash('sha256').update(canonical).digest('hex');

/** The Converse request we send for a validated cache request; the exact key hashes all of it. */
export function toConverseRequest(request: CacheRequest): ConverseRequest {
  return {
    modelId: request.modelId,
    ...(request.system !== undefined ? { system: [{ text: request.system }] } : {}),
    messages: [{ role: 'user', content: [{ text: request.prompt }] }],
    inferenceConfig: { maxTokens: request.maxTokens, temperature: request.temperature, topP: request.topP },
  };
}

/** Exact key: `llmcache:v1:<namespace>:<sha256 of the canonical Converse request>`. */
export function exactKey(namespace: string, converse: ConverseRequest, encode: KeyEncoder = sha256Hex): string {
  return `${KEY_PREFIX}${KEY_VERSION}:${namespace}:${encode(canonicalJson(converse))}`;
}

/**
 * Semantic scope: the same hash computed without the final user text, plus the namespace. Two
 * prompts may only match semantically when everything else about their requests is equal.
 */
export function scopeHash(namespace: string, converse: ConverseRequest, encode: KeyEncoder = sha256Hex): string {
  const messages = converse.messages.slice(0, -1);
  return encode(canonicalJson({ namespace, request: { ...converse, messages } }));
}

/** Digest of a prompt for logs: lets operators correlate requests without logging their text. */
export function promptDigest(prompt: string): string {
  return sha256Hex(prompt).slice(0, 16);
}
