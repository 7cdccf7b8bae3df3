/**
 * One setting's type, default and validator, and the parsing both sources share: the runtime's
 * environment (`lambda/core/env.ts`) and the CDK context (`lib/config/app-config.ts`). A value is
 * checked by the same code on both sides, so synth and run time cannot disagree about it.
 */

/** Numeric limits; `allowed` lists the only valid values, `why` explains a limit in messages. */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly minExclusive?: number;
  readonly max?: number;
  readonly allowed?: readonly number[];
  readonly why?: string;
}

export type Rule =
  | ({ readonly type: 'number' } & NumberRule)
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'string'; readonly pattern?: RegExp; readonly expected?: string; readonly check?: (value: string) => string | undefined }
  | { readonly type: 'list' }
  /** `loose` also accepts 1/0, yes/no, on/off (environment flags); otherwise only true/false. */
  | { readonly type: 'bool'; readonly loose?: boolean };

/** One row of the settings table; `T` is the parsed value's type. */
export interface Setting<T> {
  /** Environment variable the runtime reads, if any. */
  readonly env?: string;
  /** CDK context key synth reads, if any; equal to the `LlmCacheConfig` field it fills. */
  readonly context?: string;
  readonly rule: Rule;
  /** Value when unset; `undefined` for an optional setting or one whose default is another's. */
  readonly default: T;
  /** The default in words when `default` alone does not say it (README). */
  readonly defaultDoc?: string | { readonly env: string; readonly context: string };
  /** One line for the README. */
  readonly doc: string;
}

type Row<T> = Omit<Setting<T>, 'rule'>;

export const num = (row: Row<number>, rule: NumberRule = {}): Setting<number> => ({ ...row, rule: { type: 'number', ...rule } });
export const int = (row: Row<number>, rule: NumberRule = {}): Setting<number> => num(row, { ...rule, integer: true });
export const oneOf = <T extends string>(row: Row<T>, values: readonly T[]): Setting<T> => ({ ...row, rule: { type: 'enum', values } });
export const str = <T extends string | undefined = string>(row: Row<T>, rule: Omit<Extract<Rule, { type: 'string' }>, 'type'> = {}): Setting<T> => ({
  ...row,
  rule: { type: 'string', ...rule },
});
export const list = (row: Row<readonly string[]>): Setting<readonly string[]> => ({ ...row, rule: { type: 'list' } });
export const bool = (row: Row<boolean>, loose = false): Setting<boolean> => ({ ...row, rule: { type: 'bool', loose } });

export type Parsed<T> = { readonly value: T } | { readonly problem: string };

/**
 * Parses one set value (a string from the environment or `-c`, or a JSON value from cdk.json).
 * A problem reads as the end of "`<name>=<value> is invalid; <problem>`".
 */
export function parseValue<T>(setting: Setting<T>, raw: unknown): Parsed<T> {
  const rule = setting.rule;
  const text = Array.isArray(raw) ? raw.map(String).join(',') : String(raw).trim();
  switch (rule.type) {
    case 'number': {
      const value = typeof raw === 'number' ? raw : Number(text);
      if (text === '' || !Number.isFinite(value) || !inRange(value, rule)) return { problem: `valid values: ${describeNumber(rule)}` };
      if (rule.integer === true && !Number.isInteger(value)) return { problem: `valid values: an integer, ${describeNumber(rule)}` };
      return { value: value as T };
    }
    case 'enum':
      return rule.values.includes(text) ? { value: text as T } : { problem: `valid values: ${rule.values.join(', ')}` };
    case 'string': {
      if (rule.pattern !== undefined && !rule.pattern.test(text)) return { problem: `expected ${rule.expected ?? rule.pattern.source}` };
      const problem = rule.check?.(text);
      return problem === undefined ? { value: text as T } : { problem };
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw.map(String) : text.split(',');
      return { value: items.map((item) => item.trim()).filter((item) => item !== '') as T };
    }
    case 'bool': {
      const lower = text.toLowerCase();
      const yes = rule.loose ? ['true', '1', 'yes', 'on'] : ['true'];
      const no = rule.loose ? ['false', '0', 'no', 'off'] : ['false'];
      if (yes.includes(lower)) return { value: true as T };
      if (no.includes(lower)) return { value: false as T };
      return { problem: 'valid values: true, false' };
    }
  }
}

function inRange(value: number, rule: NumberRule): boolean {
  return (
    (rule.min === undefined || value >= rule.min) &&
    (rule.minExclusive === undefined || value > rule.minExclusive) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.allowed === undefined || rule.allowed.includes(value))
  );
}

/** "a number >= 1 and <= 31536000", "256, 512, 1024", with the rule's reason if any. */
export function describeNumber(rule: NumberRule): string {
  const why = rule.why === undefined ? '' : ` (${rule.why})`;
  if (rule.allowed !== undefined) return `${rule.allowed.join(', ')}${why}`;
  const low = rule.minExclusive !== undefined ? `> ${rule.minExclusive}` : `>= ${rule.min ?? '-inf'}`;
  return `a number ${low} and <= ${rule.max ?? 'inf'}${why}`;
}

/** The environment's spelling of a value (lists comma-separated). */
export function formatValue(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}
