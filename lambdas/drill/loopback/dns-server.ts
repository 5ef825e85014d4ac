// The drill's authoritative DNS server on loopback UDP: it answers from the record sets the guard
// reads and writes (the in-memory Route 53), so every DNS probe is a real query and every change the
// guard makes is visible to it at once.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import dnsPacket, { type Answer, type DecodedPacket, type Question } from 'dns-packet';

/** What the served zones answer now; read on every query, so a change shows at once. */
export interface ZoneAnswers {
  /** The values served for a name and type (empty: the name exists, without data of that type). */
  resolve(name: string, type: string): { readonly values: readonly string[]; readonly ttl: number };
  /** False when no served zone holds the name at all (NXDOMAIN). */
  holds(name: string): boolean;
}

const Rcode = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;
const answerableTypes = new Set(['A', 'AAAA', 'CNAME']);

const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');

function answersFor(question: Question, zones: ZoneAnswers): { rcode: number; answers: Answer[] } {
  const name = normalize(question.name);
  if (!zones.holds(name)) return { rcode: Rcode.NXDOMAIN, answers: [] };
  if (!answerableTypes.has(question.type)) return { rcode: Rcode.NOERROR, answers: [] };
  const direct = zones.resolve(name, question.type);
  // A name that is a CNAME answers every address query with the CNAME (the resolver follows it).
  const served = direct.values.length === 0 && question.type !== 'CNAME' ? { type: 'CNAME' as const, ...zones.resolve(name, 'CNAME') } : { type: question.type as 'A' | 'AAAA' | 'CNAME', ...direct };
  return { rcode: Rcode.NOERROR, answers: served.values.map((data) => ({ type: served.type, name, ttl: served.ttl, class: 'IN', data })) };
}

export interface LoopbackDnsServer {
  /** "host:port", as the topology's nameservers list it. */
  readonly nameserver: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the server on `host` (a 127.x address) and `port` (0: any free port). */
export async function startLoopbackDnsServer(host: string, port: number, zones: ZoneAnswers): Promise<LoopbackDnsServer> {
  const socket: Socket = createSocket('udp4');
  const reply = (query: DecodedPacket, remote: RemoteInfo, rcode: number, answers: Answer[]) => {
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode,
      questions: query.questions,
      answers,
    });
    socket.send(response, remote.port, remote.address);
  };
  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // Not a DNS packet: a real server drops it too.
    }
    const question = query.questions?.[0];
    if (!question) {
      reply(query, remote, Rcode.NOTIMP, []);
      return;
    }
    try {
      const { rcode, answers } = answersFor(question, zones);
      reply(query, remote, rcode, answers);
    } catch {
      reply(query, remote, Rcode.SERVFAIL, []);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`the drill's DNS server cannot listen on udp ${host}:${port} (${error.code}); free that port or let the drill pick one (port 0)`, { cause: error })),
    );
    socket.bind({ address: host, port, exclusive: true }, () => resolve());
  });
  const bound = socket.address().port;
  let closed = false;
  return {
    nameserver: `${host}:${bound}`,
    host,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        socket.close(() => resolve());
      }),
  };
}
