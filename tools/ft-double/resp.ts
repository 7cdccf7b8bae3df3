/**
 * A small, binary-safe, streaming RESP codec: enough to frame client commands (RESP2 arrays of
 * bulk strings, or inline commands), to find where each server reply ends (RESP2 and RESP3) and
 * to decode replies on the double's own connections.
 */

/** An error reply (`-ERR ...`), kept as a value so callers decide whether it is exceptional. */
export class RespError {
  constructor(readonly message: string) {}
}

/** A status reply (`+OK`). */
export class RespStatus {
  constructor(readonly value: string) {}
}

export type RespValue = Buffer | number | null | RespError | RespStatus | RespValue[];

/** What the double sends back: bulk strings (string or Buffer), integers, statuses, errors, arrays. */
export type Reply = string | Buffer | number | RespStatus | RespError | Reply[];

const CR = 13;

/** Thrown for bytes that are not RESP; the connection is closed. */
export class RespProtocolError extends Error {}

function readLine(buf: Buffer, pos: number): { line: string; next: number } | undefined {
  const end = buf.indexOf(CR, pos);
  if (end < 0 || end + 1 >= buf.length) return undefined;
  return { line: buf.toString('latin1', pos, end), next: end + 2 };
}

function readInt(buf: Buffer, pos: number): { value: number; next: number } | undefined {
  const line = readLine(buf, pos + 1);
  if (line === undefined) return undefined;
  const value = Number(line.line);
  if (!Number.isInteger(value)) throw new RespProtocolError(`bad length ${JSON.stringify(line.line)}`);
  return { value, next: line.next };
}

/**
 * Where the complete reply starting at `pos` ends, or -1 with `need` set to the least total
 * buffer length worth retrying with. Counts values instead of recursing, so deep replies cost
 * nothing extra.
 */
export function scanReply(buf: Buffer, pos: number, hint: { need: number }): number {
  let remaining = 1;
  while (remaining > 0) {
    if (pos >= buf.length) return incomplete(hint, pos + 1);
    const type = String.fromCharCode(buf[pos]);
    remaining--;
    switch (type) {
      case '$':
      case '!':
      case '=': {
        const head = readInt(buf, pos);
        if (head === undefined) return incomplete(hint, buf.length + 1);
        pos = head.next;
        if (head.value >= 0) {
          if (pos + head.value + 2 > buf.length) return incomplete(hint, pos + head.value + 2);
          pos += head.value + 2;
        }
        break;
      }
      case '*':
      case '~':
      case '>':
      case '%':
      case '|': {
        const head = readInt(buf, pos);
        if (head === undefined) return incomplete(hint, buf.length + 1);
        pos = head.next;
        const n = Math.max(head.value, 0);
        // a map holds pairs; an attribute holds pairs and is followed by the value it annotates
        remaining += type === '%' ? 2 * n : type === '|' ? 2 * n + 1 : n;
        break;
      }
      case '+':
      case '-':
      case ':':
      case '_':
      case ',':
      case '#':
      case '(': {
        const line = readLine(buf, pos + 1);
        if (line === undefined) return incomplete(hint, buf.length + 1);
        pos = line.next;
        break;
      }
      default:
        throw new RespProtocolError(`unexpected reply type byte ${buf[pos]}`);
    }
  }
  return pos;
}

function incomplete(hint: { need: number }, need: number): number {
  hint.need = need;
  return -1;
}

