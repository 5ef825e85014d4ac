import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { once } from 'node:events';
import { connect } from 'node:net';
import dnsPacket, { type DecodedPacket } from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { parseTopology } from '../../lambdas/domain/config/load';
import { startLoopbackDnsServer, type LoopbackDnsServer } from '../../lambdas/drill/loopback/dns-server';
import { zoneApex } from '../../lambdas/adapters/memory/zone-apex';
import { memoryZoneAnswers } from '../../lambdas/drill/loopback/memory-zone-answers';

const topology = parseTopology({
  name: 'dns-test',
  account: '123456789012',
  regions: [{ name: 'eu-west-1', role: 'primary' }],
  servers: [
    { id: 'a', region: 'eu-west-1', ip: '127.0.5.1', probe: { type: 'tcp', host: '127.0.5.1', port: 1 } },
    { id: 'b', region: 'eu-west-1', ip: '127.0.5.2', probe: { type: 'tcp', host: '127.0.5.2', port: 1 } },
  ],
  dns: [
    {
      id: 'www',
      hostedZoneId: 'ZTEST',
      name: 'www.test.example',
      type: 'A',
      ttl: 7,
      targets: [{ endpoint: 'a' }, { endpoint: 'b' }],
    },
    {
      id: 'api',
      hostedZoneId: 'ZTEST',
      name: 'api.test.example',
      type: 'A',
      routing: 'weighted',
      regionMode: 'active-active',
      targets: [
        { endpoint: 'a', setIdentifier: 'a', weight: 10 },
        { endpoint: 'b', setIdentifier: 'b', weight: 10 },
      ],
    },
  ],
  databases: [
    {
      id: 'db',
      engine: 'rds-instance',
      primary: { id: 'db-1', region: 'eu-west-1', identifier: 'db-1', endpoint: { host: '127.0.5.10', port: 5432 } },
      writerDns: { hostedZoneId: 'ZTEST', name: 'writer.test.example', ttl: 5 },
    },
  ],
});

function resolverFor(server: LoopbackDnsServer): Resolver {
  const resolver = new Resolver({ timeout: 1_000, tries: 1 });
  resolver.setServers([server.nameserver]);
  return resolver;
}

