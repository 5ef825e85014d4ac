import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import { dnsQueries, expectedAddresses } from '../../lambdas/probes/dns-queries';
import { canonicalIp, probeDns, unexpectedAnswers, type DnsQuery } from '../../lambdas/probes/dns.probe';
import {
  eventually,
  openSocketDescriptors,
  startDnsServer,
  type DnsReply,
  type RunningDnsServer,
} from './loopback-servers';

const zone: Record<string, DnsReply> = {
  'www.shop.test/A': { rcode: 'NOERROR', answers: ['10.0.0.1', '10.0.0.2'] },
  'drift.shop.test/A': { rcode: 'NOERROR', answers: ['10.0.0.1', '10.9.9.9'] },
  'v6.shop.test/AAAA': { rcode: 'NOERROR', answers: ['2001:db8::1'] },
  'empty.shop.test/A': { rcode: 'NOERROR', answers: [] },
  'gone.shop.test/A': { rcode: 'NXDOMAIN', answers: [] },
  'broken.shop.test/A': { rcode: 'SERVFAIL', answers: [] },
  'private.shop.test/A': { rcode: 'REFUSED', answers: [] },
  'silent.shop.test/A': 'no-answer',
};

let server: RunningDnsServer;
beforeAll(async () => {
  server = await startDnsServer((name, type) => zone[`${name}/${type}`] ?? { rcode: 'NXDOMAIN', answers: [] });
});
afterAll(() => server.close());

const run = { targetId: 'www@ns', timeoutMs: 1_000, checker: 'eu-west-1' };
function query(name: string, fields: Partial<DnsQuery> = {}): DnsQuery {
  return { name, type: 'A', nameserver: server.nameserver, expected: ['10.0.0.1', '10.0.0.2'], ...fields };
}

describe('probeDns', () => {
  it('reports the answers of the nameserver and no drift when they are all configured', async () => {
    // Act
    const observation = await probeDns(run, query('www.shop.test'));
    // Assess
    expect(observation).toMatchObject({
      targetId: 'www@ns',
      kind: 'dns',
      ok: true,
      checker: 'eu-west-1',
      dns: { nameserver: server.nameserver, answers: ['10.0.0.1', '10.0.0.2'], unexpected: [] },
    });
    expect(observation.detail).toBeUndefined();
  });

  it('reports an answer that is none of the configured targets as drift', async () => {
    const observation = await probeDns(run, query('drift.shop.test'));
    expect(observation).toMatchObject({ ok: true, dns: { unexpected: ['10.9.9.9'] } });
    expect(observation.detail).toContain('10.9.9.9');
  });

  it('compares IPv6 answers whatever their spelling in the config', async () => {
    const observation = await probeDns(run, query('v6.shop.test', { type: 'AAAA', expected: ['2001:0db8:0:0::1'] }));
    expect(observation).toMatchObject({ ok: true, dns: { answers: ['2001:db8::1'], unexpected: [] } });
  });

  it.each([
    ['gone.shop.test', 'DNS_NXDOMAIN'],
    ['empty.shop.test', 'DNS_NODATA'],
    ['broken.shop.test', 'DNS_SERVFAIL'],
    ['private.shop.test', 'DNS_REFUSED'],
  ])('fails %s with %s', async (name, error) => {
    const observation = await probeDns(run, query(name));
    expect(observation).toMatchObject({ ok: false, error, dns: { answers: [], unexpected: [] } });
    expect(observation.detail).toContain(name);
  });

  it.each(['127.0.0.1:0', '1.2.3', '::::', ':99999', '[::1]:70000', 'ns.example.com'])(
    'fails a nameserver that is not one (%s) with PROBE_ERROR instead of handing it to c-ares (which aborts the process on port 0)',
    async (nameserver) => {
      const observation = await probeDns(run, query('www.shop.test', { nameserver }));
      expect(observation).toMatchObject({ ok: false, error: 'PROBE_ERROR', dns: { nameserver, answers: [] } });
      expect(observation.detail).toContain(JSON.stringify(nameserver));
    },
  );

  it('asks a nameserver written as [ipv6]:port or as a bare IPv4 address with the port given', async () => {
    const observation = await probeDns(run, query('www.shop.test', { nameserver: `127.0.0.1:${server.port}` }));
    expect(observation.ok).toBe(true);
  });

  it('fails with DNS_TIMEOUT when the nameserver never answers', async () => {
    const observation = await probeDns({ ...run, timeoutMs: 200 }, query('silent.shop.test'));
    expect(observation).toMatchObject({ ok: false, error: 'DNS_TIMEOUT' });
    expect(observation.latencyMs).toBeGreaterThanOrEqual(150);
    expect(observation.latencyMs).toBeLessThan(2_000);
  });

  it('leaves no resolver socket open, whether answered or timed out', async () => {
    // Prepare
    const before = openSocketDescriptors();
    const names = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'www.shop.test' : 'silent.shop.test'));
    // Act
    const observations = await Promise.all(names.map((name) => probeDns({ ...run, timeoutMs: 150 }, query(name))));
    // Assess
    expect(observations.filter((o) => o.ok)).toHaveLength(10);
    await eventually(() => openSocketDescriptors() <= before, 'resolver sockets closed');
  });
});

