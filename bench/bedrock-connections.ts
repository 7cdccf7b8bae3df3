/**
 * Bedrock connections per container: N sequential embedding calls and N sequential Converse calls
 * through the runtime's own factories (`createEmbedder`, `createChatModel`, hence the container's
 * shared client and its request handler), against a fresh local emulator that counts the TCP
 * connections it accepts. A count is exact, not a timing, so other load on the machine does not
 * move it. Target (issue 11): at most 2 connections per 100 calls. Before keep-alive the SDK's
 * default handler opened one connection per call (100 of 100).
 */
import { createChatModel, createEmbedder, resetBedrockRuntimeClients } from '../lambda/bedrock';
import { startBedrockEmulator, TITAN_V2_EMBEDDING_MODEL_ID } from '../tools/bedrock-emulator/server';
import { BEDROCK_CONNECTIONS_CALLS } from './targets';

export interface BedrockConnectionsResult {
  /** Embedding (InvokeModel) calls the emulator received. */
  readonly embedCalls: number;
  /** TCP connections the emulator accepted during those calls. */
  readonly embedConnections: number;
  /** Converse calls the emulator received. */
  readonly converseCalls: number;
  /** TCP connections the emulator accepted during those calls. */
  readonly converseConnections: number;
}

/**
 * Starts its own emulator, makes `calls` sequential embeddings then `calls` sequential Converse
 * calls, each from a cold container (the shared clients are reset in between: embeddings and
 * Converse share one client, hence one socket), and returns what the emulator counted. The container's clients are reset at the end
 * (they are rebuilt on next use), so no socket outlives the emulator.
 */
export async function runBedrockConnections(calls = BEDROCK_CONNECTIONS_CALLS): Promise<BedrockConnectionsResult> {
  const emulator = await startBedrockEmulator();
  try {
    const config = { bedrockEndpoint: emulator.url, region: 'us-east-1', embeddingModelId: TITAN_V2_EMBEDDING_MODEL_ID, embeddingDimensions: 256 };
    const embedder = createEmbedder(config);
    for (let i = 0; i < calls; i++) await embedder.embed(`bench question number ${i}`);
    const embedCalls = emulator.calls.embed;
    const embedConnections = emulator.connections;

    // A cold container again, so the Converse count includes its own first connection.
    resetBedrockRuntimeClients();
    emulator.reset();
    const model = createChatModel(config);
    for (let i = 0; i < calls; i++) {
      await model.converse({
        modelId: 'bench-model',
        messages: [{ role: 'user', content: [{ text: `bench question number ${i}` }] }],
        inferenceConfig: { maxTokens: 64, temperature: 0 },
      });
    }
    return { embedCalls, embedConnections, converseCalls: emulator.calls.converse, converseConnections: emulator.connections };
  } finally {
    resetBedrockRuntimeClients();
    await emulator.close();
  }
}
