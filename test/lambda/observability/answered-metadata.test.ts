import { Logger } from '@aws-lambda-powertools/logger';
import type { CacheRequest, CacheResponse } from '../../../lambda/core/types';
import { addInvocationMetadata, xrayTraceId } from '../../../lambda/observability/answered-metadata';
import { PowertoolsObserver } from '../../../lambda/observability/powertools-observer';
import { DEFAULT_TOKEN_PRICE } from '../../../lambda/observability/pricing';
import { metricsOn } from '../../support/metrics';

const REQUEST: CacheRequest = { prompt: 'Where is Las Vegas?', mode: 'standard', modelId: 'm', maxTokens: 512, temperature: 0, ttlSeconds: 60, threshold: 0.9, namespace: 'ns' };
const HIT: CacheResponse = { text: 'In Nevada.', cache: 'exact', modelId: 'm', latencyMs: 1.5, usage: { inputTokens: 0, outputTokens: 0 }, savedUsage: { inputTokens: 10, outputTokens: 20 } };

interface EmfDocument {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: readonly { readonly Namespace: string; readonly Dimensions: string[][]; readonly Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

/** An observer whose Metrics publish (as deployed), with every stdout line captured as JSON. */
function publishing(logLevel: 'INFO' | 'WARN') {
  const lines: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const logger = new Logger({ serviceName: 'test', logLevel });
  const metrics = metricsOn();
  const info = jest.spyOn(logger, 'info');
  const observer = new PowertoolsObserver(logger, metrics, DEFAULT_TOKEN_PRICE);
  const documents = (): EmfDocument[] => lines.map((line) => JSON.parse(line) as EmfDocument);
  return { observer, metrics, info, documents };
}

describe('answered line in the EMF document', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes one JSON line per request at INFO: the metrics and the answered fields, under the Logger key names', () => {
    const { observer, info, documents } = publishing('INFO');

    observer.answered(REQUEST, HIT, { cacheMs: 1.25, waitMs: 0, modelCalled: false });
    observer.flush();

    const written = documents();
    expect(written).toHaveLength(1);
    const [document] = written;
    expect(document!._aws.CloudWatchMetrics[0]!.Namespace).toBe('Test');
    expect(document!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
    expect(document!._aws.CloudWatchMetrics[0]!.Metrics.map((metric) => metric.Name)).toEqual(expect.arrayContaining(['CacheHit', 'CacheHitExact', 'CacheLatency', 'TokensSaved']));
    expect(document).toMatchObject({ service: 'test', CacheHit: 1, CacheHitExact: 1, CacheLatency: 1.25, TokensSaved: 30 });
    expect(document).toMatchObject({ level: 'INFO', message: 'answered', cache: 'exact', latencyMs: 1.5, cacheMs: 1.25, namespace: 'ns', mode: 'standard', promptChars: REQUEST.prompt.length });
    expect(document!.promptDigest).toMatch(/^[0-9a-f]{16}$/);
    expect(Number.isNaN(Date.parse(document!.timestamp as string))).toBe(false);
    expect(info).not.toHaveBeenCalled();
  });

  it('leaves the answered fields out when INFO lines are not written (POWERTOOLS_LOG_LEVEL), the metrics still published', () => {
    const { observer, documents } = publishing('WARN');

    observer.answered(REQUEST, HIT, { cacheMs: 1, waitMs: 0, modelCalled: false });
    observer.flush();

    const [document] = documents();
    expect(document).toMatchObject({ CacheHit: 1, CacheHitExact: 1 });
    for (const key of ['level', 'message', 'promptDigest', 'cache']) expect(document).not.toHaveProperty(key);
  });

  it('publishes one document per request when two are answered before a flush, every data point counted once', () => {
    const { observer, documents } = publishing('INFO');

    observer.answered(REQUEST, HIT, { cacheMs: 1, waitMs: 0, modelCalled: false });
    observer.answered(REQUEST, { ...HIT, latencyMs: 7 }, { cacheMs: 3, waitMs: 0, modelCalled: false });
    observer.flush();

    const written = documents();
    expect(written.map((document) => document.latencyMs)).toEqual([1.5, 7]);
    expect(written.map((document) => document.CacheLatency)).toEqual([1, 3]);
    expect(written.reduce((sum, document) => sum + (document.CacheHit as number), 0)).toBe(2);
  });

  it('names the invocation in its document: request id, and the X-Ray trace root when tracing is on', () => {
    const { observer, metrics, documents } = publishing('INFO');

    addInvocationMetadata(metrics, 'req-1', { _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1' });
    observer.answered(REQUEST, HIT, { cacheMs: 1, waitMs: 0, modelCalled: false });
    observer.flush();
    addInvocationMetadata(metrics, 'req-2', {});
    observer.answered(REQUEST, HIT, { cacheMs: 1, waitMs: 0, modelCalled: false });
    observer.flush();

    const [first, second] = documents();
    expect(first).toMatchObject({ function_request_id: 'req-1', xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793', message: 'answered' });
    expect(second).toMatchObject({ function_request_id: 'req-2', message: 'answered' });
    expect(second).not.toHaveProperty('xray_trace_id');
  });

  it('never lends the ids of an invocation that published nothing (a refused request) to the next one', () => {
    const { observer, metrics, documents } = publishing('INFO');

    addInvocationMetadata(metrics, 'refused', { _X_AMZN_TRACE_ID: 'Root=1-aaa;Sampled=1' });
    observer.flush(); // no data point: nothing is published
    addInvocationMetadata(metrics, 'req-3', {});
    observer.answered(REQUEST, HIT, { cacheMs: 1, waitMs: 0, modelCalled: false });
    observer.flush();

    const written = documents();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ function_request_id: 'req-3' });
    expect(written[0]).not.toHaveProperty('xray_trace_id');
  });

  it('reads the trace root as the Logger does', () => {
    expect(xrayTraceId('Root=1-abc;Parent=def;Sampled=0')).toBe('1-abc');
    expect(xrayTraceId('1-abc')).toBe('1-abc');
    expect(xrayTraceId('Parent=def')).toBeUndefined();
    expect(xrayTraceId('')).toBeUndefined();
    expect(xrayTraceId(undefined)).toBeUndefined();
  });
});
