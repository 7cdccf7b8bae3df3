/**
 * ConverseStream for the emulator: `POST /model/{modelId}/converse-stream` answered with an
 * `application/vnd.amazon.eventstream` body, each message encoded by the AWS SDK's own
 * event-stream codec (`@smithy/core/event-streams`), so the real SDK client decodes it exactly as
 * it decodes Bedrock's. Events, in order (ConverseStreamOutput in the Bedrock API reference):
 * `messageStart`, `contentBlockDelta` (the canned answer in small pieces), `contentBlockStop`,
 * `messageStop` (the stop reason), `metadata` (usage, metrics).
 *
 * Test markers in the last user text:
 * - `[[cut]]`: the connection is closed after `CUT_AFTER_DELTAS` deltas, with no messageStop;
 * - `[[stream_error]]`: after `CUT_AFTER_DELTAS` deltas a `modelStreamErrorException` event ends the stream.
 */
import type * as http from 'node:http';
import type * as http2 from 'node:http2';
import { EventStreamCodec, type Message, type MessageHeaders } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';

const MARKER_CUT = '[[cut]]';
const MARKER_STREAM_ERROR = '[[stream_error]]';
/** Deltas sent before a `[[cut]]` or `[[stream_error]]` takes effect. */
export const CUT_AFTER_DELTAS = 2;
/** Characters per `contentBlockDelta`: small enough that every answer arrives in several pieces. */
const STREAM_CHUNK_CHARS = 16;

/** The non-streaming Converse reply the stream is made from (the emulator computes it once for both). */
export interface ConverseReply {
  readonly output: { readonly message: { readonly role: 'assistant'; readonly content: ReadonlyArray<{ readonly text: string }> } };
  readonly stopReason: string;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number; readonly totalTokens: number };
  readonly metrics: { readonly latencyMs: number };
}

export interface StreamOptions {
  /** The last user text, read for the markers. */
  readonly prompt: string;
  /** Pause between two deltas (ms). */
  readonly chunkDelayMs: number;
}

type Response = http.ServerResponse | http2.Http2ServerResponse;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function message(eventType: string, body: unknown, messageType: 'event' | 'exception' = 'event'): Uint8Array {
  const typeHeader = messageType === 'event' ? ':event-type' : ':exception-type';
  const headers: MessageHeaders = {
    [typeHeader]: { type: 'string', value: eventType },
    ':content-type': { type: 'string', value: 'application/json' },
    ':message-type': { type: 'string', value: messageType },
  };
  const encoded: Message = { headers, body: fromUtf8(JSON.stringify(body)) };
  return codec.encode(encoded);
}

/** Splits the answer into the pieces a model would stream (never empty, concatenation is exact). */
export function streamChunks(text: string, size = STREAM_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

/** Waits `ms` (none for 0): the emulator's latency and the pause between streamed pieces. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Closes the connection under a response mid-body, as a dropped network path would. */
function cut(res: Response): void {
  const h2 = (res as http2.Http2ServerResponse).stream;
  if (h2 !== undefined) h2.close(2 /* NGHTTP2_INTERNAL_ERROR */);
  // `end` (not `destroy`): the deltas already written reach the client, then the connection
  // closes with the chunked body unfinished.
  else (res as http.ServerResponse).socket?.end();
}

/** Writes the whole event stream for `reply` (status 200; the errors before it are plain JSON, like Converse's). */
export async function writeConverseStream(res: Response, reply: ConverseReply, options: StreamOptions): Promise<void> {
  (res as http.ServerResponse).writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': `emulated-${Date.now().toString(36)}`,
  });
  const write = (bytes: Uint8Array): void => {
    (res as http.ServerResponse).write(bytes);
  };
  write(message('messageStart', { role: 'assistant' }));
  const text = reply.output.message.content.map((block) => block.text).join('');
  const ending = options.prompt.includes(MARKER_CUT) ? 'cut' : options.prompt.includes(MARKER_STREAM_ERROR) ? 'error' : 'complete';
  const chunks = streamChunks(text);
  for (const [i, chunk] of (ending === 'complete' ? chunks : chunks.slice(0, CUT_AFTER_DELTAS)).entries()) {
    if (i > 0) await sleep(options.chunkDelayMs);
    write(message('contentBlockDelta', { contentBlockIndex: 0, delta: { text: chunk } }));
  }
  if (ending === 'cut') {
    cut(res);
    return;
  }
  if (ending === 'error') {
    write(message('modelStreamErrorException', { message: 'Emulated model stream error requested by the prompt marker' }, 'exception'));
    (res as http.ServerResponse).end();
    return;
  }
  write(message('contentBlockStop', { contentBlockIndex: 0 }));
  write(message('messageStop', { stopReason: reply.stopReason }));
  write(message('metadata', { usage: reply.usage, metrics: reply.metrics }));
  (res as http.ServerResponse).end();
}
