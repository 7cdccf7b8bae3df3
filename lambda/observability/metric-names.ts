/**
 * The runtime's one list of metrics: every name the function emits (CloudWatch EMF through
 * Powertools), its unit and what it means. The observer emits only these names, and the stacks'
 * dashboard and alarms (`lib/monitoring/`) take their names from here, so a renamed metric fails
 * a test instead of leaving an empty graph. Dependency-free on purpose: both sides import it.
 */

/** CloudWatch units used here (the strings Powertools `MetricUnit` and EMF carry). */
export type MetricUnitName = 'Count' | 'Milliseconds' | 'None';

/**
 * How a metric's data points are recorded: `count` data points are summed between flushes
 * (their Sum is what matters); `value` data points are kept one by one (their percentiles need
 * every value).
 */
export type MetricKind = 'count' | 'value';

/** One metric of the list. */
export interface MetricSpec {
  readonly unit: MetricUnitName;
  readonly kind: MetricKind;
  /** What one data point says, for the README and the dashboard's readers. */
  readonly meaning: string;
}

/** Every metric the runtime emits. */
export const METRICS = {
  CacheHit: { unit: 'Count', kind: 'count', meaning: 'A request answered from the cache (exact or semantic).' },
  CacheHitExact: { unit: 'Count', kind: 'count', meaning: 'A request answered from the cache by its exact key.' },
  CacheHitSemantic: { unit: 'Count', kind: 'count', meaning: 'A request answered from the cache by a similar prompt in its scope.' },
  CacheMiss: { unit: 'Count', kind: 'count', meaning: 'A cacheable request that the model answered.' },
  CacheBypass: { unit: 'Count', kind: 'count', meaning: 'A request with mode "off" (or the cache switched off): neither read nor written.' },
  CacheRefresh: {
    unit: 'Count',
    kind: 'count',
    meaning: 'A request with mode "refresh": the model answered it (or an identical concurrent refresh, coalesced) and the answer replaced the entry. Neither a hit nor a miss.',
  },
  Similarity: { unit: 'None', kind: 'value', meaning: 'Cosine similarity of a semantic match, 0..1.' },
  CacheLatency: { unit: 'Milliseconds', kind: 'value', meaning: 'Time in cache operations of one request (lookups, the lock attempt).' },
  ModelLatency: { unit: 'Milliseconds', kind: 'value', meaning: 'The model call of a request that called the model itself.' },
  LockWait: { unit: 'Milliseconds', kind: 'value', meaning: 'Time a request waited for an identical in-flight request.' },
  TokensSaved: { unit: 'Count', kind: 'count', meaning: 'Input plus output tokens a hit did not spend.' },
  EstimatedCostSavedUSD: { unit: 'None', kind: 'value', meaning: 'US dollars a hit did not spend, at the configured token prices.' },
  SemanticRejected: {
    unit: 'Count',
    kind: 'count',
    meaning: 'A semantic lookup whose nearest neighbour above the threshold was rejected, by the same-question check or by its owner (the reject action); the request\'s log line names the reason; the request missed.',
  },
  CacheFault: { unit: 'Count', kind: 'count', meaning: 'A cache operation failed (or was skipped by an open breaker) and the request went on without it.' },
  CorruptEntry: { unit: 'Count', kind: 'count', meaning: 'A stored value could not be read and was treated as a miss.' },
  Invalidated: { unit: 'Count', kind: 'count', meaning: 'Entries an invalidate action removed (README "Taking an answer back").' },
  Purged: { unit: 'Count', kind: 'count', meaning: 'Entries a purge action removed from its namespace.' },
  BreakerOpened: { unit: 'Count', kind: 'count', meaning: 'A circuit breaker went from closed or half-open to open: the cache (or one shard) is skipped for its cool-down.' },
} as const satisfies Readonly<Record<string, MetricSpec>>;

/** A name of the list. */
export type MetricName = keyof typeof METRICS;

/** Names of the metrics whose data points are summed. */
export type CountMetricName = { [K in MetricName]: (typeof METRICS)[K]['kind'] extends 'count' ? K : never }[MetricName];

/** Names of the metrics whose data points are kept one by one. */
export type ValueMetricName = Exclude<MetricName, CountMetricName>;

/** The names, in the list's order. */
export const METRIC_NAMES: readonly MetricName[] = Object.keys(METRICS) as MetricName[];

/** Each name as a constant (`METRIC.CacheHit === 'CacheHit'`), so no caller spells a name out. */
export const METRIC: { readonly [K in MetricName]: K } = Object.fromEntries(METRIC_NAMES.map((name) => [name, name])) as { [K in MetricName]: K };

/** Whether `name` is in the list. */
export function isMetricName(name: string): name is MetricName {
  return Object.prototype.hasOwnProperty.call(METRICS, name);
}

/**
 * Defaults Powertools reports under when the environment sets nothing (local runs). A deployed
 * stack sets `POWERTOOLS_METRICS_NAMESPACE` to the same namespace and `POWERTOOLS_SERVICE_NAME`
 * to its own stack name (the `service` dimension), so two stacks in one account never mix.
 */
export const METRICS_DEFAULTS = { namespace: 'BedrockLlmCache', serviceName: 'bedrock-llm-cache' } as const;
