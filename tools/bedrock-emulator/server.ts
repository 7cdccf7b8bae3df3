/**
 * A local emulator of the Bedrock runtime wire format, for tests, the demo and benchmarks.
 * It is NOT a language model: answers are a deterministic echo of the prompt, and embeddings are
 * the lexical stand-in of ./embedding.ts. See README.md beside this file.
 *
 * Operations (exactly as the AWS SDK's BedrockRuntimeClient sends/expects them, restJson1):
 * - Converse:    POST /model/{urlencoded modelId}/converse  -> { output, stopReason, usage, metrics }
 * - ConverseStream: POST /model/{urlencoded modelId}/converse-stream -> the same answer as an
 *                AWS event stream (./converse-stream.ts), with `[[cut]]` / `[[stream_error]]` markers
 * - InvokeModel: POST /model/{urlencoded modelId}/invoke    -> Titan Text Embeddings V2 reply
 * - Errors:      HTTP status + `x-amzn-ErrorType: <Name>:http://internal.amazon.com/coral/com.amazon.bedrock/`
 *                (Bedrock's form, as reported) + `{ "message": ... }`, which the SDK deserializes
 *                into the exception class of that name.
 * - Refusals:    what Bedrock refuses is refused with its `ValidationException` (./request-rules.ts):
 *                the model's rules (temperature or topP, never both; maxTokens up to its max
 *                output), Converse's conversation rules, Titan V2's input rules.
 *
 * One port serves both HTTP/1.1 and HTTP/2 cleartext with prior knowledge (h2c), which is what the
 * SDK's default NodeHttp2Handler speaks on an `http://` endpoint: a `net` server reads the first
 * bytes of each connection and hands the socket to an http2 or an http/1.1 server.
 */
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { sleep, writeConverseStream, type ConverseReply } from './converse-stream';
import { lexicalEmbedding } from './embedding';
import { converseProblem, estimateTokens, titanV2Problem } from './request-rules';

export { estimateTokens, TITAN_V2_DIMENSIONS, TITAN_V2_MAX_INPUT_CHARS, TITAN_V2_MAX_INPUT_TOKENS } from './request-rules';
export const TITAN_V2_EMBEDDING_MODEL_ID = 'amazon.titan-embed-text-v2:0';
/** Prompt markers that change the emulated stop reason (see README.md). */
export const MARKER_MAX_TOKENS = '[[max_tokens]]';
export const MARKER_CONTENT_FILTERED = '[[content_filtered]]';
/** `[[error:ThrottlingException]]` in a prompt makes that call fail with the named error. */
export const ERROR_MARKER = /\[\[error:([A-Za-z]+)\]\]/;

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** HTTP status Bedrock uses for each error type it returns. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  AccessDeniedException: 403,
  InternalServerException: 500,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  ModelTimeoutException: 408,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 400,
  ServiceUnavailableException: 503,
  ThrottlingException: 429,
  ValidationException: 400,
};

export type EmulatedOperation = 'converse' | 'converseStream' | 'embed';

export interface BedrockEmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to bind; default 127.0.0.1. */
  readonly host?: string;
  /** Delay before every Converse reply (ms). Default 0. Changeable at runtime. */
  readonly latencyMs?: number;
  /** Delay before every InvokeModel (embedding) reply (ms). Default 0. Changeable at runtime. */
  readonly embeddingLatencyMs?: number;
  /** Pause between two ConverseStream deltas (ms). Default 0. Changeable at runtime. */
  readonly chunkDelayMs?: number;
}

export interface EmulatorCalls {
  /** Converse requests received (including ones answered with an injected error). */
  converse: number;
  /** ConverseStream requests received (including ones answered with an error or cut). */
  converseStream: number;
  /** InvokeModel (embedding) requests received (including ones answered with an error). */
  embed: number;
  /** Requests received per model id (both operations). */
  byModel: Record<string, number>;
  /** Requests answered with an error (injected or validation). */
  errors: number;
  /** Requests received per HTTP version (`'1.1'`, `'2.0'`), to tell which transport a client used. */
  byHttpVersion: Record<string, number>;
}

