import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../lambdas/adapters/memory/faults';
import { MemoryDns } from '../../../lambdas/adapters/memory/memory-dns';
import type { RecordSet } from '../../../lambdas/ports/dns.port';
import { CloudCallError, DnsConflictError } from '../../../lambdas/ports/errors';

const ZONE = 'Z1';
const www: RecordSet = { name: 'www.example.com', type: 'A', ttl: 60, values: ['10.0.0.1', '10.0.0.2'] };

function setup(propagationMs = 0) {
  let time = Date.parse('2025-01-01T00:00:00Z');
  const faults = new FaultInjector();
  const dns = new MemoryDns({ now: () => new Date(time), faults, propagationMs });
  dns.seed(ZONE, [www]);
  return { dns, faults, advance: (ms: number) => (time += ms) };
}

const weighted = (id: string, weight: number, ip: string): RecordSet => ({
  name: 'origin.example.com',
  type: 'A',
  ttl: 30,
  values: [ip],
  setIdentifier: id,
  weight,
});

describe('MemoryDns', () => {
  it('applies a DELETE of the exact set read and a CREATE of the new one as one change', async () => {
    // Prepare
    const { dns } = setup();
    const read = await dns.listRecordSets(ZONE, 'WWW.Example.com.', 'a');
    // Act
    const { changeId } = await dns.changeRecordSets(
      ZONE,
      [
        { action: 'DELETE', recordSet: read[0]! },
        { action: 'CREATE', recordSet: { ...www, values: ['10.0.0.2'] } },
      ],
      'pull 10.0.0.1',
    );
    // Assess
    expect(await dns.listRecordSets(ZONE, 'www.example.com', 'A')).toEqual([{ ...www, values: ['10.0.0.2'] }]);
    expect(dns.changes).toHaveLength(1);
    expect(dns.changes[0]).toMatchObject({ id: changeId, zoneId: ZONE, comment: 'pull 10.0.0.1' });
  });

  it('accepts a DELETE whose values are in another order, as Route 53 compares them as a set', async () => {
    const { dns } = setup();
    await dns.changeRecordSets(ZONE, [{ action: 'DELETE', recordSet: { ...www, values: ['10.0.0.2', '10.0.0.1'] } }]);
    expect(await dns.listRecordSets(ZONE, www.name, 'A')).toEqual([]);
  });

  it.each([
    ['another TTL', { ...www, ttl: 300 }],
    ['other values', { ...www, values: ['10.0.0.1'] }],
    ['a set identifier', { ...www, setIdentifier: 'a', weight: 1 }],
  ])('refuses a DELETE with %s and changes nothing of the batch', async (_, stale) => {
    // Prepare
    const { dns } = setup();
    const other: RecordSet = { name: 'api.example.com', type: 'A', ttl: 60, values: ['10.0.1.1'] };
    // Act
    const change = dns.changeRecordSets(ZONE, [
      { action: 'CREATE', recordSet: other },
      { action: 'DELETE', recordSet: stale },
      { action: 'CREATE', recordSet: { ...www, values: ['10.0.0.9'] } },
    ]);
    // Assess
    await expect(change).rejects.toBeInstanceOf(DnsConflictError);
    expect(await dns.listRecordSets(ZONE, 'api.example.com', 'A')).toEqual([]);
    expect(await dns.listRecordSets(ZONE, www.name, 'A')).toEqual([www]);
    expect(dns.changes).toHaveLength(0);
  });

  it('refuses to CREATE a set that exists and to DELETE one twice', async () => {
    const { dns } = setup();
    await expect(dns.changeRecordSets(ZONE, [{ action: 'CREATE', recordSet: www }])).rejects.toThrow(/already exists/);
    await expect(
      dns.changeRecordSets(ZONE, [
        { action: 'DELETE', recordSet: www },
        { action: 'DELETE', recordSet: www },
      ]),
    ).rejects.toThrow(/was not found/);
  });

  it('replaces a set on UPSERT whatever it held', async () => {
    const { dns } = setup();
    await dns.changeRecordSets(ZONE, [{ action: 'UPSERT', recordSet: { ...www, ttl: 10, values: ['10.0.0.7'] } }]);
    expect(await dns.listRecordSets(ZONE, www.name, 'A')).toEqual([{ ...www, ttl: 10, values: ['10.0.0.7'] }]);
  });

  it('refuses an empty record set, as Route 53 does', async () => {
    const { dns } = setup();
    const change = dns.changeRecordSets(ZONE, [
      { action: 'DELETE', recordSet: www },
      { action: 'CREATE', recordSet: { ...www, values: [] } },
    ]);
    await expect(change).rejects.toSatisfy(
      (e) => e instanceof CloudCallError && !e.retryable && /InvalidInput/.test(e.message),
    );
  });

  it('refuses a weighted set beside a simple set of the same name and type', async () => {
    const { dns } = setup();
    const change = dns.changeRecordSets(ZONE, [
      { action: 'CREATE', recordSet: { ...www, setIdentifier: 'x', weight: 5 } },
    ]);
    await expect(change).rejects.toThrow(/mixes routing policies/);
  });

  it('fails with NoSuchHostedZone for an unknown zone', async () => {
    const { dns } = setup();
    await expect(dns.listRecordSets('ZNOPE', www.name, 'A')).rejects.toThrow(/NoSuchHostedZone/);
  });

  it('reports a change PENDING until the propagation delay has passed, then INSYNC', async () => {
    // Prepare
    const { dns, advance } = setup(10_000);
    const { changeId } = await dns.changeRecordSets(ZONE, [
      { action: 'UPSERT', recordSet: { ...www, values: ['10.0.0.3'] } },
    ]);
    // Act / Assess
    expect(await dns.changeStatus(changeId)).toBe('PENDING');
    advance(9_999);
    expect(await dns.changeStatus(changeId)).toBe('PENDING');
    advance(1);
    expect(await dns.changeStatus(changeId)).toBe('INSYNC');
    await expect(dns.changeStatus('CNOPE')).rejects.toThrow(/NoSuchChange/);
  });

  it('tells change listeners about every applied batch until they unsubscribe', async () => {
    const { dns } = setup();
    const seen: string[] = [];
    const unsubscribe = dns.onChange((c) => seen.push(c.changes.map((x) => x.action).join('+')));
    await dns.changeRecordSets(ZONE, [{ action: 'UPSERT', recordSet: www }]);
    unsubscribe();
    await dns.changeRecordSets(ZONE, [{ action: 'UPSERT', recordSet: www }]);
    expect(seen).toEqual(['UPSERT']);
  });

  it('fails every call while us-east-1, the Route 53 control plane, is dark', async () => {
    const { dns, faults } = setup();
    faults.setRegionDark('us-east-1');
    await expect(dns.listRecordSets(ZONE, www.name, 'A')).rejects.toSatisfy(
      (e) => e instanceof CloudCallError && e.retryable,
    );
    faults.setRegionLight('us-east-1');
    expect(await dns.listRecordSets(ZONE, www.name, 'A')).toHaveLength(1);
  });

  describe('resolve', () => {
    it('answers the values of every weighted set with weight above 0', () => {
      const { dns } = setup();
      dns.seed(ZONE, [weighted('a', 100, '10.1.0.1'), weighted('b', 0, '10.1.0.2'), weighted('c', 5, '10.1.0.3')]);
      expect(dns.resolve('origin.example.com.', 'A')).toEqual(['10.1.0.1', '10.1.0.3']);
    });

    it('answers every weighted set when all weights are 0', () => {
      const { dns } = setup();
      dns.seed(ZONE, [weighted('a', 0, '10.1.0.1'), weighted('b', 0, '10.1.0.2')]);
      expect(dns.resolve('origin.example.com', 'A')).toEqual(['10.1.0.1', '10.1.0.2']);
    });

    it('answers the failover SECONDARY only while the PRIMARY health check is unhealthy', () => {
      const { dns } = setup();
      const base = { name: 'app.example.com', type: 'A', ttl: 60 };
      dns.seed(ZONE, [
        { ...base, values: ['10.2.0.1'], setIdentifier: 'p', failover: 'PRIMARY', healthCheckId: 'hc-1' },
        { ...base, values: ['10.2.0.2'], setIdentifier: 's', failover: 'SECONDARY' },
      ]);
      expect(dns.resolve('app.example.com', 'A')).toEqual(['10.2.0.1']);
      dns.setHealthCheck('hc-1', false);
      expect(dns.resolve('app.example.com', 'A')).toEqual(['10.2.0.2']);
    });

    it('answers at most eight multivalue records', () => {
      const { dns } = setup();
      dns.seed(
        ZONE,
        Array.from(
          { length: 10 },
          (_, i): RecordSet => ({
            name: 'mv.example.com',
            type: 'A',
            ttl: 60,
            values: [`10.3.0.${i}`],
            setIdentifier: `m${i}`,
            multiValueAnswer: true,
          }),
        ),
      );
      expect(dns.resolve('mv.example.com', 'A')).toHaveLength(8);
    });

    it('answers nothing for an unknown name', () => {
      expect(setup().dns.resolve('nope.example.com', 'A')).toEqual([]);
    });
  });
});
