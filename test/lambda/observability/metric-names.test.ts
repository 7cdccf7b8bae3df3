import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isMetricName, METRIC, METRIC_NAMES, METRICS } from '../../../lambda/observability/metric-names';
import { emitAllScenarios } from './scenarios';

const OBSERVER_SOURCE = path.join(__dirname, '..', '..', '..', 'lambda', 'observability', 'powertools-observer.ts');

describe('the metric list', () => {
  it('is the only source of names the observer emits: every emitted name is in the list', () => {
    const names = new Set(emitAllScenarios().map((point) => point.name));

    for (const name of names) expect(isMetricName(name)).toBe(true);
  });

  it('is emitted in full: each metric of the list comes out of some scenario', () => {
    const names = new Set(emitAllScenarios().map((point) => point.name));

    expect(METRIC_NAMES.filter((name) => !names.has(name))).toEqual([]);
  });

  it('gives each emitted data point the unit the list names', () => {
    for (const point of emitAllScenarios()) {
      expect({ name: point.name, unit: point.unit }).toEqual({ name: point.name, unit: METRICS[point.name as keyof typeof METRICS].unit });
    }
  });

  it('reports a breaker opening as one BreakerOpened count', () => {
    const opened = emitAllScenarios().filter((point) => point.name === METRIC.BreakerOpened);

    expect(opened).toEqual([{ name: 'BreakerOpened', unit: 'Count', value: 1 }]);
  });

  it('counts the entries an invalidate and a purge removed, and nothing for a reject', () => {
    const actions = emitAllScenarios().filter((point) => point.name === METRIC.Invalidated || point.name === METRIC.Purged);

    expect(actions).toEqual([
      { name: 'Invalidated', unit: 'Count', value: 1 },
      { name: 'Purged', unit: 'Count', value: 3 },
    ]);
  });

  it('is not bypassed by a string literal in the observer source', () => {
    const source = readFileSync(OBSERVER_SOURCE, 'utf8');
    const quoted = [...source.matchAll(/['"`]([A-Za-z]+)['"`]/g)].map((m) => m[1]);

    expect(quoted.filter((word) => isMetricName(word))).toEqual([]);
    expect(source).not.toMatch(/\b(count|value|addMetric)\(\s*['"`]/);
  });

  it('maps each name to itself in METRIC, so a rename changes one line', () => {
    for (const name of METRIC_NAMES) expect(METRIC[name]).toBe(name);
  });
});
