import { formatValue, parseValue, type Setting } from './parse';

/** Context lookup: `app.node.tryGetContext` or a plain record in tests. */
export type ContextReader = (key: string) => unknown;

/**
 * Reads rows of the settings table from CDK context, recording a problem (not throwing) for each
 * bad value so that synth can report them all at once. A bad value yields the row's default, so
 * later checks still run on something valid.
 */
export class ContextSettings {
  constructor(
    private readonly read: ContextReader,
    readonly problems: string[] = [],
  ) {}

  get<T>(setting: Setting<T>, fallback: T = setting.default): T {
    const key = setting.context;
    if (key === undefined) throw new Error('ContextSettings: this setting has no context key');
    const raw = this.read(key);
    if (raw === undefined) return fallback;
    // A blank value is a mistake on the command line, not a request for the default.
    if (fallback !== undefined && setting.rule.type !== 'list' && String(raw).trim() === '') {
      this.problems.push(`${key} is empty; expected a value (default ${setting.defaultDoc === undefined ? formatValue(fallback) : docText(setting.defaultDoc)})`);
      return fallback;
    }
    const parsed = parseValue(setting, raw);
    if ('problem' in parsed) {
      this.problems.push(`${key}=${String(raw)} is invalid; ${parsed.problem}`);
      return fallback;
    }
    return parsed.value;
  }
}

function docText(doc: NonNullable<Setting<unknown>['defaultDoc']>): string {
  return typeof doc === 'string' ? doc : doc.context;
}
