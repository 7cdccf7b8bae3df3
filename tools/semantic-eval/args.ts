/** Arguments of `npm run eval:semantic`. */
import { DEFAULT_PAIRS_FILE, type PairSplit } from './pairs';
import type { CheckSetting } from './report';

export const EVAL_USAGE =
  'usage: npm run eval:semantic -- [--pairs file.jsonl] [--redis-url redis://host:port] [--index auto|client|search] ' +
  '[--bedrock aws] [--dimensions 256|512|1024] [--thresholds 0.8,0.85,0.9,0.95] [--check on|off|both] [--split dev|heldout|both] [--json out.json]';

export class EvalArgsError extends Error {
  override readonly name = 'EvalArgsError';
}

export interface EvalArgs {
  readonly pairsFile: string;
  readonly redisUrl?: string;
  readonly index: 'auto' | 'client' | 'search';
  /** `aws`: the runtime's Titan embedder (default AWS credential chain); absent: the local USE model. */
  readonly bedrock?: 'aws';
  /** Titan's output size with `--bedrock aws`. @default 1024 */
  readonly dimensions: number;
  readonly thresholds: readonly number[];
  readonly checks: readonly CheckSetting[];
  /** Splits run and shown: tune with `dev` only, so the held-out figures stay honest. */
  readonly splits: readonly PairSplit[];
  readonly jsonFile?: string;
}

const VALUED = new Set(['--pairs', '--redis-url', '--index', '--bedrock', '--dimensions', '--thresholds', '--check', '--split', '--json']);

export function parseEvalArgs(argv: readonly string[]): EvalArgs {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!VALUED.has(arg)) throw new EvalArgsError(`unknown argument ${arg}\n${EVAL_USAGE}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new EvalArgsError(`${arg} needs a value\n${EVAL_USAGE}`);
    values[arg.slice(2)] = value;
    i += 1;
  }
  const index = values.index ?? 'auto';
  if (index !== 'auto' && index !== 'client' && index !== 'search') throw new EvalArgsError(`--index must be auto, client or search\n${EVAL_USAGE}`);
  if (values.index !== undefined && values['redis-url'] === undefined) throw new EvalArgsError(`--index needs --redis-url (the memory backend has one index)\n${EVAL_USAGE}`);
  if (values.bedrock !== undefined && values.bedrock !== 'aws') throw new EvalArgsError(`--bedrock takes only "aws"\n${EVAL_USAGE}`);
  const thresholds = (values.thresholds ?? '0.8,0.85,0.9,0.95').split(',').map(Number);
  if (thresholds.some((t) => !(t > 0 && t <= 1))) throw new EvalArgsError(`--thresholds must be numbers in (0, 1]\n${EVAL_USAGE}`);
  const check = values.check ?? 'both';
  if (check !== 'on' && check !== 'off' && check !== 'both') throw new EvalArgsError(`--check must be on, off or both\n${EVAL_USAGE}`);
  const split = values.split ?? 'both';
  if (split !== 'dev' && split !== 'heldout' && split !== 'both') throw new EvalArgsError(`--split must be dev, heldout or both\n${EVAL_USAGE}`);
  const dimensions = Number(values.dimensions ?? 1024);
  if (values.dimensions !== undefined && values.bedrock === undefined) throw new EvalArgsError(`--dimensions applies to --bedrock aws only (the local model has 512)\n${EVAL_USAGE}`);
  return {
    pairsFile: values.pairs ?? DEFAULT_PAIRS_FILE,
    ...(values['redis-url'] !== undefined ? { redisUrl: values['redis-url'] } : {}),
    index,
    ...(values.bedrock === 'aws' ? { bedrock: 'aws' as const } : {}),
    dimensions,
    thresholds,
    checks: check === 'both' ? ['off', 'on'] : [check],
    splits: split === 'both' ? ['dev', 'heldout'] : [split],
    ...(values.json !== undefined ? { jsonFile: values.json } : {}),
  };
}