describe('unexpectedAnswers', () => {
  it('finds nothing unexpected when no address is configured (weighted records without IPs)', () => {
    expect(unexpectedAnswers(['10.0.0.7'], [])).toEqual([]);
  });

  it('keeps the answers outside the configured set, in answer order', () => {
    expect(unexpectedAnswers(['10.0.0.3', '10.0.0.1', '10.0.0.4'], ['10.0.0.1'])).toEqual(['10.0.0.3', '10.0.0.4']);
  });

  it('writes IPv6 addresses one way and leaves IPv4 as is', () => {
    expect(canonicalIp('2001:0DB8:0000::0001')).toBe('2001:db8::1');
    expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1');
  });
});

describe('dnsQueries', () => {
  const topology = parseTopology({
    name: 'shop',
    account: '123456789012',
    regions: [{ name: 'eu-west-1', role: 'primary' }],
    servers: [
      { id: 'web-a', region: 'eu-west-1', ip: '10.0.0.1', probe: { type: 'tcp', host: '10.0.0.1', port: 80 } },
      { id: 'web-b', region: 'eu-west-1', probe: { type: 'tcp', host: '10.0.0.2', port: 80 } },
    ],
    loadBalancers: [
      {
        id: 'nlb',
        region: 'eu-west-1',
        ips: ['52.0.0.1', '52.0.0.2'],
        probe: { type: 'tcp', host: '52.0.0.1', port: 443 },
      },
    ],
    dns: [
      {
        id: 'www',
        hostedZoneId: 'Z123',
        name: 'www.shop.test',
        type: 'A',
        nameservers: ['127.0.0.1:5300', '127.0.0.2'],
        targets: [{ endpoint: 'web-a' }, { endpoint: 'nlb' }, { endpoint: 'web-b', ip: '10.0.0.9' }],
      },
      {
        id: 'origin',
        hostedZoneId: 'Z123',
        name: 'origin.shop.test',
        type: 'A',
        routing: 'weighted',
        nameservers: ['127.0.0.1:5300'],
        targets: [{ endpoint: 'web-b', setIdentifier: 'b' }],
      },
    ],
  });

  it('expects each target ip, else its server ip, else every ip of its load balancer', () => {
    expect(expectedAddresses(topology, topology.dns[0]!)).toEqual(['10.0.0.1', '52.0.0.1', '52.0.0.2', '10.0.0.9']);
  });

  it('expects nothing of a weighted record whose endpoints have no ip', () => {
    expect(expectedAddresses(topology, topology.dns[1]!)).toEqual([]);
  });

  it('asks every record at each of its nameservers, with ids <record>@<nameserver>', () => {
    expect(dnsQueries(topology).map((q) => [q.targetId, q.name, q.nameserver])).toEqual([
      ['www@127.0.0.1:5300', 'www.shop.test', '127.0.0.1:5300'],
      ['www@127.0.0.2', 'www.shop.test', '127.0.0.2'],
      ['origin@127.0.0.1:5300', 'origin.shop.test', '127.0.0.1:5300'],
    ]);
  });
});