export interface BedrockEmulator {
  /** `http://127.0.0.1:<port>`: the value for BEDROCK_ENDPOINT. */
  readonly url: string;
  readonly port: number;
  readonly calls: EmulatorCalls;
  /**
   * TCP connections accepted since start or the last `reset()`, HTTP/1.1 and h2c alike (counted
   * where the one port accepts a socket, before the protocol is known). A client that reuses its
   * connections makes many calls over few of these.
   */
  readonly connections: number;
  /** Converse reply delay (ms); may be changed while running. */
  latencyMs: number;
  /** Embedding reply delay (ms); may be changed while running. */
  embeddingLatencyMs: number;
  /** Pause between ConverseStream deltas (ms); may be changed while running. */
  chunkDelayMs: number;
  /**
   * Optional override of the stop reason by the last user text. Return undefined to fall back to
   * the markers / `end_turn`.
   */
  stopReasonFor: ((prompt: string) => string | undefined) | undefined;
  /**
   * Optional override of the answer text by the last user text (e.g. a counter, so that a second
   * call for one prompt answers differently, as a real model may). Return undefined for the usual
   * echo. The content filter's text and the `maxTokens` cut still apply.
   */
  answerFor: ((prompt: string) => string | undefined) | undefined;
  /** The next `count` matching requests fail with `errorName` (a Bedrock exception name). */
  failNext(count: number, errorName?: string, options?: { operation?: EmulatedOperation; message?: string }): void;
  /** Zeroes counters (connections too), clears pending failures and the stop-reason and answer overrides (keeps latencies). */
  reset(): void;
  close(): Promise<void>;
}

interface PendingFailure {
  remaining: number;
  errorName: string;
  operation?: EmulatedOperation;
  message?: string;
}

class HttpError extends Error {
  constructor(readonly errorName: string, message: string) {
    super(message);
  }
}

type Request = http.IncomingMessage | http2.Http2ServerRequest;
type Response = http.ServerResponse | http2.Http2ServerResponse;

/** The deterministic emulated answer to a prompt. */
export function emulatedAnswer(modelId: string, prompt: string): string {
  const compact = prompt.replace(/\s+/g, ' ').trim();
  const quoted = compact.length > 200 ? `${compact.slice(0, 200)}...` : compact;
  return `[emulated answer] You asked: "${quoted}". This text comes from the local Bedrock emulator standing in for ${modelId}; it is not a model's answer.`;
}

function readBody(req: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  // The union of the two response types has incompatible overloads; both accept this call.
  (res as http.ServerResponse).writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(payload.length),
    'x-amzn-requestid': `emulated-${Date.now().toString(36)}`,
    ...headers,
  });
  (res as http.ServerResponse).end(payload);
}

/**
 * Bedrock's error header carries the error name and a namespace after a colon (as reported:
 * `ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/`); the SDK keeps the
 * part before the colon as the exception's name.
 */
function sendError(res: Response, errorName: string, message: string): void {
  send(res, ERROR_STATUS[errorName] ?? 400, { message }, { 'x-amzn-errortype': `${errorName}:http://internal.amazon.com/coral/com.amazon.bedrock/` });
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError('ValidationException', 'Malformed input request: the body is not a JSON object');
}

interface ConverseBody {
  messages?: Array<{ role?: string; content?: Array<{ text?: unknown }> }>;
  system?: Array<{ text?: unknown }>;
  inferenceConfig?: { maxTokens?: unknown };
}

function lastUserText(body: ConverseBody): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  if (messages.length === 0) throw new HttpError('ValidationException', 'A conversation must start with a user message.');
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role === 'user' && Array.isArray(m.content)) {
      return m.content.map((c) => (typeof c.text === 'string' ? c.text : '')).join('');
    }
  }
  throw new HttpError('ValidationException', 'A conversation must contain a user message.');
}

function allText(body: ConverseBody): string {
  const parts: string[] = [];
  for (const s of Array.isArray(body.system) ? body.system : []) if (typeof s.text === 'string') parts.push(s.text);
  for (const m of Array.isArray(body.messages) ? body.messages : []) {
    for (const c of Array.isArray(m.content) ? m.content : []) if (typeof c.text === 'string') parts.push(c.text);
  }
  return parts.join('\n');
}

