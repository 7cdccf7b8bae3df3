import { BACKEND_IDS } from '../lib/config/backends';
import { InvokeError } from './invoke-client';

/** Usage lines shown on bad arguments. */
export const INVALIDATE_USAGE = [
  `usage: npm run invalidate -- <${BACKEND_IDS.join('|')}> (--entry-id ID | --namespace NS --purge | --prompt "..." [--namespace NS] [--system "..."] [--model-id ID])`,
  '       npm run invalidate -- --redis-url <redis[s]://host:port> [--backend redis|redis-cluster] (the same choice)',
].join('\n');

/** Where the action goes: the deployed function of a backend's stack, or a local runtime over a Redis URL. */
export type InvalidateTarget = { readonly kind: 'deployed'; readonly backend: string } | { readonly kind: 'local'; readonly redisUrl: string; readonly client: 'redis' | 'redis-cluster' };

/** What `npm run invalidate` sends, and where. */
export interface InvalidateArgs {
  readonly target: InvalidateTarget;
  /** The action event (README "Taking an answer back"). */
  readonly action: Readonly<Record<string, unknown>>;
}

const VALUED = new Set(['--entry-id', '--prompt', '--namespace', '--system', '--model-id', '--redis-url', '--backend']);

/**
 * Parses `<backend> (--entry-id ID | --namespace NS --purge | --prompt "...")`, or the same with
 * `--redis-url` instead of a backend. Exactly one of the three; throws `InvokeError` with the usage.
 */
export function parseInvalidateArgs(argv: readonly string[]): InvalidateArgs {
  const positional: string[] = [];
  const values = new Map<string, string>();
  let purge = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--purge') {
      purge = true;
    } else if (VALUED.has(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw usage(`${arg} needs a value`);
      values.set(arg, value);
      i += 1;
    } else if (arg.startsWith('--')) {
      throw usage(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  return { target: targetOf(positional, values), action: actionOf(values, purge) };
}

function targetOf(positional: readonly string[], values: ReadonlyMap<string, string>): InvalidateTarget {
  const redisUrl = values.get('--redis-url');
  if (redisUrl !== undefined) {
    if (positional.length > 0) throw usage(`--redis-url runs locally: leave out the backend (${positional.join(' ')})`);
    const client = values.get('--backend') ?? 'redis';
    if (client !== 'redis' && client !== 'redis-cluster') throw usage(`--backend must be redis or redis-cluster, got ${client}`);
    return { kind: 'local', redisUrl, client };
  }
  if (values.has('--backend')) throw usage('--backend goes with --redis-url');
  if (positional.length !== 1) throw usage(positional.length === 0 ? 'name a deployed backend, or --redis-url' : `one backend, got ${positional.join(' ')}`);
  return { kind: 'deployed', backend: positional[0]! };
}

function actionOf(values: ReadonlyMap<string, string>, purge: boolean): Record<string, unknown> {
  const entryId = values.get('--entry-id');
  const prompt = values.get('--prompt');
  const namespace = values.get('--namespace');
  const chosen = [entryId !== undefined, purge, prompt !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw usage('choose one of --entry-id, --purge, --prompt');
  const requestOnly = ['--system', '--model-id'].filter((name) => values.has(name));
  if (prompt === undefined && requestOnly.length > 0) throw usage(`${requestOnly.join(', ')} go with --prompt`);
  if (entryId !== undefined) {
    if (namespace !== undefined) throw usage('--entry-id names its namespace itself: leave out --namespace');
    return { action: 'invalidate', entryId };
  }
  if (purge) {
    if (namespace === undefined) throw usage('--purge needs --namespace: the namespace to empty');
    return { action: 'purge', namespace };
  }
  const system = values.get('--system');
  const modelId = values.get('--model-id');
  return {
    action: 'invalidate',
    prompt,
    ...(namespace === undefined ? {} : { namespace }),
    ...(system === undefined ? {} : { system }),
    ...(modelId === undefined ? {} : { modelId }),
  };
}

function usage(problem: string): InvokeError {
  return new InvokeError(`${problem}\n${INVALIDATE_USAGE}`);
}
