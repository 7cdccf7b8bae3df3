import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { promptDigest } from '../core/keys';
import type { CacheRequest, CacheResponse } from '../core/types';
import type { AnswerDetails, CacheFault, CacheObserver } from './observer';
import { estimateCostUsd, type TokenPrice } from './pricing';

/**
 * Structured JSON logs and CloudWatch EMF metrics through Powertools for AWS Lambda. Prompts and
 * answers are never logged: a digest and sizes instead.
 */
export class PowertoolsObserver implements CacheObserver {
  private semanticNoticeGiven = false;

  constructor(
    readonly logger: Logger,
    readonly metrics: Metrics,
    private readonly price: TokenPrice,
  ) {}

  answered(request: CacheRequest, response: CacheResponse, details: AnswerDetails): void {
    // Hits by kind as metric names, not a dimension: exact with any flush pattern, and cheap
    // (a Powertools single-metric object per hit costs more than the Redis GET it reports).
    if (response.cache === 'exact' || response.cache === 'semantic') {
      this.metrics.addMetric('CacheHit', MetricUnit.Count, 1);
      this.metrics.addMetric(response.cache === 'exact' ? 'CacheHitExact' : 'CacheHitSemantic', MetricUnit.Count, 1);
    } else if (response.cache === 'miss') {
      this.metrics.addMetric('CacheMiss', MetricUnit.Count, 1);
    } else {
      this.metrics.addMetric('CacheBypass', MetricUnit.Count, 1);
    }
    if (response.similarity !== undefined) this.metrics.addMetric('Similarity', MetricUnit.NoUnit, response.similarity);
    this.metrics.addMetric('CacheLatency', MetricUnit.Milliseconds, details.cacheMs);
    // The model call's own latency: a request that waited on another's lock and then called the
    // model must not report the wait as model time. The wait is its own metric.
    if (details.modelCalled && details.modelMs !== undefined) this.metrics.addMetric('ModelLatency', MetricUnit.Milliseconds, details.modelMs);
    if (details.waitMs > 0) this.metrics.addMetric('LockWait', MetricUnit.Milliseconds, details.waitMs);
    if (response.savedUsage) {
      this.metrics.addMetric('TokensSaved', MetricUnit.Count, response.savedUsage.inputTokens + response.savedUsage.outputTokens);
      this.metrics.addMetric('EstimatedCostSavedUSD', MetricUnit.NoUnit, estimateCostUsd(response.savedUsage, this.price));
    }
    this.logger.info('answered', {
      cache: response.cache,
      similarity: response.similarity,
      latencyMs: response.latencyMs,
      cacheMs: round2(details.cacheMs),
      ...(details.waitMs > 0 ? { waitMs: round2(details.waitMs) } : {}),
      ...(details.modelMs !== undefined ? { modelMs: details.modelMs } : {}),
      modelId: response.modelId,
      namespace: request.namespace,
      mode: request.mode,
      promptDigest: promptDigest(request.prompt),
      promptChars: request.prompt.length,
      answerChars: response.text.length,
      ...(response.cacheSkipped ? { cacheSkipped: response.cacheSkipped } : {}),
      ...(response.coalesced ? { coalesced: true } : {}),
      ...(response.semantic ? { semantic: response.semantic, semanticReason: response.semanticReason } : {}),
    });
  }

  fault(fault: CacheFault): void {
    this.metrics.addMetric('CacheFault', MetricUnit.Count, 1);
    this.logger.warn('cache operation failed open', {
      operation: fault.operation,
      reason: fault.reason,
      error: describe(fault.error),
    });
  }

  corruptEntry(reason: string): void {
    this.metrics.addMetric('CorruptEntry', MetricUnit.Count, 1);
    this.logger.warn('unreadable cache entry treated as a miss', { reason });
  }

  semanticUnavailable(reason: string): void {
    if (this.semanticNoticeGiven) return;
    this.semanticNoticeGiven = true;
    this.logger.warn('semantic cache unavailable on this backend; serving exact-only', { reason });
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Error name and message only: never a stack with arguments, never a value. */
function describe(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
