// The state store port's contract: versioned documents (compare-and-swap), expiry, leases and the audit
// log, as the engine relies on them; run against each lane by state-store.contract.test.ts.
import { describe, expect, it } from 'vitest';
import { StateConflictError } from '../../lambdas/ports/errors';
import type { AuditEntry, StateStorePort } from '../../lambdas/ports/state-store.port';
import { type Differences, contractCase } from './lanes/differences';

export interface StateStoreLane {
  readonly port: StateStorePort;
  /** Moves the store's clock forward. */
  advance(ms: number): void;
}

/** Every lane's clock starts here, on a whole second. */
const CONTRACT_START = Date.parse('2026-01-01T00:00:00Z');

/** A clock the lane moves by hand. */
export function manualClock() {
  let nowMs = CONTRACT_START;
  return {
    now: () => new Date(nowMs),
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

export type StateStoreCase =
  | 'reads a document never written as absent'
  | 'creates a document at version 1 and reads it back'
  | 'writes the next version over the version read'
  | 'refuses a write over a stale version and keeps the stored one'
  | 'refuses to create a document that exists'
  | 'keeps a large document whole'
  | 'lists the documents of one namespace only'
  | 'reads a document past its TTL as absent and lets it be created again'
  | 'gives a free lease, renews it for its owner and refuses it to others'
  | 'holds a lease until strictly past its expiry, then gives it to another owner'
  | 'releases a lease only for its owner'
  | 'lists audit entries at or after a time, oldest first';

const entry = (id: string, at: string): AuditEntry => ({
  id,
  at,
  checker: 'eu-west-1',
  action: 'dns.target.pulled',
  resource: 'www.example.com',
  outcome: 'applied',
  reason: 'unhealthy',
});

/** Registers the state store contract's cases for one lane. */
export function stateStoreContract(
  lane: string,
  open: () => Promise<StateStoreLane>,
  differences: Differences<StateStoreCase> = {},
): void {
  const test = (name: StateStoreCase, body: () => Promise<void>) => contractCase(it, name, differences, body);

  describe(`state store contract: ${lane}`, () => {
    test('reads a document never written as absent', async () => {
      const { port } = await open();
      expect(await port.get('guard', 'nothing')).toBeUndefined();
    });

    test('creates a document at version 1 and reads it back', async () => {
      const { port } = await open();
      expect(await port.put('guard', 'state', { paused: true, targets: ['10.0.0.1'] }, 0)).toBe(1);
      expect(await port.get('guard', 'state')).toEqual({
        namespace: 'guard',
        name: 'state',
        value: { paused: true, targets: ['10.0.0.1'] },
        version: 1,
      });
    });

    test('writes the next version over the version read', async () => {
      const { port } = await open();
      await port.put('guard', 'state', { n: 1 }, 0);
      expect(await port.put('guard', 'state', { n: 2 }, 1)).toBe(2);
      expect(await port.get('guard', 'state')).toMatchObject({ value: { n: 2 }, version: 2 });
    });

    test('refuses a write over a stale version and keeps the stored one', async () => {
      const { port } = await open();
      await port.put('guard', 'state', { n: 1 }, 0);
      await port.put('guard', 'state', { n: 2 }, 1);
      await expect(port.put('guard', 'state', { n: 'lost' }, 1)).rejects.toBeInstanceOf(StateConflictError);
      expect(await port.get('guard', 'state')).toMatchObject({ value: { n: 2 }, version: 2 });
    });

    test('refuses to create a document that exists', async () => {
      const { port } = await open();
      await port.put('guard', 'state', { n: 1 }, 0);
      await expect(port.put('guard', 'state', { n: 'lost' }, 0)).rejects.toBeInstanceOf(StateConflictError);
      expect(await port.get('guard', 'state')).toMatchObject({ value: { n: 1 }, version: 1 });
    });

    test('keeps a large document whole', async () => {
      const { port } = await open();
      const view = {
        targets: Array.from({ length: 2000 }, (_, i) => ({
          ip: `10.${Math.floor(i / 250)}.0.${i % 250}`,
          healthy: i % 3 !== 0,
        })),
      };
      await port.put('view', 'www.example.com', view, 0);
      expect((await port.get('view', 'www.example.com'))?.value).toEqual(view);
    });

    test('lists the documents of one namespace only', async () => {
      const { port } = await open();
      for (let i = 0; i < 30; i += 1) await port.put('runbook', `rb-${String(i).padStart(2, '0')}`, { i }, 0);
      await port.put('guard', 'state', {}, 0);
      const listed = await port.list('runbook');
      expect(listed.map((d) => d.name).sort()).toEqual(
        Array.from({ length: 30 }, (_, i) => `rb-${String(i).padStart(2, '0')}`),
      );
      expect(listed.every((d) => d.namespace === 'runbook' && d.version === 1)).toBe(true);
    });

    test('reads a document past its TTL as absent and lets it be created again', async () => {
      const { port, advance } = await open();
      await port.put('pulled', '10.0.0.1', { at: 'then' }, 0, 60);
      advance(59_000);
      expect(await port.get('pulled', '10.0.0.1')).toMatchObject({ version: 1 });
      advance(1_000);
      expect(await port.get('pulled', '10.0.0.1')).toBeUndefined();
      expect(await port.list('pulled')).toEqual([]);
      expect(await port.put('pulled', '10.0.0.1', { at: 'now' }, 0)).toBe(1);
    });

    test('gives a free lease, renews it for its owner and refuses it to others', async () => {
      const { port, advance } = await open();
      expect(await port.acquireLease('cycle', 'checker-a', 30_000)).toBe(true);
      expect(await port.acquireLease('cycle', 'checker-b', 30_000)).toBe(false);
      advance(20_000);
      expect(await port.acquireLease('cycle', 'checker-a', 30_000)).toBe(true);
      advance(20_000);
      expect(await port.acquireLease('cycle', 'checker-b', 30_000)).toBe(false);
    });

    test('holds a lease until strictly past its expiry, then gives it to another owner', async () => {
      const { port, advance } = await open();
      await port.acquireLease('cycle', 'checker-a', 30_000);
      advance(30_000);
      expect(await port.acquireLease('cycle', 'checker-b', 30_000)).toBe(false);
      advance(1);
      expect(await port.acquireLease('cycle', 'checker-b', 30_000)).toBe(true);
      expect(await port.acquireLease('cycle', 'checker-a', 30_000)).toBe(false);
    });

    test('releases a lease only for its owner', async () => {
      const { port } = await open();
      await port.acquireLease('cycle', 'checker-a', 30_000);
      await port.releaseLease('cycle', 'checker-b');
      expect(await port.acquireLease('cycle', 'checker-b', 30_000)).toBe(false);
      await port.releaseLease('cycle', 'checker-a');
      expect(await port.acquireLease('cycle', 'checker-b', 30_000)).toBe(true);
    });

    test('lists audit entries at or after a time, oldest first', async () => {
      const { port } = await open();
      await port.appendAudit(entry('b', '2026-01-01T00:00:02.000Z'));
      await port.appendAudit(entry('a', '2026-01-01T00:00:01.000Z'));
      await port.appendAudit(entry('c', '2026-01-01T00:00:03.000Z'));
      expect((await port.listAudit()).map((e) => e.id)).toEqual(['a', 'b', 'c']);
      expect(await port.listAudit('2026-01-01T00:00:02.000Z')).toEqual([
        entry('b', '2026-01-01T00:00:02.000Z'),
        entry('c', '2026-01-01T00:00:03.000Z'),
      ]);
    });
  });
}
