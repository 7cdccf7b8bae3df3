import { INVOKE_USAGE, parseInvokeArgs } from '../../scripts/invoke-args';

describe('parseInvokeArgs', () => {
  it('reads the backend and joins the remaining words into the prompt', () => {
    expect(parseInvokeArgs(['memorydb', 'Where', 'is', 'Las Vegas?'])).toEqual({ backend: 'memorydb', prompt: 'Where is Las Vegas?', options: {} });
  });

  it('passes --mode and --namespace through as request fields', () => {
    expect(parseInvokeArgs(['redis-stack', 'hi', '--mode', 'standard', '--namespace', 'tenant-a']).options).toEqual({ mode: 'standard', namespace: 'tenant-a' });
  });

  it('shows the usage when the prompt is missing', () => {
    expect(() => parseInvokeArgs(['memorydb'])).toThrow(INVOKE_USAGE);
  });

  it('rejects an unknown option', () => {
    expect(() => parseInvokeArgs(['memorydb', 'hi', '--verbose'])).toThrow(/unknown option --verbose/);
  });
});
