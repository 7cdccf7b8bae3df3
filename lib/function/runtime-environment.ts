import { Aws } from 'aws-cdk-lib';
import type { LlmCacheConfig } from '../config/app-config';
import { METRICS_DEFAULTS } from '../../lambda/observability/metric-names';
import type { ICacheBackend } from '../backends/cache-backend';
import { formatValue } from '../../lambda/settings/parse';
import { RUNTIME_SETTINGS } from '../../lambda/settings/runtime-settings';
import { SHARED_SETTINGS } from '../../lambda/settings/table';

/**
 * Service name and metrics namespace Powertools reports under. The service name is the `service`
 * dimension of every metric (Powertools sets it from `POWERTOOLS_SERVICE_NAME`): it is the stack's
 * own name (`AWS::StackName`, unique per account and region), so the dashboards of two stacks in
 * one account never mix. The dashboard's metrics use this same value.
 */
export const POWERTOOLS = { serviceName: Aws.STACK_NAME, metricsNamespace: METRICS_DEFAULTS.namespace } as const;

/** The parts of a backend the runtime's environment depends on. */
export type BackendConnection = Pick<ICacheBackend, 'endpoint' | 'port' | 'tls' | 'topology' | 'vectorSearch'> & {
  /** ARN of the secret `{ username, password }`. */
  readonly secretArn: string;
};

/**
 * The function's environment for one backend; names and meanings per DESIGN.md "Environment".
 * Each setting that is both a context key and a variable (`SHARED_SETTINGS`) is passed on under
 * its variable's name, in the environment's spelling (lists comma-separated).
 * The only place that maps a backend to `CACHE_BACKEND`, `CACHE_URL` and `SEMANTIC_INDEX`:
 * standalone -> `redis`, cluster protocol -> `redis-cluster`; TLS -> `rediss://`; a server with
 * FT.* vector search -> `search`, otherwise `client` (the runtime's client-side index: vectors
 * and a change log on the server, a search index in each container).
 */
export function runtimeEnvironment(backend: BackendConnection, settings: LlmCacheConfig): Record<string, string> {
  const scheme = backend.tls ? 'rediss' : 'redis';
  const R = RUNTIME_SETTINGS;
  return {
    [envName(R.backend)]: backend.topology === 'cluster' ? 'redis-cluster' : 'redis',
    [envName(R.cacheUrl)]: `${scheme}://${backend.endpoint}:${backend.port}`,
    [envName(R.secretArn)]: backend.secretArn,
    [envName(R.semanticIndex)]: backend.vectorSearch ? 'search' : 'client',
    ...settingsEnvironment(settings),
    [envName(R.serviceName)]: POWERTOOLS.serviceName,
    [envName(R.metricsNamespace)]: POWERTOOLS.metricsNamespace,
  };
}

/** A runtime row's variable; every runtime row has one (the table test checks it). */
function envName(row: { readonly env?: string }): string {
  if (row.env === undefined) throw new Error('runtime setting without an environment variable');
  return row.env;
}

/** The shared settings under their variables' names, in table order. */
function settingsEnvironment(settings: LlmCacheConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { env: name, context: key } of Object.values(SHARED_SETTINGS)) {
    // Every shared row has both names (tested); its context key is the LlmCacheConfig field.
    if (name !== undefined && key !== undefined) env[name] = formatValue(settings[key as keyof LlmCacheConfig]);
  }
  return env;
}