describe('the drill DNS server', () => {
  let server: LoopbackDnsServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('answers an A query with the record set the in-memory cloud holds, and its TTL', async () => {
    // Prepare
    const cloud = MemoryCloud.fromTopology(topology);
    server = await startLoopbackDnsServer('127.0.0.1', 0, memoryZoneAnswers(cloud));
    // Act
    const answers = await resolverFor(server).resolve4('www.test.example', { ttl: true });
    // Assess
    expect(answers.map((a) => a.address).sort()).toEqual(['127.0.5.1', '127.0.5.2']);
    expect(answers.every((a) => a.ttl === 7)).toBe(true);
  });

  it('reflects a record change made through the DNS port in the next real query', async () => {
    // Prepare
    const cloud = MemoryCloud.fromTopology(topology);
    server = await startLoopbackDnsServer('127.0.0.1', 0, memoryZoneAnswers(cloud));
    const [current] = await cloud.dns.listRecordSets('ZTEST', 'www.test.example', 'A');
    // Act
    await cloud.dns.changeRecordSets('ZTEST', [
      { action: 'DELETE', recordSet: current! },
      { action: 'CREATE', recordSet: { ...current!, values: ['127.0.5.2'] } },
    ]);
    const answers = await resolverFor(server).resolve4('www.test.example');
    // Assess
    expect(answers).toEqual(['127.0.5.2']);
  });

  it('leaves a weighted set of weight 0 out of the answer', async () => {
    // Prepare
    const cloud = MemoryCloud.fromTopology(topology);
    server = await startLoopbackDnsServer('127.0.0.1', 0, memoryZoneAnswers(cloud));
    const sets = await cloud.dns.listRecordSets('ZTEST', 'api.test.example', 'A');
    const setA = sets.find((s) => s.setIdentifier === 'a')!;
    // Act
    await cloud.dns.changeRecordSets('ZTEST', [
      { action: 'DELETE', recordSet: setA },
      { action: 'CREATE', recordSet: { ...setA, weight: 0 } },
    ]);
    const answers = await resolverFor(server).resolve4('api.test.example');
    // Assess
    expect(answers).toEqual(['127.0.5.2']);
  });

  it('answers the writer name with its CNAME, and a repoint shows at once', async () => {
    // Prepare
    const cloud = MemoryCloud.fromTopology(topology);
    server = await startLoopbackDnsServer('127.0.0.1', 0, memoryZoneAnswers(cloud));
    const before = await resolverFor(server).resolveCname('writer.test.example');
    const [writer] = await cloud.dns.listRecordSets('ZTEST', 'writer.test.example', 'CNAME');
    // Act
    await cloud.dns.changeRecordSets('ZTEST', [
      { action: 'UPSERT', recordSet: { ...writer!, values: ['replica.test.example'] } },
    ]);
    const after = await resolverFor(server).resolveCname('writer.test.example');
    // Assess
    expect(before).toEqual(['127.0.5.10']);
    expect(after).toEqual(['replica.test.example']);
  });

  it('answers NXDOMAIN for a name no zone holds', async () => {
    // Prepare
    const cloud = MemoryCloud.fromTopology(topology);
    server = await startLoopbackDnsServer('127.0.0.1', 0, memoryZoneAnswers(cloud));
    // Act
    const outcome = resolverFor(server).resolve4('nothing.test.example');
    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('answers SOA and NS at the zone apex', async () => {
    // Prepare
    server = await startLoopbackDnsServer('127.0.0.1', 0, memoryZoneAnswers(MemoryCloud.fromTopology(topology)));
    const resolver = resolverFor(server);
    // Act
    const [soa, ns] = await Promise.all([resolver.resolveSoa('test.example'), resolver.resolveNs('test.example')]);
    // Assess
    expect(soa).toMatchObject({ nsname: 'ns1.test.example', hostmaster: 'hostmaster.test.example', minttl: 60 });
    expect(ns).toEqual(['ns1.test.example']);
  });

  it('refuses a name outside its zones instead of claiming it does not exist', async () => {
    // Prepare
    server = await startLoopbackDnsServer('127.0.0.1', 0, memoryZoneAnswers(MemoryCloud.fromTopology(topology)));
    // Act
    const outcome = resolverFor(server).resolve4('www.elsewhere.example');
    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  it('puts the zone SOA in the authority section of NXDOMAIN and no-data answers', async () => {
    // Prepare
    server = await startLoopbackDnsServer('127.0.0.1', 0, memoryZoneAnswers(MemoryCloud.fromTopology(topology)));
    // Act
    const [missing, noData] = await Promise.all([
      udpQuery(server.port, 'nothing.test.example', 'A'),
      udpQuery(server.port, 'www.test.example', 'AAAA'),
    ]);
    // Assess
    expect([missing.rcode, missing.answers, missing.authorities?.map((a) => [a.type, a.name])]).toEqual([
      'NXDOMAIN',
      [],
      [['SOA', 'test.example']],
    ]);
    expect([noData.rcode, noData.answers, noData.authorities?.map((a) => [a.type, a.name])]).toEqual([
      'NOERROR',
      [],
      [['SOA', 'test.example']],
    ]);
    expect(missing.flag_aa).toBe(true);
  });

  it('answers over TCP on the same port, two queries on one connection (dig +tcp, large answers)', async () => {
    // Prepare
    server = await startLoopbackDnsServer('127.0.0.1', 0, memoryZoneAnswers(MemoryCloud.fromTopology(topology)));
    // Act
    const answers = await tcpQueries(server.port, [
      ['www.test.example', 'A'],
      ['test.example', 'ANY'],
    ]);
    // Assess
    expect(answers[0]?.answers?.map((a) => (a as { data: unknown }).data).sort()).toEqual(['127.0.5.1', '127.0.5.2']);
    expect(answers[1]?.answers?.map((a) => a.type)).toEqual(['SOA', 'NS']);
  });
});

describe('zoneApex', () => {
  it.each([
    [['www.shop.drill.test', 'origin.shop.drill.test', 'db-writer.shop.drill.test'], 'shop.drill.test'],
    [['www.test.example'], 'test.example'],
    [['www.test.example', 'www.test.example'], 'test.example'],
    [['a.example', 'b.other'], undefined],
  ])('finds the apex of %j: %s', (names, apex) => {
    expect(zoneApex(names)).toBe(apex);
  });
});

/** A decoded response with the fields dns-packet sets but does not type. */
type Response = DecodedPacket & { readonly rcode: string; readonly flag_aa: boolean };

async function udpQuery(port: number, name: string, type: string): Promise<Response> {
  const socket = createSocket('udp4');
  try {
    socket.send(
      dnsPacket.encode({ type: 'query', id: 7, flags: 0, questions: [{ type: type as 'A', name }] }),
      port,
      '127.0.0.1',
    );
    const [message] = (await once(socket, 'message')) as [Buffer];
    return dnsPacket.decode(message) as Response;
  } finally {
    socket.close();
  }
}

async function tcpQueries(port: number, questions: readonly [string, string][]): Promise<Response[]> {
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  for (const [index, [name, type]] of questions.entries()) {
    socket.write(
      dnsPacket.streamEncode({ type: 'query', id: index + 1, flags: 0, questions: [{ type: type as 'A', name }] }),
    );
  }
  const decoded: Response[] = [];
  let buffered = Buffer.alloc(0);
  for await (const chunk of socket) {
    buffered = Buffer.concat([buffered, chunk as Buffer]);
    while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
      decoded.push(dnsPacket.streamDecode(buffered.subarray(0, 2 + buffered.readUInt16BE(0))) as Response);
      buffered = buffered.subarray(2 + buffered.readUInt16BE(0));
    }
    if (decoded.length === questions.length) break;
  }
  socket.destroy();
  return decoded;
}
