import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { promptDigest } from '../core/keys';
import type { CacheRequest, CacheResponse } from '../core/types';
import { addAnsweredMetadata, metricsDisabled } from './answered-metadata';
import { MetricBatch } from './metric-batch';
import { METRIC, METRICS, type CountMetricName, type ValueMetricName } from './metric-names';
import type { ActionReport, AnswerDetails, CacheFault, CacheObserver } from './observer';
import { estimateCostUsd, type TokenPrice } from './pricing';

/**
 * Structured JSON logs and CloudWatch EMF metrics through Powertools for AWS Lambda. Prompts and
 * answers are never logged: a digest and sizes instead.
 */
export class PowertoolsObserver implements CacheObserver {
  private semanticNoticeGiven = false;
  private readonly batch: MetricBatch;
  /** True while an answered line's fields wait in the EMF document for the next flush. */
  private linePending = false;
  /**
   * Powertools' own answer, read once: it decides at construction (`POWERTOOLS_METRICS_DISABLED`,
   * else `POWERTOOLS_DEV`). While off, no data point is handed to Powertools: it would validate and
   * store each one only to drop them all at the flush.
   */
  private readonly metricsOn: boolean;

  constructor(
    readonly logger: Logger,
    readonly metrics: Metrics,
    private readonly price: TokenPrice,
  ) {
    this.batch = new MetricBatch(metrics);
    this.metricsOn = !metricsDisabled(metrics);
  }

  /** Publishes the metrics held since the last flush as one EMF document (the handler calls it per invocation). */
  flush(): void {
    this.batch.drain();
    this.linePending = false;
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }

  answered(request: CacheRequest, response: CacheResponse, details: AnswerDetails): void {
    // A previous request's line still waits in the document (no flush in between): publish it with
    // its own data points first, so each document carries one request.
    if (this.linePending) this.flush();
    // Hits by kind as metric names, not a dimension: exact with any flush pattern, and cheap
    // (a Powertools single-metric object per hit costs more than the Redis GET it reports).
    if (response.cache === 'exact' || response.cache === 'semantic') {
      this.count(METRIC.CacheHit);
      this.count(response.cache === 'exact' ? METRIC.CacheHitExact : METRIC.CacheHitSemantic);
    } else if (response.cache === 'miss') {
      this.count(METRIC.CacheMiss);
    } else if (response.cache === 'refresh') {
      this.count(METRIC.CacheRefresh);
    } else {
      this.count(METRIC.CacheBypass);
    }
    if (response.similarity !== undefined) this.value(METRIC.Similarity, response.similarity);
    this.value(METRIC.CacheLatency, details.cacheMs);
    // The model call's own latency: a request that waited on another's lock and then called the
    // model must not report the wait as model time. The wait is its own metric.
    if (details.modelCalled && details.modelMs !== undefined) this.value(METRIC.ModelLatency, details.modelMs);
    if (response.semanticRejected) this.count(METRIC.SemanticRejected);
    if (details.waitMs > 0) this.value(METRIC.LockWait, details.waitMs);
    if (response.savedUsage) {
      this.count(METRIC.TokensSaved, response.savedUsage.inputTokens + response.savedUsage.outputTokens);
      this.value(METRIC.EstimatedCostSavedUSD, estimateCostUsd(response.savedUsage, this.price));
    }
    // One flat object per line, optional fields set only when present (no spreads); the digest
    // is a SHA-256, so it is computed only when the line is written at the configured level.
    if (!this.infoEnabled()) return;
    const line: Record<string, unknown> = {
      cache: response.cache,
      latencyMs: response.latencyMs,
      cacheMs: round2(details.cacheMs),
      modelId: response.modelId,
      namespace: request.namespace,
      mode: request.mode,
      promptDigest: promptDigest(request.prompt),
      promptChars: request.prompt.length,
      answerChars: response.text.length,
    };
    if (response.similarity !== undefined) line.similarity = response.similarity;
    if (details.waitMs > 0) line.waitMs = round2(details.waitMs);
    if (details.modelMs !== undefined) line.modelMs = details.modelMs;
    if (response.cacheSkipped) line.cacheSkipped = response.cacheSkipped;
    if (response.coalesced) line.coalesced = true;
    if (response.semanticRejected) {
      line.semanticRejected = response.semanticRejected.reason;
      line.rejectedSimilarity = response.semanticRejected.similarity;
    }
    if (response.semantic) {
      line.semantic = response.semantic;
      line.semanticReason = response.semanticReason;
    }
    this.writeAnswered(line);
  }

  /**
   * The answered line. While metrics are published, its fields ride in the invocation's EMF
   * document as Powertools metadata, with the Logger's `level`, `message` and `timestamp` keys:
   * one JSON line per request instead of two, and one serialization and write fewer (the Logger
   * line cost as much as the GET it reports). With metrics disabled, the Logger writes it.
   */
  private writeAnswered(line: Record<string, unknown>): void {
    if (!this.metricsOn) {
      this.logger.info('answered', line);
      return;
    }
    addAnsweredMetadata(this.metrics, line);
    this.linePending = true;
  }

  /**
   * Whether INFO lines are written (Powertools' own `POWERTOOLS_LOG_LEVEL`, or `AWS_LAMBDA_LOG_LEVEL`),
   * asked per request (a sampled invocation may lower the level). The numeric `level` against
   * Powertools' threshold: `getLevelName()` searches the level table for the name on each call.
   */
  private infoEnabled(): boolean {
    return this.logger.level <= LogLevelThreshold.INFO;
  }

  fault(fault: CacheFault): void {
    this.count(METRIC.CacheFault);
    this.logger.warn('cache operation failed open', {
      operation: fault.operation,
      reason: fault.reason,
      error: describe(fault.error),
    });
  }

  corruptEntry(reason: string): void {
    this.count(METRIC.CorruptEntry);
    this.logger.warn('unreadable cache entry treated as a miss', { reason });
  }

  /**
   * One info line per action, naming it, its namespace and what it removed (never a prompt);
   * the Invalidated and Purged metrics count entries. A reject has its line only.
   */
  action(report: ActionReport): void {
    if (report.action === 'invalidate') this.count(METRIC.Invalidated, report.count);
    else if (report.action === 'purge') this.count(METRIC.Purged, report.count);
    this.logger.info('cache action', { ...report });
  }

  breakerOpened(partition?: string): void {
    this.count(METRIC.BreakerOpened);
    // Once per opening, not per skipped call: the skipped calls are CacheFault (circuit-open).
    this.logger.warn('circuit breaker opened; the cache is skipped until its cool-down ends', partition === undefined ? {} : { partition });
  }

  /** Adds to a count metric of the list (`metric-names.ts`); its unit comes from the list. */
  private count(name: CountMetricName, n = 1): void {
    if (this.metricsOn) this.batch.count(name, n);
  }

  /** Records one value of a metric of the list, with the list's unit. */
  private value(name: ValueMetricName, value: number): void {
    if (this.metricsOn) this.batch.value(name, METRICS[name].unit, value);
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
