// Real servers on 127.0.0.1 for the probe tests: HTTP(S), a listener that never answers, a DNS server.
import { createSocket } from 'node:dgram';
import { readdirSync, readlinkSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, Socket, type AddressInfo, type Server as TcpServer } from 'node:net';
import dnsPacket from 'dns-packet';
import { generate } from 'selfsigned';

export const loopback = '127.0.0.1';

export interface RunningServer {
  readonly port: number;
  /** Connections the server holds open right now. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

async function listen(server: TcpServer | HttpServer): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, loopback, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    connections: () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    close: () =>
      new Promise((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function startHttpServer(handler: Handler): Promise<RunningServer> {
  return listen(createHttpServer(handler));
}

export function startHttpsServer(tls: { key: string; cert: string }, handler: Handler): Promise<RunningServer> {
  return listen(createHttpsServer(tls, handler));
}

/** Accepts connections and never sends a byte (a black-holed endpoint); closes them on close(). */
export async function startSilentListener(): Promise<RunningServer> {
  const held = new Set<Socket>();
  const server = createTcpServer((socket) => {
    held.add(socket);
    socket.on('close', () => held.delete(socket));
    socket.on('error', () => undefined);
    // Reads (and drops) what arrives, so it notices when the prober hangs up.
    socket.resume();
  });
  const running = await listen(server);
  return {
    ...running,
    close: () => {
      for (const socket of held) socket.destroy();
      return running.close();
    },
  };
}

/** A loopback port nothing listens on (bound once to learn a free number, then released). */
export async function refusedPort(): Promise<number> {
  const running = await listen(createTcpServer());
  await running.close();
  return running.port;
}

/** Sockets of this process still connected to or from `port`. */
export function openSocketsOn(port: number): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h) => h instanceof Socket && (h.remotePort === port || h.localPort === port)).length;
}

/** Socket file descriptors this process holds (Linux), counting those no handle list shows (c-ares). */
export function openSocketDescriptors(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false; // closed between the listing and the read
    }
  }).length;
}

/** Polls until `condition` holds (socket closes are reported a tick or two later); fails after 2 s. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still not true after 2 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Asserts the probe left nothing open: no socket on the port in this process, no connection on the server. */
export async function expectNothingOpen(server: RunningServer): Promise<void> {
  await eventually(
    async () => openSocketsOn(server.port) === 0 && (await server.connections()) === 0,
    `no open sockets on port ${server.port}`,
  );
}

export interface CertificateOptions {
  readonly commonName: string;
  readonly altNames: readonly ({ dns: string } | { ip: string })[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A self-signed certificate (it is its own CA: pass `cert` as caPem to trust it). */
export async function makeCertificate(options: CertificateOptions): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: options.commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: options.notBefore ?? new Date(Date.now() - 86_400_000),
    notAfterDate: options.notAfter ?? new Date(Date.now() + 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: options.altNames.map((n) =>
          'dns' in n ? { type: 2 as const, value: n.dns } : { type: 7 as const, ip: n.ip },
        ),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

export type DnsReply =
  | { readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED'; readonly answers: readonly string[] }
  | 'no-answer';

const rcodeValues = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface RunningDnsServer {
  /** "127.0.0.1:<port>", as a record's nameserver. */
  readonly nameserver: string;
  readonly port: number;
  close(): Promise<void>;
}

/** An authoritative-looking UDP DNS server on loopback; `reply` decides each answer by name and type. */
export async function startDnsServer(reply: (name: string, type: string) => DnsReply): Promise<RunningDnsServer> {
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const decided = reply(question.name, question.type);
    if (decided === 'no-answer') return;
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | rcodeValues[decided.rcode],
      questions: [question],
      answers: decided.answers.map((data) => ({
        type: question.type as 'A' | 'AAAA',
        class: 'IN' as const,
        name: question.name,
        ttl: 60,
        data,
      })),
    });
    socket.send(response, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, loopback, resolve));
  const port = socket.address().port;
  return {
    nameserver: `${loopback}:${port}`,
    port,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
