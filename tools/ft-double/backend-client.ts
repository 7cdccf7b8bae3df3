import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { decodeReply, encodeCommand, FrameBuffer, replyFrame, RespError, type RespValue } from './resp';

/** Where the real redis-server listens, and how to log in to it. */
export interface BackendAddress {
  readonly host: string;
  readonly port: number;
  /** ACL user; `default` when only a password is given. */
  readonly username?: string;
  readonly password?: string;
  /** TLS options when the backing server only speaks TLS. @default plain TCP */
  readonly tls?: ConnectionOptions;
}

/** Opens a socket to the backing server (plain or TLS) and resolves once connected. */
export function openSocket(address: BackendAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket: Socket = address.tls
      ? tlsConnect({ host: address.host, port: address.port, ...address.tls }, () => resolve(socket))
      : netConnect({ host: address.host, port: address.port }, () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

type Waiter = { resolve: (value: RespValue) => void; reject: (error: Error) => void };

/**
 * The double's own connection to the backing server: commands resolve with their decoded reply
 * (error replies resolve as RespError values). Messages no command waits for (pub/sub) go to
 * `onMessage`. No reconnection: the owner notices `closed` and opens a new one.
 */
export class BackendClient {
  private readonly waiters: Waiter[] = [];
  private readonly frames = new FrameBuffer();
  private subscribed = false;
  closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly onMessage: (message: RespValue[]) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  static async connect(address: BackendAddress, onMessage: (message: RespValue[]) => void = () => undefined): Promise<BackendClient> {
    const socket = await openSocket(address);
    const client = new BackendClient(socket, onMessage);
    if (address.password !== undefined) {
      const auth = await client.command(address.username !== undefined ? ['AUTH', address.username, address.password] : ['AUTH', address.password]);
      if (auth instanceof RespError) {
        client.close();
        throw new Error(`backing server refused the double's login: ${auth.message}`);
      }
    }
    return client;
  }

  /** Sends one command; resolves with its reply. */
  command(args: ReadonlyArray<string | Buffer>): Promise<RespValue> {
    if (this.closed) return Promise.reject(new Error('connection to the backing server is closed'));
    const name = String(args[0]).toUpperCase();
    if (name === 'PSUBSCRIBE' || name === 'SUBSCRIBE') this.subscribed = true;
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
    });
  }

  /** Sends many commands at once (one write) and resolves with all replies in order. */
  pipeline(commands: ReadonlyArray<ReadonlyArray<string | Buffer>>): Promise<RespValue[]> {
    if (commands.length === 0) return Promise.resolve([]);
    if (this.closed) return Promise.reject(new Error('connection to the backing server is closed'));
    const replies = commands.map(
      () => new Promise<RespValue>((resolve, reject) => this.waiters.push({ resolve, reject })),
    );
    this.socket.write(Buffer.concat(commands.map((args) => encodeCommand(args))));
    return Promise.all(replies);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.frames.push(chunk);
    for (;;) {
      const frame = this.frames.next(replyFrame);
      if (frame === undefined) return;
      const { value } = decodeReply(frame.raw, 0);
      if (this.subscribed && Array.isArray(value) && isPubSubMessage(value)) {
        this.onMessage(value);
        continue;
      }
      this.waiters.shift()?.resolve(value);
    }
  }

  private onClose(): void {
    this.closed = true;
    const error = new Error('connection to the backing server closed');
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}

function isPubSubMessage(value: RespValue[]): boolean {
  const kind = value[0];
  return Buffer.isBuffer(kind) && ['message', 'pmessage', 'smessage'].includes(kind.toString('latin1'));
}
