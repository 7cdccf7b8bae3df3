import type { BackendFactory } from '../backend';
import { MemoryIndex } from './memory-index';
import { MemoryStore } from './memory-store';

/**
 * The embedded backend: entries and vectors in the container's own memory, bounded by
 * `MEMORY_MAX_ENTRIES` and `MEMORY_MAX_BYTES` each. Nothing to connect or close.
 */
export const memoryBackend: BackendFactory = (config) => {
  const { memoryMaxEntries: maxEntries, memoryMaxBytes: maxBytes } = config;
  const index = config.semanticIndex === 'none' ? null : new MemoryIndex(maxEntries, Date.now, maxBytes);
  return {
    store: new MemoryStore(maxEntries, Date.now, maxBytes),
    semanticIndex: async () => index,
    warmUp: () => undefined,
    close: async () => undefined,
  };
};
