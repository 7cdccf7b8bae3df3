import { Console } from 'node:console';
import { OutputSink } from '../../bench/output-sink';

describe('bench output sink', () => {
  it('takes what a Console over process.stdout writes, and counts it', () => {
    // Powertools builds its own Console over process.stdout at construction, as here.
    const logger = new Console({ stdout: process.stdout, stderr: process.stderr });
    const sink = new OutputSink();
    sink.capture = true;
    sink.begin();
    try {
      logger.log('{"level":"INFO","message":"answered"}');
      process.stdout.write(Buffer.from('{"_aws":{}}\n'));
    } finally {
      sink.end();
      sink.close();
    }
    expect(sink.writes).toBe(2);
    expect(sink.bytes).toBe('{"level":"INFO","message":"answered"}\n'.length + '{"_aws":{}}\n'.length);
    expect(sink.captured).toEqual(['{"level":"INFO","message":"answered"}\n', '{"_aws":{}}\n']);
  });

  it('gives stdout back on end, and counts nothing after it', () => {
    const original = process.stdout.write;
    const sink = new OutputSink();
    sink.begin();
    expect(process.stdout.write).not.toBe(original);
    sink.end();
    expect(process.stdout.write).toBe(original);
    sink.close();
    expect(sink.writes).toBe(0);
  });

  it('calls a write callback with null, which Console reads as success', () => {
    const sink = new OutputSink();
    const callback = jest.fn();
    sink.begin();
    try {
      process.stdout.write('x\n', callback);
    } finally {
      sink.close();
    }
    expect(callback).toHaveBeenCalledWith(null);
  });
});
