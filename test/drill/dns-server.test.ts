import { Resolver } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { parseTopology } from '../../lambdas/domain/config/load';
import { startLoopbackDnsServer, type LoopbackDnsServer } from '../../lambdas/drill/loopback/dns-server';
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
    { id: 'www', hostedZoneId: 'ZTEST', name: 'www.test.example', type: 'A', ttl: 7, targets: [{ endpoint: 'a' }, { endpoint: 'b' }] },
    {
      id: 'api', hostedZoneId: 'ZTEST', name: 'api.test.example', type: 'A', routing: 'weighted', regionMode: 'active-active',
      targets: [{ endpoint: 'a', setIdentifier: 'a', weight: 10 }, { endpoint: 'b', setIdentifier: 'b', weight: 10 }],
    },
  ],
  databases: [
    {
      id: 'db', engine: 'rds-instance',
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
    await cloud.dns.changeRecordSets('ZTEST', [{ action: 'UPSERT', recordSet: { ...writer!, values: ['replica.test.example'] } }]);
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
});
