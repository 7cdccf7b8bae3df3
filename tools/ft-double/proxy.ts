import { createServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, type TlsOptions } from 'node:tls';
import type { BackendAddress } from './backend-client';
import type { FtEngine } from './engine';
import { commandFrame, encodeReply, FrameBuffer, replyFrame, RespError, RespProtocolError } from './resp';
import { getFreePort, releasePort } from '../redis-servers/free-port';

const PUSH = 0x3e; // '>'
const ENTERS_PASSTHROUGH = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'MONITOR']);
const EXEC_ABORT = encodeReply(new RespError('EXECABORT Transaction discarded because of previous errors.'));

/** What a proxy needs of the engine: a cluster double wraps it per proxy to record where FT.* went. */
export type FtCommands = Pick<FtEngine, 'execute' | 'noteCommand'> & {
  /**
   * Rewrites a forwarded reply before the client sees it (the cluster double names its proxies
   * in MOVED and ASK redirections). @default none: replies pass unchanged
   */
  readonly rewriteReply?: (raw: Buffer) => Buffer;
};

/** One reply owed to the client, in command order. */
interface Slot {
  data?: Buffer;
  transform?: (raw: Buffer) => Buffer;
  closeAfter?: boolean;
}

/**
 * One client connection: its own connection to the backing server, commands forwarded in order,
 * FT.* answered by the engine. An FT command is a barrier: it runs once every earlier forwarded
 * command has been answered (so it sees their writes), and later commands wait for it (so it does
 * not see theirs). Replies go back strictly in command order.
 */
export class ProxyConnection {
  private readonly upstream: Socket;
  private readonly fromClient = new FrameBuffer();
  private readonly fromUpstream = new FrameBuffer();
  private readonly queue: Slot[] = [];
  private readonly awaitingUpstream: Slot[] = [];
  private readonly held: Buffer[][] = [];
  private readonly heldRaw: Buffer[] = [];
  private busy = false;
  private passthrough = false;
  private inMulti = false;
  private multiPoisoned = false;
  private idle: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly client: Socket,
    backend: BackendAddress,
    private readonly engine: FtCommands,
    private readonly onClose: (connection: ProxyConnection) => void,
  ) {
    this.upstream = backend.tls
      ? tlsConnect({ host: backend.host, port: backend.port, ...backend.tls })
      : netConnect({ host: backend.host, port: backend.port });
    this.upstream.setNoDelay(true);
    client.setNoDelay(true);
    client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    this.upstream.on('data', (chunk: Buffer) => this.onUpstreamData(chunk));
    client.on('error', () => this.close());
    this.upstream.on('error', () => this.close());
    client.on('close', () => this.close());
    this.upstream.on('close', () => this.endClient());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    this.upstream.destroy();
    this.onClose(this);
  }

  private endClient(): void {
    if (this.closed) return;
    this.flush();
    this.client.end();
    this.close();
  }

  private onClientData(chunk: Buffer): void {
    if (this.passthrough) {
      this.upstream.write(chunk);
      return;
    }
    this.fromClient.push(chunk);
    this.upstream.cork();
    try {
      for (;;) {
        const frame = this.fromClient.next(commandFrame);
        if (frame === undefined) break;
        if (frame.value.length > 0) this.onCommand(frame.value, frame.raw);
      }
    } catch (error) {
      if (error instanceof RespProtocolError) this.close();
      else throw error;
    } finally {
      process.nextTick(() => this.upstream.uncork());
    }
  }

  private onCommand(args: Buffer[], raw: Buffer): void {
    if (this.busy) {
      this.held.push(args);
      this.heldRaw.push(raw);
      return;
    }
    const name = args[0].toString('latin1').toUpperCase();
    if (name.startsWith('FT.')) {
      void this.runLocal(args);
      return;
    }
    if (ENTERS_PASSTHROUGH.has(name)) {
      void this.enterPassthrough(raw);
      return;
    }
    if (name === 'EXEC' && this.multiPoisoned) {
      // an FT command was refused inside this MULTI: abort the transaction like a queueing error does
      this.inMulti = false;
      this.multiPoisoned = false;
      this.forward(Buffer.from('*1\r\n$7\r\nDISCARD\r\n'), { transform: () => EXEC_ABORT });
      return;
    }
    if (name === 'MULTI') this.inMulti = true;
    if (name === 'EXEC' || name === 'DISCARD') {
      this.inMulti = false;
      this.multiPoisoned = false;
    }
    this.engine.noteCommand(args);
    this.forward(raw, { closeAfter: name === 'QUIT' });
  }

  private forward(raw: Buffer, slot: Slot): void {
    this.queue.push(slot);
    this.awaitingUpstream.push(slot);
    this.upstream.write(raw);
  }

  private async runLocal(args: Buffer[]): Promise<void> {
    this.busy = true;
    const slot: Slot = {};
    this.queue.push(slot);
    await this.upstreamIdle();
    let reply;
    if (this.inMulti) {
      this.multiPoisoned = true;
      reply = new RespError('ERR the FT test double does not support FT.* commands inside MULTI');
    } else {
      reply = await this.engine.execute(args);
    }
    slot.data = encodeReply(reply);
    this.flush();
    this.release();
  }

  private async enterPassthrough(raw: Buffer): Promise<void> {
    this.busy = true;
    await this.upstreamIdle();
    this.flush();
    this.passthrough = true;
    this.upstream.write(raw);
    for (const held of this.heldRaw.splice(0)) this.upstream.write(held);
    this.held.length = 0;
    const rest = this.fromClient.drain();
    if (rest.length > 0) this.upstream.write(rest);
    const pending = this.fromUpstream.drain();
    if (pending.length > 0) this.client.write(pending);
  }

  /** Runs the commands that arrived while an FT command or a barrier was in progress. */
  private release(): void {
    this.busy = false;
    while (!this.busy && this.held.length > 0) {
      const args = this.held.shift() as Buffer[];
      const raw = this.heldRaw.shift() as Buffer;
      this.onCommand(args, raw);
    }
  }

  private upstreamIdle(): Promise<void> {
    if (this.awaitingUpstream.length === 0) return Promise.resolve();
    return new Promise((resolve) => (this.idle = resolve));
  }

  private onUpstreamData(chunk: Buffer): void {
    if (this.passthrough) {
      this.client.write(chunk);
      return;
    }
    this.fromUpstream.push(chunk);
    this.client.cork();
    try {
      for (;;) {
        const frame = this.fromUpstream.next(replyFrame);
        if (frame === undefined) break;
        const slot = frame.value === PUSH ? undefined : this.awaitingUpstream.shift();
        if (slot === undefined) {
          // out-of-band (RESP3 push) or unrequested: deliver as it comes
          this.client.write(frame.raw);
          continue;
        }
        const raw = this.engine.rewriteReply ? this.engine.rewriteReply(frame.raw) : frame.raw;
        slot.data = slot.transform ? slot.transform(raw) : raw;
        if (this.awaitingUpstream.length === 0 && this.idle) {
          const idle = this.idle;
          this.idle = undefined;
          idle();
        }
      }
      this.flush();
    } catch (error) {
      if (error instanceof RespProtocolError) this.close();
      else throw error;
    } finally {
      process.nextTick(() => this.client.uncork());
    }
  }

  private flush(): void {
    while (this.queue.length > 0 && this.queue[0].data !== undefined) {
      const slot = this.queue.shift() as Slot;
      this.client.write(slot.data as Buffer);
      if (slot.closeAfter) this.client.end();
    }
  }
}

