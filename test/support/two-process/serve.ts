/**
 * One long-lived Lambda-like process for the warm-container tests: builds the runtime from its
 * environment (exactly as a container does) and keeps it, so its client-side index stays warm
 * between requests. Reads one JSON command per line on stdin and writes one JSON line per command:
 * - `{"ask": prompt}`: answers the prompt (semantic mode) and writes the response;
 * - `{"held": prompt}`: whether this process's in-memory index holds the vector of the entry
 *   stored under that prompt's exact key (`{"held": boolean}`);
 * - `{"remove": prompt}`: removes that entry the way the invalidate action does, through the
 *   runtime's own store and index (`EntryStore.delete`, `SemanticIndex.remove`): `{"removed": boolean}`;
 * - `{"dropScope": prompt}`: deletes the prompt's entry, its document and its scope's change log
 *   with plain DELs, as a purge of the namespace does (`{"dropped": number}` keys);
 * - `{"action": {...}}`: performs an action (invalidate, reject, purge) through the runtime, as the
 *   handler does, and writes its answer.
 * Exits when stdin ends.
 */
import { createInterface } from 'node:readline';
import { parseAction } from '../../../lambda/actions/parse-action';
import { BACKENDS, type BackendFactory, type RuntimeBackend } from '../../../lambda/backends';
import { ClientIndex } from '../../../lambda/backends/redis/client-index/client-index';
import { clientIndexKeys } from '../../../lambda/backends/redis/client-index/keys';
import { lazyRedisProvider } from '../../../lambda/backends/redis/connection/lazy';
import { loadConfig, type BackendKind, type RuntimeConfig } from '../../../lambda/core/config';
import { canonicalForms, keyOf, sha256Hex, toConverseRequest } from '../../../lambda/core/keys';
import { parseRequest } from '../../../lambda/core/request';
import { createRuntime } from '../../../lambda/runtime';

/** The entry a prompt is stored under: its exact key, scope and id (the key's digest). */
function entryOf(prompt: string, config: RuntimeConfig): { key: string; scope: string; id: string; namespace: string } {
  const request = parseRequest({ prompt, mode: 'semantic' }, config);
  const forms = canonicalForms(request.namespace, toConverseRequest(request));
  const key = keyOf(request.namespace, forms.request);
  return { key, scope: sha256Hex(forms.scope), id: key.slice(key.lastIndexOf(':') + 1), namespace: request.namespace };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // The runtime's own backend, kept to look into its index: the table entry is wrapped before the
  // runtime is built (the runtime keeps its backend to itself).
  let backend: RuntimeBackend | undefined;
  const factory = BACKENDS[config.backend];
  (BACKENDS as Record<BackendKind, BackendFactory>)[config.backend] = (c, deps) => (backend = factory(c, deps));
  const redis = lazyRedisProvider(config);
  const runtime = createRuntime(config, { redis });
  const index = async (): Promise<ClientIndex> => {
    const resolved = await backend!.semanticIndex();
    if (!(resolved instanceof ClientIndex)) throw new Error(`expected the client-side index, got ${resolved?.kind ?? 'none'}`);
    return resolved;
  };
  try {
    for await (const line of createInterface({ input: process.stdin })) {
      if (line.trim() === '') continue;
      const command = JSON.parse(line) as { ask?: string; held?: string; remove?: string; dropScope?: string; action?: Record<string, unknown> };
      let reply: unknown;
      if (command.ask !== undefined) {
        reply = await runtime.cache.answer(parseRequest({ prompt: command.ask, mode: 'semantic' }, config));
      } else if (command.action !== undefined) {
        reply = await runtime.actions.perform(parseAction(command.action, config));
      } else if (command.held !== undefined) {
        const { scope, id } = entryOf(command.held, config);
        reply = { held: (await index()).held(scope)?.has(id) ?? false };
      } else if (command.remove !== undefined) {
        const { key, scope, id, namespace } = entryOf(command.remove, config);
        const [deleted, removed] = await Promise.all([backend!.store.delete(key), (await index()).remove(scope, id, namespace)]);
        reply = { removed: deleted || removed };
      } else if (command.dropScope !== undefined) {
        const { key, scope, id, namespace } = entryOf(command.dropScope, config);
        const keys = clientIndexKeys(config.embeddingModelId, config.embeddingDimensions);
        const client = await redis();
        let dropped = 0;
        for (const name of [key, keys.document(namespace, scope, id), keys.rejections(namespace, scope, id), keys.log(namespace, scope)]) {
          dropped += Number(await client.call('DEL', name));
        }
        reply = { dropped };
      } else {
        reply = { error: `unknown command ${line}` };
      }
      process.stdout.write(`${JSON.stringify(reply)}\n`);
    }
  } finally {
    await runtime.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