/** Decodes one complete RESP2 reply (the double's own connections never switch to RESP3). */
export function decodeReply(buf: Buffer, pos: number): { value: RespValue; next: number } {
  const type = String.fromCharCode(buf[pos]);
  switch (type) {
    case '+':
    case '-':
    case ':': {
      const line = readLine(buf, pos + 1);
      if (line === undefined) throw new RespProtocolError('truncated reply');
      if (type === '+') return { value: new RespStatus(line.line), next: line.next };
      if (type === '-') return { value: new RespError(Buffer.from(line.line, 'latin1').toString('utf8')), next: line.next };
      return { value: Number(line.line), next: line.next };
    }
    case '$': {
      const head = readInt(buf, pos);
      if (head === undefined) throw new RespProtocolError('truncated reply');
      if (head.value < 0) return { value: null, next: head.next };
      return { value: buf.subarray(head.next, head.next + head.value), next: head.next + head.value + 2 };
    }
    case '*': {
      const head = readInt(buf, pos);
      if (head === undefined) throw new RespProtocolError('truncated reply');
      if (head.value < 0) return { value: null, next: head.next };
      const items: RespValue[] = [];
      let next = head.next;
      for (let i = 0; i < head.value; i++) {
        const item = decodeReply(buf, next);
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new RespProtocolError(`unsupported reply type ${JSON.stringify(type)}`);
  }
}

/**
 * Parses one client command at `pos`: a RESP array of bulk strings, or an inline command line.
 * Returns undefined (with `need` set) while incomplete.
 */
export function parseCommand(buf: Buffer, pos: number, hint: { need: number }): { args: Buffer[]; next: number } | undefined {
  if (pos >= buf.length) return undefined;
  if (buf[pos] !== 0x2a /* '*' */) {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) {
      incomplete(hint, buf.length + 1);
      return undefined;
    }
    const text = buf.toString('latin1', pos, end).replace(/\r$/, '');
    const args = text.split(/[ \t]+/).filter((part) => part.length > 0).map((part) => Buffer.from(part, 'latin1'));
    return { args, next: end + 1 };
  }
  const head = readInt(buf, pos);
  if (head === undefined) {
    incomplete(hint, buf.length + 1);
    return undefined;
  }
  const args: Buffer[] = [];
  let next = head.next;
  for (let i = 0; i < head.value; i++) {
    if (next >= buf.length) {
      incomplete(hint, next + 1);
      return undefined;
    }
    if (buf[next] !== 0x24 /* '$' */) throw new RespProtocolError('expected a bulk string in a command');
    const len = readInt(buf, next);
    if (len === undefined) {
      incomplete(hint, buf.length + 1);
      return undefined;
    }
    if (len.next + len.value + 2 > buf.length) {
      incomplete(hint, len.next + len.value + 2);
      return undefined;
    }
    args.push(buf.subarray(len.next, len.next + len.value));
    next = len.next + len.value + 2;
  }
  return { args, next };
}

/**
 * Accumulates chunks from a socket and hands out complete frames. While a frame is known to
 * need N bytes, chunks are only collected (never re-parsed), so a large value costs one copy.
 */
export class FrameBuffer {
  private buf: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private readonly hint = { need: 0 };

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
  }

  /** Everything not yet handed out, emptying the buffer. */
  drain(): Buffer {
    const rest = Buffer.concat([this.buf, ...this.pending]);
    this.buf = Buffer.alloc(0);
    this.pending = [];
    this.pendingLength = 0;
    this.hint.need = 0;
    return rest;
  }

  /** Takes the next complete frame, or undefined until more bytes arrive. */
  next<T>(parse: (buf: Buffer, pos: number, hint: { need: number }) => { value: T; end: number } | undefined): { value: T; raw: Buffer } | undefined {
    if (this.buf.length + this.pendingLength < this.hint.need) return undefined;
    if (this.pending.length > 0) {
      this.buf = this.buf.length === 0 && this.pending.length === 1 ? this.pending[0] : Buffer.concat([this.buf, ...this.pending]);
      this.pending = [];
      this.pendingLength = 0;
    }
    this.hint.need = 0;
    const parsed = parse(this.buf, 0, this.hint);
    if (parsed === undefined) return undefined;
    const raw = this.buf.subarray(0, parsed.end);
    this.buf = this.buf.subarray(parsed.end);
    return { value: parsed.value, raw };
  }
}

/** Frame parser for client commands. */
export function commandFrame(buf: Buffer, pos: number, hint: { need: number }): { value: Buffer[]; end: number } | undefined {
  const parsed = parseCommand(buf, pos, hint);
  return parsed === undefined ? undefined : { value: parsed.args, end: parsed.next };
}

/** Frame parser for server replies: the value is the reply's type byte. */
export function replyFrame(buf: Buffer, pos: number, hint: { need: number }): { value: number; end: number } | undefined {
  const end = scanReply(buf, pos, hint);
  return end < 0 ? undefined : { value: buf[pos], end };
}

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Encodes a reply in RESP2 (valid for RESP3 clients too: RediSearch 2.6 answers the same shapes). */
export function encodeReply(reply: Reply): Buffer {
  const parts: Buffer[] = [];
  const walk = (value: Reply): void => {
    if (typeof value === 'number') {
      parts.push(Buffer.from(`:${value}\r\n`));
    } else if (typeof value === 'string' || Buffer.isBuffer(value)) {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
      parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
    } else if (value instanceof RespStatus) {
      parts.push(Buffer.from(`+${value.value}\r\n`));
    } else if (value instanceof RespError) {
      parts.push(Buffer.from(`-${value.message.replace(/[\r\n]+/g, ' ')}\r\n`, 'utf8'));
    } else {
      parts.push(Buffer.from(`*${value.length}\r\n`));
      for (const item of value) walk(item);
    }
  };
  walk(reply);
  return Buffer.concat(parts);
}