/** A running test double: connect clients to `url` instead of the backing server. */
export interface FtDouble {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (credentials, if any, are the backing server's). */
  readonly url: string;
  /** The real redis-server behind the double. */
  readonly backend: BackendAddress;
  /** Names of the indexes the double currently holds. */
  indexNames(): string[];
  /** Closes every proxied connection and the listener; the backing server keeps running. */
  stop(): Promise<void>;
}

/** A listening proxy: its port, and how to close it (every proxied connection, then the listener). */
export interface ProxyListener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on a free 127.0.0.1 port and proxies clients to the backing server. With `serverTls`
 * (certificate and key) clients must connect with TLS. @default plain TCP
 */
export async function listen(backend: BackendAddress, engine: FtCommands, serverTls?: TlsOptions): Promise<ProxyListener> {
  const connections = new Set<ProxyConnection>();
  const accept = (socket: Socket): void => {
    connections.add(new ProxyConnection(socket, backend, engine, (connection) => connections.delete(connection)));
  };
  const server: Server = serverTls === undefined ? createServer(accept) : createTlsServer(serverTls, accept);
  // A harness-reserved port, not port 0: the kernel may hand out a port another test's server
  // was just killed on, and a client reconnecting there would reach this double instead.
  for (let attempt = 0; ; attempt++) {
    const port = await getFreePort();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      const bound = (server.address() as AddressInfo).port;
      const close = (): Promise<void> =>
        new Promise<void>((resolve) => {
          for (const connection of connections) connection.close();
          server.close(() => {
            releasePort(bound);
            resolve();
          });
        });
      return { port: bound, close };
    } catch (error) {
      releasePort(port);
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
}
