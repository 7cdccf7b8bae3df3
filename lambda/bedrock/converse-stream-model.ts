/**
 * The streaming chat model: Bedrock ConverseStream over the container's shared runtime client
 * (HTTP/1.1 keep-alive, see ./clients.ts: ConverseStream's events arrive in the response body, so
 * no HTTP/2 is needed). Yields text deltas as they arrive, then one `end` with the stop reason,
 * usage and latency.
 */
import { ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { ModelError } from '../core/errors';
import type { ConverseRequest, TokenUsage } from '../core/types';
import type { ModelStreamChunk, StreamingChatModel } from '../cache/stream-types';
import { modelErrorFromDetail } from './caller-message';
import { resolveClient, type BedrockClientSource } from './clients';
import { toConverseInput } from './converse-model';
import { toModelError } from './model-errors';

/**
 * Exception events a ConverseStream may carry mid-stream (ConverseStreamOutput in the Bedrock API
 * reference). The SDK normally throws them while iterating; a member that reaches us anyway is
 * turned into the same error.
 */
const STREAM_EXCEPTIONS = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
] as const;

export class BedrockStreamingChatModel implements StreamingChatModel {
  /** `client` may be a getter, so the client is only built on the first call (lazy cold start). */
  constructor(private readonly client: BedrockClientSource) {}

  async *converseStream(request: ConverseRequest): AsyncGenerator<ModelStreamChunk> {
    const operation = `ConverseStream ${request.modelId}`;
    const started = performance.now();
    let stream: AsyncIterable<ConverseStreamOutput> | undefined;
    try {
      ({ stream } = await resolveClient(this.client).send(new ConverseStreamCommand(toConverseInput(request))));
    } catch (error) {
      throw toModelError(error, operation);
    }
    if (stream === undefined) throw brokenStream(operation, 'returned no event stream');
    let stopReason: string | undefined;
    let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    try {
      for await (const event of stream) {
        const text = event.contentBlockDelta?.delta?.text;
        if (text !== undefined && text !== '') yield { type: 'delta', text };
        else if (event.messageStop !== undefined) stopReason = event.messageStop.stopReason ?? 'unknown';
        else if (event.metadata?.usage !== undefined) {
          usage = { inputTokens: event.metadata.usage.inputTokens ?? 0, outputTokens: event.metadata.usage.outputTokens ?? 0 };
        } else throwIfException(event);
      }
    } catch (error) {
      throw toModelError(error, operation);
    }
    // A stream that ends without messageStop was cut: its text is incomplete and must never be stored.
    if (stopReason === undefined) throw brokenStream(operation, 'ended without a messageStop event');
    yield { type: 'end', stopReason, usage, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  }
}

function throwIfException(event: ConverseStreamOutput): void {
  const members = event as Partial<Record<(typeof STREAM_EXCEPTIONS)[number], { message?: string }>>;
  for (const member of STREAM_EXCEPTIONS) {
    const exception = members[member];
    if (exception !== undefined) {
      const name = `${member[0]!.toUpperCase()}${member.slice(1)}`;
      throw Object.assign(new Error(exception.message ?? name), { name });
    }
  }
}

function brokenStream(operation: string, what: string): ModelError {
  return modelErrorFromDetail(`Bedrock ${operation} ${what}`, true);
}
