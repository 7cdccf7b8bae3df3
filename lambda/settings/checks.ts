import { chatModelRules } from './chat-models';
import { EMBEDDING_MODELS } from './values';

/**
 * Checks that span two settings, shared by synth and run time. Each takes the names the caller
 * uses (context keys or environment variables) and returns a problem, or undefined.
 */

/** The floor must not exceed the default threshold, or every default request would be refused. */
export function floorProblem(threshold: number, floor: number, names: { threshold: string; floor: string }): string | undefined {
  if (floor <= threshold) return undefined;
  return `${names.floor}=${floor} is above ${names.threshold}=${threshold}; the floor must not exceed the default threshold`;
}

/** A model with known output sizes (`EMBEDDING_MODELS`) accepts only those; another is trusted. */
export function dimensionsProblem(modelId: string, dimensions: number, name: string): string | undefined {
  const sizes = EMBEDDING_MODELS[modelId];
  if (sizes === undefined || sizes.includes(dimensions)) return undefined;
  return `${name}=${dimensions} is invalid; valid values: ${sizes.join(', ')} (the sizes ${modelId} supports)`;
}

/**
 * A default `maxTokens` (`LLM_MAX_TOKENS`, context `maxTokens`) above an allowed model's maximum
 * would make every default request to that model `InvalidRequest`: one problem per such model.
 */
export function maxTokensProblems(maxTokens: number, modelIds: readonly string[], name: string): string[] {
  const problems: string[] = [];
  for (const modelId of modelIds) {
    const rules = chatModelRules(modelId);
    if (maxTokens > rules.maxOutputTokens) {
      problems.push(`${name}=${maxTokens} is above the ${rules.maxOutputTokens} output tokens ${modelId} (${rules.name}) takes; lower it or remove the model`);
    }
  }
  return problems;
}
