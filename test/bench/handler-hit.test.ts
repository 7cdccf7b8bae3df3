import { handlerEnvironment, functionUrlEvent } from '../../bench/handler-hit';
import { isHttpEvent, payloadOf } from '../../lambda/events';

describe('bench handler row inputs', () => {
  it('wraps the request in a Function URL event the handler reads back unchanged', () => {
    const request = { prompt: 'Where is Las Vegas?', mode: 'standard' };
    const event = functionUrlEvent(request);
    expect(isHttpEvent(event)).toBe(true);
    expect(payloadOf(event)).toEqual(request);
  });

  it('runs the handler with Powertools as deployed: INFO logs and metrics on', () => {
    const env = handlerEnvironment({ POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', CACHE_BACKEND: 'redis' });
    expect(env.POWERTOOLS_LOG_LEVEL).toBe('INFO');
    expect(env.POWERTOOLS_METRICS_DISABLED).toBe('false');
    expect(env.POWERTOOLS_SERVICE_NAME).toBe('bedrock-llm-cache');
    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe('BedrockLlmCache');
    expect(env.CACHE_BACKEND).toBe('redis');
  });
});
