import { formatG } from '../../tools/ft-double/numbers';
import { commandFrame, encodeReply, FrameBuffer, replyFrame, RespError, RespStatus } from '../../tools/ft-double/resp';
import { parseQuery } from '../../tools/ft-double/query';

describe('formatG (C %.12g, as RediSearch prints scores)', () => {
  it.each([
    [0.00611627101898, '0.00611627101898'],
    [0.889568448067, '0.889568448067'],
    [1, '1'],
    [0, '0'],
    [5.960464477539063e-8, '5.96046447754e-08'],
    [-1.1920928955078125e-7, '-1.19209289551e-07'],
    [123456789012345, '1.23456789012e+14'],
  ])('formats %p as %p', (value, text) => {
    expect(formatG(value)).toBe(text);
  });
});

describe('RESP framing', () => {
  it('frames commands split across chunks, binary-safe', () => {
    const frames = new FrameBuffer();
    const blob = Buffer.from([0, 13, 10, 255]);
    const wire = Buffer.concat([Buffer.from('*2\r\n$4\r\nECHO\r\n$4\r\n'), blob, Buffer.from('\r\n*1\r\n$4\r\nPING\r\n')]);
    const got: Buffer[][] = [];
    for (const byte of wire) {
      frames.push(Buffer.from([byte]));
      for (let frame = frames.next(commandFrame); frame; frame = frames.next(commandFrame)) got.push(frame.value);
    }
    expect(got.map((args) => args.map((arg) => arg.toString('latin1')))).toEqual([['ECHO', blob.toString('latin1')], ['PING']]);
  });

  it('finds where nested RESP2 and RESP3 replies end', () => {
    const frames = new FrameBuffer();
    frames.push(Buffer.from('*2\r\n$1\r\na\r\n*1\r\n:1\r\n%1\r\n+k\r\n_\r\n>2\r\n$7\r\nmessage\r\n$1\r\nx\r\n|1\r\n+a\r\n+b\r\n+OK\r\n'));
    const types: string[] = [];
    for (let frame = frames.next(replyFrame); frame; frame = frames.next(replyFrame)) types.push(String.fromCharCode(frame.value));
    expect(types).toEqual(['*', '%', '>', '|']);
  });

  it('encodes replies as RESP2', () => {
    expect(encodeReply([1, 'k', [Buffer.from('v')], new RespStatus('OK'), new RespError('Index already exists')]).toString()).toBe(
      '*5\r\n:1\r\n$1\r\nk\r\n*1\r\n$1\r\nv\r\n+OK\r\n-Index already exists\r\n',
    );
  });
});

describe('query parsing', () => {
  const params = new Map([['B', Buffer.alloc(16)]]);

  it('reads a scoped KNN query', () => {
    expect(parseQuery('(@scope:{abc123})=>[KNN 1 @vec $B AS dist]', 2, params)).toEqual({
      filter: [{ kind: 'tag', attribute: 'scope', values: ['abc123'] }],
      knn: { k: 1, attribute: 'vec', param: 'B', scoreField: 'dist' },
    });
  });

  it('names the score field __<field>_score without AS', () => {
    expect(parseQuery('*=>[KNN 2 @vec $B]', 2, params).knn?.scoreField).toBe('__vec_score');
  });

  it('unescapes tag values and splits alternatives', () => {
    expect(parseQuery('@scope:{a\\-b | c\\ d}', 2, params).filter).toEqual([{ kind: 'tag', attribute: 'scope', values: ['a-b', 'c d'] }]);
  });

  it('rejects unescaped punctuation in a tag value, as RediSearch does', () => {
    expect(() => parseQuery('@scope:{other-conn}', 2, params)).toThrow(/Syntax error/);
  });

  it('rejects KNN under dialect 1 with RediSearch text', () => {
    expect(() => parseQuery('*=>[KNN 1 @vec $B AS dist]', 1, params)).toThrow('Syntax error at offset 1 near >[');
  });
});
