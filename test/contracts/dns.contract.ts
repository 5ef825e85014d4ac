// The DNS port's contract: one set of cases every DnsPort implementation must pass (Route 53's
// semantics as the engine relies on them), run against each lane by dns.contract.test.ts.
import { describe, expect, it } from 'vitest';
import type { DnsPort, RecordSet } from '../../lambdas/ports/dns.port';
import { CloudCallError, DnsConflictError } from '../../lambdas/ports/errors';
import { type Differences, contractCase } from './lanes/differences';

export interface DnsLane {
  readonly port: DnsPort;
  /** A hosted zone that exists in this lane. */
  readonly zoneId: string;
  /** Stores the sets in the zone as they are, before the case acts. */
  seed(sets: readonly RecordSet[]): Promise<void>;
}

export type DnsCase =
  | 'lists every set of one name and type'
  | 'matches names without case or trailing dot'
  | 'swaps a set by deleting exactly what was read and creating the new one'
  | 'refuses a DELETE whose values changed since the read'
  | 'refuses a DELETE whose TTL changed since the read'
  | 'refuses a DELETE of a set that is gone'
  | 'refuses a CREATE of a set that exists'
  | 'applies nothing of a batch that loses its compare-and-swap'
  | 'lists past 100 record sets of one name'
  | 'keeps weighted sets with their weights'
  | 'keeps multivalue sets'
  | 'keeps failover sets'
  | 'refuses a name that would mix routing policies'
  | 'reports a submitted change'
  | 'fails on a zone that does not exist';

const NAME = 'www.example.com';
const plain = (values: string[], ttl = 60): RecordSet => ({ name: NAME, type: 'A', ttl, values });
const weighted = (id: string, weight: number, values: string[]): RecordSet => ({
  name: NAME,
  type: 'A',
  ttl: 60,
  values,
  setIdentifier: id,
  weight,
});
const bySetId = (sets: readonly RecordSet[]) =>
  [...sets].sort((a, b) => (a.setIdentifier ?? '').localeCompare(b.setIdentifier ?? ''));
const sortedValues = (set: RecordSet | undefined) => [...(set?.values ?? [])].sort();

