import { Template } from 'aws-cdk-lib/assertions';
import { METRIC_NAMES } from '../../../lambda/observability/metric-names';
import type { LlmCacheStack } from '../../../lib/stacks/llm-cache-stack';
import { emitAllScenarios } from '../../lambda/observability/scenarios';
import { buildStack } from '../support/build';
import { dashboardExpressions, dashboardMetrics, joinToText, type DashboardMetric } from '../support/template-json';

const NAMESPACE = 'BedrockLlmCache';
const SERVICE = '${AWS::StackName}';

describe('the stack dashboard', () => {
  let stack: LlmCacheStack;
  let template: Template;
  let metrics: DashboardMetric[];
  let body: unknown;

  beforeAll(() => {
    stack = buildStack('memorydb');
    template = Template.fromStack(stack);
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    body = dashboards[0]!.Properties.DashboardBody;
    metrics = dashboardMetrics(body);
  });

  const runtimeMetrics = (): DashboardMetric[] => metrics.filter((m) => m.namespace === NAMESPACE);

  it('is named after the stack', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'LlmCache-MemoryDb' });
  });

  it('reads only metrics of the runtime list, each emitted by the observer in some scenario', () => {
    const emitted = new Set(emitAllScenarios().map((point) => point.name));
    const names = [...new Set(runtimeMetrics().map((m) => m.name))];

    expect(names.filter((name) => !(METRIC_NAMES as readonly string[]).includes(name))).toEqual([]);
    expect(names.filter((name) => !emitted.has(name))).toEqual([]);
  });

  it('reads every runtime metric under the namespace and the service dimension the function is given', () => {
    const cacheFunction = template.findResources('AWS::Lambda::Function')[stack.getLogicalId(stack.cacheFunction.function.node.defaultChild as never)];
    const env = cacheFunction!.Properties.Environment.Variables;

    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe(NAMESPACE);
    expect(env.POWERTOOLS_SERVICE_NAME).toEqual({ Ref: 'AWS::StackName' });
    expect(runtimeMetrics().length).toBeGreaterThan(0);
    for (const m of runtimeMetrics()) expect({ name: m.name, dimensions: m.dimensions }).toEqual({ name: m.name, dimensions: { service: SERVICE } });
  });

  it.each([
    ['Requests by outcome', ['CacheHitExact', 'CacheHitSemantic', 'CacheMiss', 'CacheBypass', 'CacheRefresh'], 'Sum'],
    ['Tokens and dollars saved', ['TokensSaved', 'EstimatedCostSavedUSD'], 'Sum'],
    ['Cache faults and breaker openings', ['CacheFault', 'BreakerOpened'], 'Sum'],
    ['Corrupt entries', ['CorruptEntry'], 'Sum'],
    ['Answers taken back (entries)', ['Invalidated', 'Purged'], 'Sum'],
  ])('graphs %s as sums of %j', (widget, names, stat) => {
    const drawn = runtimeMetrics().filter((m) => m.widget === widget);

    expect(drawn.map((m) => m.name)).toEqual(names);
    for (const m of drawn) expect(m.stat).toBe(stat);
  });

  it.each([
    ['Cache latency (ms)', 'CacheLatency'],
    ['Model latency (ms)', 'ModelLatency'],
    ['Wait for an identical request (ms)', 'LockWait'],
  ])('graphs %s as p50 and p99 of %s', (widget, name) => {
    const drawn = runtimeMetrics().filter((m) => m.widget === widget);

    expect(drawn.map((m) => [m.name, m.stat])).toEqual([
      [name, 'p50'],
      [name, 'p99'],
    ]);
  });

  it('computes the hit rate as hits / (hits + misses) from CacheHit and CacheMiss sums', () => {
    const [rate] = dashboardExpressions(body).filter((e) => e.widget === 'Hit rate (%)');
    const inputs = runtimeMetrics().filter((m) => m.widget === 'Hit rate (%)');

    expect(rate?.expression).toBe('100 * hits / (hits + misses)');
    expect(inputs.map((m) => [m.id, m.name, m.stat])).toEqual([
      ['hits', 'CacheHit', 'Sum'],
      ['misses', 'CacheMiss', 'Sum'],
    ]);
  });

  it("graphs the function's own Errors and Throttles", () => {
    const lambdaMetrics = metrics.filter((m) => m.namespace === 'AWS/Lambda');
    const functionRef = `\${${stack.getLogicalId(stack.cacheFunction.function.node.defaultChild as never)}}`;

    expect(lambdaMetrics.map((m) => [m.name, m.stat, m.dimensions.FunctionName])).toEqual([
      ['Errors', 'Sum', functionRef],
      ['Throttles', 'Sum', functionRef],
    ]);
  });

  it('outputs the console URL of the dashboard in the stack region', () => {
    const [output] = Object.values(template.findOutputs('DashboardUrl'));
    const dashboardId = Object.keys(template.findResources('AWS::CloudWatch::Dashboard'))[0];

    expect(joinToText(output!.Value)).toBe(`https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=\${${dashboardId}}`);
  });
});
