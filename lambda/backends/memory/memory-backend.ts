import { performance } from 'node:perf_hooks';
import { requireNamespace } from '../../core/purge-keys';
import type { BackendFactory } from '../backend';
import { MemoryIndex } from './memory-index';
import { MemoryStore } from './memory-store';

/**
 * The embedded backend: entries and vectors in the container's own memory, bounded by
 * `MEMORY_MAX_ENTRIES` and `MEMORY_MAX_BYTES` each. Nothing to connect or close. A purge removes
 * the namespace's entries, locks and vectors at once (one pass over each structure).
 */
export const memoryBackend: BackendFactory = (config) => {
  const { memoryMaxEntries: maxEntries, memoryMaxBytes: maxBytes } = config;
  const index = config.semanticIndex === 'none' ? null : new MemoryIndex(maxEntries, Date.now, maxBytes);
  const store = new MemoryStore(maxEntries, Date.now, maxBytes);
  return {
    store,
    semanticIndex: async () => index,
    warmUp: () => undefined,
    purge: async (namespace, deadline) => {
      requireNamespace(namespace);
      if (deadline !== undefined && performance.now() >= deadline) return { entries: 0, keys: 0, complete: false };
      const removed = store.purge(namespace);
      const documents = index?.purge(namespace) ?? 0;
      return { entries: removed.entries, keys: removed.keys + documents, complete: true };
    },
    close: async () => undefined,
  };
};
