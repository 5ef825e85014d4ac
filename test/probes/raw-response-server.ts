// A loopback server that answers each request with raw bytes, written in pieces split at given points
// (so every packet boundary the parsers must survive can be tried), then closes, resets or hangs.
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { loopback } from './loopback-servers';

/** What the server does once its bytes are written. */
export type Ending = 'close' | 'reset' | 'hang';

interface RawAnswer {
  readonly bytes: Buffer;
  readonly ending: Ending;
}

export interface RawServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface RawServerOptions {
  /** The answer to a request for `path` (the request line's target). */
  readonly answer: (path: string) => RawAnswer;
  /** Offsets at which the answer's bytes are split into separate writes. */
  readonly splits: readonly number[];
  /** Serve over TLS with this key and certificate. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 2));

async function writeInPieces(socket: Socket, { bytes, ending }: RawAnswer, splits: readonly number[]): Promise<void> {
  let from = 0;
  for (const at of [...splits.filter((s) => s > 0 && s < bytes.length), bytes.length]) {
    if (socket.destroyed) return;
    socket.write(bytes.subarray(from, at));
    from = at;
    // Separate writes with Nagle off and a pause between them arrive as separate reads.
    await pause();
  }
  // Give the peer time to read what was written before a reset discards it.
  if (ending === 'reset') setTimeout(() => socket.resetAndDestroy(), 50);
  else if (ending === 'close') socket.end();
}

function serveConnection(socket: Socket, options: RawServerOptions, held: Set<Socket>): void {
  held.add(socket);
  socket.setNoDelay(true);
  socket.on('close', () => held.delete(socket));
  socket.on('error', () => undefined);
  let request = '';
  const onData = (chunk: Buffer) => {
    request += chunk.toString('latin1');
    if (!request.includes('\r\n\r\n')) return;
    socket.off('data', onData);
    socket.resume();
    const path = request.split(' ', 2)[1] ?? '/';
    void writeInPieces(socket, options.answer(path), options.splits);
  };
  socket.on('data', onData);
}

/** Starts a raw server on 127.0.0.1. */
export async function startRawServer(options: RawServerOptions): Promise<RawServer> {
  const held = new Set<Socket>();
  const server: Server = options.tls
    ? createTlsServer(options.tls, (socket) => serveConnection(socket, options, held))
    : createTcpServer((socket) => serveConnection(socket, options, held));
  // A TLS client that gives up mid-handshake is the client's business, not a test failure.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, loopback, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of held) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A server that answers the client's first bytes (a TLS ClientHello, say) with `reply` and hangs up:
 * with no reply, a TLS handshake cut short; with an HTTP answer, a plain-HTTP port probed over https.
 */
export async function startHangUpServer(reply = ''): Promise<RawServer> {
  const server = createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, loopback, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