/** Registers the DNS contract's cases for one lane; `differences` names where the lane knowingly differs from AWS. */
export function dnsContract(lane: string, open: () => Promise<DnsLane>, differences: Differences<DnsCase> = {}): void {
  const test = (name: DnsCase, body: () => Promise<void>) => contractCase(it, name, differences, body);

  describe(`DNS contract: ${lane}`, () => {
    test('lists every set of one name and type', async () => {
      const { port, zoneId, seed } = await open();
      await seed([
        weighted('a', 10, ['10.0.0.1']),
        weighted('b', 20, ['10.0.0.2']),
        { name: NAME, type: 'AAAA', ttl: 60, values: ['2001:db8::1'] },
        { name: 'api.example.com', type: 'A', ttl: 60, values: ['10.0.0.9'] },
      ]);
      const sets = bySetId(await port.listRecordSets(zoneId, NAME, 'A'));
      expect(sets).toEqual([weighted('a', 10, ['10.0.0.1']), weighted('b', 20, ['10.0.0.2'])]);
    });

    test('matches names without case or trailing dot', async () => {
      const { port, zoneId, seed } = await open();
      await seed([plain(['10.0.0.1'])]);
      expect(await port.listRecordSets(zoneId, 'WWW.Example.com.', 'a')).toEqual([plain(['10.0.0.1'])]);
    });

    test('swaps a set by deleting exactly what was read and creating the new one', async () => {
      const { port, zoneId, seed } = await open();
      await seed([plain(['10.0.0.1', '10.0.0.2'])]);
      const [read] = await port.listRecordSets(zoneId, NAME, 'A');
      await port.changeRecordSets(
        zoneId,
        [
          { action: 'DELETE', recordSet: read! },
          { action: 'CREATE', recordSet: plain(['10.0.0.2']) },
        ],
        'pull 10.0.0.1',
      );
      expect(await port.listRecordSets(zoneId, NAME, 'A')).toEqual([plain(['10.0.0.2'])]);
    });

    test('refuses a DELETE whose values changed since the read', async () => {
      const { port, zoneId, seed } = await open();
      await seed([plain(['10.0.0.1', '10.0.0.3'])]);
      const swap = port.changeRecordSets(zoneId, [
        { action: 'DELETE', recordSet: plain(['10.0.0.1', '10.0.0.2']) },
        { action: 'CREATE', recordSet: plain(['10.0.0.2']) },
      ]);
      await expect(swap).rejects.toBeInstanceOf(DnsConflictError);
      expect(sortedValues((await port.listRecordSets(zoneId, NAME, 'A'))[0])).toEqual(['10.0.0.1', '10.0.0.3']);
    });

    test('refuses a DELETE whose TTL changed since the read', async () => {
      const { port, zoneId, seed } = await open();
      await seed([plain(['10.0.0.1'], 300)]);
      const swap = port.changeRecordSets(zoneId, [
        { action: 'DELETE', recordSet: plain(['10.0.0.1'], 60) },
        { action: 'CREATE', recordSet: plain(['10.0.0.2'], 60) },
      ]);
      await expect(swap).rejects.toBeInstanceOf(DnsConflictError);
      expect(await port.listRecordSets(zoneId, NAME, 'A')).toEqual([plain(['10.0.0.1'], 300)]);
    });

    test('refuses a DELETE of a set that is gone', async () => {
      const { port, zoneId, seed } = await open();
      await seed([{ name: 'other.example.com', type: 'A', ttl: 60, values: ['10.0.0.9'] }]);
      await expect(
        port.changeRecordSets(zoneId, [{ action: 'DELETE', recordSet: plain(['10.0.0.1']) }]),
      ).rejects.toBeInstanceOf(DnsConflictError);
    });

    test('refuses a CREATE of a set that exists', async () => {
      const { port, zoneId, seed } = await open();
      await seed([plain(['10.0.0.1'])]);
      await expect(
        port.changeRecordSets(zoneId, [{ action: 'CREATE', recordSet: plain(['10.0.0.2']) }]),
      ).rejects.toBeInstanceOf(DnsConflictError);
      expect(await port.listRecordSets(zoneId, NAME, 'A')).toEqual([plain(['10.0.0.1'])]);
    });

    test('applies nothing of a batch that loses its compare-and-swap', async () => {
      const { port, zoneId, seed } = await open();
      await seed([weighted('a', 10, ['10.0.0.1']), weighted('b', 10, ['10.0.0.2'])]);
      const batch = port.changeRecordSets(zoneId, [
        { action: 'DELETE', recordSet: weighted('a', 10, ['10.0.0.1']) },
        { action: 'CREATE', recordSet: weighted('a', 0, ['10.0.0.1']) },
        { action: 'DELETE', recordSet: weighted('b', 20, ['10.0.0.2']) },
        { action: 'CREATE', recordSet: weighted('b', 0, ['10.0.0.2']) },
      ]);
      await expect(batch).rejects.toBeInstanceOf(DnsConflictError);
      expect(bySetId(await port.listRecordSets(zoneId, NAME, 'A'))).toEqual([
        weighted('a', 10, ['10.0.0.1']),
        weighted('b', 10, ['10.0.0.2']),
      ]);
    });

    test('lists past 100 record sets of one name', async () => {
      const { port, zoneId, seed } = await open();
      const many = Array.from({ length: 130 }, (_, i) =>
        weighted(`s${String(i).padStart(3, '0')}`, 1, [`10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`]),
      );
      await seed([
        { name: 'a.example.com', type: 'A', ttl: 60, values: ['10.9.0.1'] },
        ...many,
        { name: 'zz.example.com', type: 'A', ttl: 60, values: ['10.9.0.2'] },
      ]);
      expect(bySetId(await port.listRecordSets(zoneId, NAME, 'A'))).toEqual(many);
    });

    test('keeps weighted sets with their weights', async () => {
      const { port, zoneId, seed } = await open();
      await seed([weighted('blue', 200, ['10.0.0.1']), weighted('green', 0, ['10.0.0.2'])]);
      const [blue] = bySetId(await port.listRecordSets(zoneId, NAME, 'A'));
      await port.changeRecordSets(zoneId, [
        { action: 'DELETE', recordSet: blue! },
        { action: 'CREATE', recordSet: weighted('blue', 0, ['10.0.0.1']) },
      ]);
      expect(bySetId(await port.listRecordSets(zoneId, NAME, 'A'))).toEqual([
        weighted('blue', 0, ['10.0.0.1']),
        weighted('green', 0, ['10.0.0.2']),
      ]);
    });

    test('keeps multivalue sets', async () => {
      const { port, zoneId, seed } = await open();
      const mv = (id: string, value: string): RecordSet => ({
        name: NAME,
        type: 'A',
        ttl: 60,
        values: [value],
        setIdentifier: id,
        multiValueAnswer: true,
      });
      await seed([mv('one', '10.0.0.1'), mv('two', '10.0.0.2')]);
      await port.changeRecordSets(zoneId, [{ action: 'DELETE', recordSet: mv('two', '10.0.0.2') }]);
      expect(await port.listRecordSets(zoneId, NAME, 'A')).toEqual([mv('one', '10.0.0.1')]);
    });

    test('keeps failover sets', async () => {
      const { port, zoneId, seed } = await open();
      const primary: RecordSet = {
        name: NAME,
        type: 'A',
        ttl: 60,
        values: ['10.0.0.1'],
        setIdentifier: 'primary',
        failover: 'PRIMARY',
      };
      const secondary: RecordSet = {
        name: NAME,
        type: 'A',
        ttl: 60,
        values: ['10.1.0.1'],
        setIdentifier: 'secondary',
        failover: 'SECONDARY',
      };
      await seed([primary, secondary]);
      await port.changeRecordSets(zoneId, [
        { action: 'DELETE', recordSet: secondary },
        { action: 'CREATE', recordSet: { ...secondary, values: ['10.1.0.2'] } },
      ]);
      expect(bySetId(await port.listRecordSets(zoneId, NAME, 'A'))).toEqual([
        primary,
        { ...secondary, values: ['10.1.0.2'] },
      ]);
    });

    test('refuses a name that would mix routing policies', async () => {
      const { port, zoneId, seed } = await open();
      await seed([weighted('a', 10, ['10.0.0.1'])]);
      const mixed = port.changeRecordSets(zoneId, [{ action: 'CREATE', recordSet: plain(['10.0.0.2']) }]);
      await expect(mixed).rejects.toSatisfy((e) => e instanceof CloudCallError && !e.retryable);
      expect(await port.listRecordSets(zoneId, NAME, 'A')).toEqual([weighted('a', 10, ['10.0.0.1'])]);
    });

    test('reports a submitted change', async () => {
      const { port, zoneId } = await open();
      const { changeId } = await port.changeRecordSets(zoneId, [{ action: 'CREATE', recordSet: plain(['10.0.0.1']) }]);
      expect(changeId).toMatch(/^[A-Z0-9]+$/);
      expect(['PENDING', 'INSYNC']).toContain(await port.changeStatus(changeId));
    });

    test('fails on a zone that does not exist', async () => {
      const { port } = await open();
      await expect(port.listRecordSets('ZNOSUCHZONE0000', NAME, 'A')).rejects.toSatisfy(
        (e) => e instanceof CloudCallError && !e.retryable && /NoSuchHostedZone/.test(e.message),
      );
    });
  });
}