function isTitanV2(modelId: string): boolean {
  return modelId === TITAN_V2_EMBEDDING_MODEL_ID || modelId.endsWith(`/${TITAN_V2_EMBEDDING_MODEL_ID}`);
}

/** Starts the emulator; resolves once it listens. */
export async function startBedrockEmulator(options: BedrockEmulatorOptions = {}): Promise<BedrockEmulator> {
  const host = options.host ?? '127.0.0.1';
  const calls: EmulatorCalls = { converse: 0, converseStream: 0, embed: 0, byModel: {}, errors: 0, byHttpVersion: {} };
  const failures: PendingFailure[] = [];
  let connections = 0;

  const emulator = {
    latencyMs: options.latencyMs ?? 0,
    embeddingLatencyMs: options.embeddingLatencyMs ?? 0,
    chunkDelayMs: options.chunkDelayMs ?? 0,
    stopReasonFor: undefined as ((prompt: string) => string | undefined) | undefined,
    answerFor: undefined as ((prompt: string) => string | undefined) | undefined,
  };

  function takeFailure(operation: EmulatedOperation): PendingFailure | undefined {
    const index = failures.findIndex((f) => f.operation === undefined || f.operation === operation);
    if (index < 0) return undefined;
    const failure = failures[index];
    failure.remaining -= 1;
    if (failure.remaining <= 0) failures.splice(index, 1);
    return failure;
  }

  function converse(modelId: string, body: ConverseBody): ConverseReply {
    const problem = converseProblem(modelId, body as Record<string, unknown>);
    if (problem !== undefined) throw new HttpError('ValidationException', problem);
    const prompt = lastUserText(body);
    const marker = ERROR_MARKER.exec(prompt);
    if (marker) throw new HttpError(marker[1], `Emulated ${marker[1]} requested by the prompt marker`);
    let stopReason = emulator.stopReasonFor?.(prompt);
    if (stopReason === undefined) {
      if (prompt.includes(MARKER_CONTENT_FILTERED)) stopReason = 'content_filtered';
      else if (prompt.includes(MARKER_MAX_TOKENS)) stopReason = 'max_tokens';
      else stopReason = 'end_turn';
    }
    let text =
      stopReason === 'content_filtered'
        ? '[emulated answer] The response was blocked by the content filter.'
        : (emulator.answerFor?.(prompt) ?? emulatedAnswer(modelId, prompt));
    const maxTokens = typeof body.inferenceConfig?.maxTokens === 'number' ? body.inferenceConfig.maxTokens : undefined;
    if (maxTokens !== undefined && estimateTokens(text) > maxTokens) {
      // Like a real model: output stops at maxTokens.
      text = text.slice(0, Math.max(1, maxTokens * 4));
      stopReason = 'max_tokens';
    }
    const inputTokens = estimateTokens(allText(body));
    const outputTokens = estimateTokens(text);
    return {
      output: { message: { role: 'assistant', content: [{ text }] } },
      stopReason,
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      metrics: { latencyMs: Math.round(emulator.latencyMs) },
    };
  }

  function embed(modelId: string, body: Record<string, unknown>): unknown {
    if (!isTitanV2(modelId)) {
      throw new HttpError('ValidationException', `The emulator only serves embeddings for ${TITAN_V2_EMBEDDING_MODEL_ID}, not ${modelId}`);
    }
    const problem = titanV2Problem(body);
    if (problem !== undefined) throw new HttpError('ValidationException', problem);
    const inputText = body.inputText as string;
    const dimensions = (body.dimensions ?? 1024) as number;
    const marker = ERROR_MARKER.exec(inputText);
    if (marker) throw new HttpError(marker[1], `Emulated ${marker[1]} requested by the input marker`);
    // Always unit length: `normalize: false` is accepted but the stand-in has no natural scale.
    const embedding = lexicalEmbedding(inputText, dimensions);
    return { embedding, embeddingsByType: { float: embedding }, inputTextTokenCount: estimateTokens(inputText) };
  }

  async function handle(req: Request, res: Response): Promise<void> {
    calls.byHttpVersion[req.httpVersion] = (calls.byHttpVersion[req.httpVersion] ?? 0) + 1;
    const url = new URL(req.url ?? '/', 'http://emulator');
    const match = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(url.pathname);
    if (req.method !== 'POST' || !match) {
      calls.errors += 1;
      sendError(res, 'UnknownOperationException', `No such operation: ${req.method} ${url.pathname}`);
      return;
    }
    const modelId = decodeURIComponent(match[1]);
    const operation: EmulatedOperation = match[2] === 'converse' ? 'converse' : match[2] === 'converse-stream' ? 'converseStream' : 'embed';
    calls[operation] += 1;
    calls.byModel[modelId] = (calls.byModel[modelId] ?? 0) + 1;
    const raw = await readBody(req);
    // For a stream, the latency is the time to its first event.
    await sleep(operation === 'embed' ? emulator.embeddingLatencyMs : emulator.latencyMs);
    try {
      const failure = takeFailure(operation);
      if (failure) throw new HttpError(failure.errorName, failure.message ?? `Emulated ${failure.errorName}`);
      const body = parseJson(raw);
      if (operation === 'converseStream') {
        const reply = converse(modelId, body as ConverseBody);
        await writeConverseStream(res, reply, { prompt: lastUserText(body as ConverseBody), chunkDelayMs: emulator.chunkDelayMs });
        return;
      }
      send(res, 200, operation === 'converse' ? converse(modelId, body as ConverseBody) : embed(modelId, body));
    } catch (error) {
      calls.errors += 1;
      if (res.headersSent) return; // a stream already under way: the client sees it end early
      if (error instanceof HttpError) sendError(res, error.errorName, error.message);
      else sendError(res, 'InternalServerException', error instanceof Error ? error.message : String(error));
    }
  }

  const onRequest = (req: Request, res: Response): void => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 'InternalServerException', String(error));
    });
  };

  const h1 = http.createServer({ keepAlive: true }, onRequest);
  const h2 = http2.createServer({}, onRequest);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.Http2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });

  // Peek at the first bytes: the HTTP/2 client preface starts with "PRI * HTTP/2.0".
  const front = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, HTTP2_PREFACE.length);
      const isH2 = head.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n));
      if (isH2 && head.length < HTTP2_PREFACE.length) return; // need more bytes to decide
      socket.off('data', onData);
      socket.pause();
      socket.unshift(head);
      (isH2 ? h2 : h1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    };
    socket.on('data', onData);
  });

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port ?? 0, host, () => {
      front.off('error', reject);
      resolve();
    });
  });
  const address = front.address() as net.AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    calls,
    get connections() {
      return connections;
    },
    get latencyMs() {
      return emulator.latencyMs;
    },
    set latencyMs(value: number) {
      emulator.latencyMs = value;
    },
    get embeddingLatencyMs() {
      return emulator.embeddingLatencyMs;
    },
    set embeddingLatencyMs(value: number) {
      emulator.embeddingLatencyMs = value;
    },
    get chunkDelayMs() {
      return emulator.chunkDelayMs;
    },
    set chunkDelayMs(value: number) {
      emulator.chunkDelayMs = value;
    },
    get stopReasonFor() {
      return emulator.stopReasonFor;
    },
    set stopReasonFor(fn: ((prompt: string) => string | undefined) | undefined) {
      emulator.stopReasonFor = fn;
    },
    get answerFor() {
      return emulator.answerFor;
    },
    set answerFor(fn: ((prompt: string) => string | undefined) | undefined) {
      emulator.answerFor = fn;
    },
    failNext(count, errorName = 'ThrottlingException', failOptions = {}) {
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
      failures.push({ remaining: count, errorName, operation: failOptions.operation, message: failOptions.message });
    },
    reset() {
      calls.converse = 0;
      calls.converseStream = 0;
      calls.embed = 0;
      calls.errors = 0;
      connections = 0;
      for (const key of Object.keys(calls.byModel)) delete calls.byModel[key];
      for (const key of Object.keys(calls.byHttpVersion)) delete calls.byHttpVersion[key];
      failures.length = 0;
      emulator.stopReasonFor = undefined;
      emulator.answerFor = undefined;
    },
    close() {
      return new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        h1.close();
        h2.close();
      });
    },
  };
}
