import type { TokenUsage } from '../core/types';

/** USD per million tokens, input and output. */
export interface TokenPrice {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

/**
 * Default price for the estimate of cost saved: Claude Haiku 4.5 on-demand list price
 * ($1 input / $5 output per million tokens). Override with `LLM_PRICE_INPUT_PER_MTOK` and
 * `LLM_PRICE_OUTPUT_PER_MTOK`; it only feeds a metric, never billing.
 */
export const DEFAULT_TOKEN_PRICE: TokenPrice = { inputPerMTok: 1, outputPerMTok: 5 };

export function estimateCostUsd(usage: TokenUsage, price: TokenPrice): number {
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}
