/** The chat model: Bedrock Converse, for any model id or inference profile. */
import { ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { ChatModel, ConverseRequest, ModelAnswer } from '../core/types';
import { modelErrorFromDetail } from './caller-message';
import { resolveClient, type BedrockClientSource } from './clients';
import { toModelError } from './model-errors';

/** Copies the (readonly) request into the SDK's mutable input shape, field for field. */
export function toConverseInput(request: ConverseRequest): ConverseCommandInput {
  const input: ConverseCommandInput = {
    modelId: request.modelId,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content.map((c) => ({ text: c.text })) })),
    inferenceConfig: { ...request.inferenceConfig },
  };
  if (request.system !== undefined) input.system = request.system.map((s) => ({ text: s.text }));
  if (request.additionalModelRequestFields !== undefined) {
    input.additionalModelRequestFields = structuredClone(request.additionalModelRequestFields) as ConverseCommandInput['additionalModelRequestFields'];
  }
  return input;
}

export class BedrockChatModel implements ChatModel {
  /** `client` may be a getter, so the client is only built on the first call (lazy cold start). */
  constructor(private readonly client: BedrockClientSource) {}

  async converse(request: ConverseRequest): Promise<ModelAnswer> {
    const started = performance.now();
    let response;
    try {
      response = await resolveClient(this.client).send(new ConverseCommand(toConverseInput(request)));
    } catch (error) {
      throw toModelError(error, `Converse ${request.modelId}`);
    }
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    const content = response.output?.message?.content;
    if (content === undefined) {
      throw modelErrorFromDetail(`Bedrock Converse ${request.modelId} returned no message`);
    }
    const text = content.map((block) => block.text ?? '').join('');
    return {
      text,
      stopReason: response.stopReason ?? 'unknown',
      usage: { inputTokens: response.usage?.inputTokens ?? 0, outputTokens: response.usage?.outputTokens ?? 0 },
      modelId: request.modelId,
      latencyMs,
    };
  }
}
