// The drill's authoritative DNS server on loopback, UDP and TCP on one port: it answers from the
// record sets the guard reads and writes (the in-memory Route 53), so every DNS probe is a real
// query, every change the guard makes is visible to it at once, and `dig` can ask it too.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Question } from 'dns-packet';

/** What the served zones answer now; read on every query, so a change shows at once. */
export interface ZoneAnswers {
  /** The values served for a name and type (empty: the name exists, without data of that type). */
  resolve(name: string, type: string): { readonly values: readonly string[]; readonly ttl: number };
  /** False when no served zone holds the name at all (NXDOMAIN inside a zone). */
  holds(name: string): boolean;
  /** The apex of the served zone the name falls in; undefined when it is in none (REFUSED: not ours). */
  zoneOf(name: string): string | undefined;
}

const Rcode = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const addressTypes = ['A', 'AAAA', 'CNAME'] as const;
/** Negative answers are cached this long (the SOA minimum), as Route 53's default SOA does. */
const negativeTtlSeconds = 60;

const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');

interface Reply {
  readonly rcode: number;
  readonly authoritative: boolean;
  readonly answers: Answer[];
  readonly authorities: Answer[];
}

function soaOf(apex: string): Answer {
  return {
    type: 'SOA',
    name: apex,
    ttl: 900,
    class: 'IN',
    data: {
      mname: `ns1.${apex}`,
      rname: `hostmaster.${apex}`,
      serial: 1,
      refresh: 7200,
      retry: 900,
      expire: 1209600,
      minimum: negativeTtlSeconds,
    },
  };
}

const nsOf = (apex: string): Answer => ({ type: 'NS', name: apex, ttl: 172800, class: 'IN', data: `ns1.${apex}` });

function addressAnswers(name: string, type: (typeof addressTypes)[number], zones: ZoneAnswers): Answer[] {
  const { values, ttl } = zones.resolve(name, type);
  return values.map((data) => ({ type, name, ttl, class: 'IN', data }));
}

/** The answer an authoritative server gives: REFUSED outside its zones, SOA in every negative answer. */
function answerQuestion(question: Question, zones: ZoneAnswers): Reply {
  const name = normalize(question.name);
  const apex = zones.zoneOf(name);
  if (apex === undefined) return { rcode: Rcode.REFUSED, authoritative: false, answers: [], authorities: [] };
  const atApex = name === apex;
  const apexAnswers = (type: string): Answer[] => {
    if (!atApex) return [];
    if (type === 'SOA') return [soaOf(apex)];
    return type === 'NS' ? [nsOf(apex)] : [];
  };
  let answers: Answer[];
  const type: string = question.type;
  if (type === 'ANY') {
    answers = [
      ...apexAnswers('SOA'),
      ...apexAnswers('NS'),
      ...addressTypes.flatMap((type) => addressAnswers(name, type, zones)),
    ];
  } else if (question.type === 'SOA' || question.type === 'NS') {
    answers = apexAnswers(question.type);
  } else if ((addressTypes as readonly string[]).includes(question.type)) {
    const direct = addressAnswers(name, question.type as (typeof addressTypes)[number], zones);
    // A name that is a CNAME answers every address query with the CNAME (the resolver follows it).
    answers = direct.length === 0 && question.type !== 'CNAME' ? addressAnswers(name, 'CNAME', zones) : direct;
  } else {
    answers = [];
  }
  if (answers.length > 0) return { rcode: Rcode.NOERROR, authoritative: true, answers, authorities: [] };
  const exists = atApex || zones.holds(name);
  return {
    rcode: exists ? Rcode.NOERROR : Rcode.NXDOMAIN,
    authoritative: true,
    answers: [],
    authorities: [soaOf(apex)],
  };
}

/** The response to one query packet, or undefined for bytes that are not a DNS query (dropped, as a real server does). */
function respond(message: Buffer, zones: ZoneAnswers): Buffer | undefined {
  let query: DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return undefined;
  }
  const question = query.questions?.[0];
  let reply: Reply;
  try {
    reply = question
      ? answerQuestion(question, zones)
      : { rcode: Rcode.NOTIMP, authoritative: false, answers: [], authorities: [] };
  } catch {
    reply = { rcode: Rcode.SERVFAIL, authoritative: false, answers: [], authorities: [] };
  }
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags:
      (reply.authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
      ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      reply.rcode,
    questions: query.questions,
    answers: reply.answers,
    authorities: reply.authorities,
  });
}

/** DNS over TCP: each message behind a two-byte length, several per connection. */
function serveTcpConnection(socket: TcpSocket, zones: ZoneAnswers): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) return;
      const response = respond(buffered.subarray(2, 2 + length), zones);
      buffered = buffered.subarray(2 + length);
      if (!response) {
        socket.destroy();
        return;
      }
      const framed = Buffer.alloc(2 + response.length);
      framed.writeUInt16BE(response.length, 0);
      response.copy(framed, 2);
      socket.write(framed);
    }
  });
  socket.on('error', () => socket.destroy());
}

export interface LoopbackDnsServer {
  /** "host:port", as the topology's nameservers list it. */
  readonly nameserver: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

function bindUdp(socket: Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.removeListener('error', reject);
      resolve();
    });
  });
}

function listenTcp(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}

const closeUdp = (socket: Socket) => new Promise<void>((resolve) => socket.close(() => resolve()));
const closeTcp = (server: Server, connections: Set<TcpSocket>) =>
  new Promise<void>((resolve) => {
    for (const c of connections) c.destroy();
    server.close(() => resolve());
  });

/** Starts the server on `host` (a 127.x address) and `port` (0: a free port, the same for UDP and TCP). */
export async function startLoopbackDnsServer(
  host: string,
  port: number,
  zones: ZoneAnswers,
): Promise<LoopbackDnsServer> {
  // With port 0 the UDP port the system picks may be taken on TCP: try a few before giving up.
  for (let attempt = 1; ; attempt += 1) {
    const udp = createSocket('udp4');
    const connections = new Set<TcpSocket>();
    const tcp = createServer((socket) => {
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
      serveTcpConnection(socket, zones);
    });
    try {
      await bindUdp(udp, host, port).catch((error: unknown) => {
        udp.close();
        throw error;
      });
      const bound = udp.address().port;
      try {
        await listenTcp(tcp, host, bound);
      } catch (error) {
        await closeUdp(udp);
        throw error;
      }
      udp.on('message', (message: Buffer, remote: RemoteInfo) => {
        const response = respond(message, zones);
        if (response) udp.send(response, remote.port, remote.address);
      });
      let closed = false;
      return {
        nameserver: `${host}:${bound}`,
        host,
        port: bound,
        close: async () => {
          if (closed) return;
          closed = true;
          await Promise.all([closeUdp(udp), closeTcp(tcp, connections)]);
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (port === 0 && code === 'EADDRINUSE' && attempt < 5) continue;
      throw new Error(
        `the drill's DNS server cannot listen on ${host}:${port} (${code}); free that port or let the drill pick one (port 0)`,
        { cause: error },
      );
    }
  }
}
