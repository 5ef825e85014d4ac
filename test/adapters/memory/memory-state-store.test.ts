import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../lambdas/adapters/memory/faults';
import { MemoryGlobalTable } from '../../../lambdas/adapters/memory/memory-global-table';
import { AUDIT_RETENTION_MS, MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store';
import { CloudCallError, StateConflictError } from '../../../lambdas/ports/errors';
import type { AuditEntry } from '../../../lambdas/ports/state-store.port';

function setup() {
  let time = Date.parse('2025-01-01T00:00:00Z');
  const faults = new FaultInjector();
  const store = new MemoryStateStore({ now: () => new Date(time), faults });
  return { store, faults, advance: (ms: number) => (time += ms), now: () => new Date(time) };
}

const entry = (id: string, at: string): AuditEntry => ({
  id,
  at,
  checker: 'eu-west-1',
  action: 'dns.pull',
  resource: 'www',
  outcome: 'applied',
  reason: 'unhealthy',
});

describe('MemoryStateStore', () => {
  it('writes version 1 when nothing is stored and counts up on every write', async () => {
    const { store } = setup();
    expect(await store.put('guard', 'active', { region: 'a' }, 0)).toBe(1);
    expect(await store.put('guard', 'active', { region: 'b' }, 1)).toBe(2);
    expect(await store.get('guard', 'active')).toEqual({
      namespace: 'guard',
      name: 'active',
      value: { region: 'b' },
      version: 2,
    });
  });

  it('refuses a write from a stale version and keeps what is stored', async () => {
    const { store } = setup();
    await store.put('guard', 'active', 'first', 0);
    await expect(store.put('guard', 'active', 'second', 0)).rejects.toBeInstanceOf(StateConflictError);
    await expect(store.put('guard', 'missing', 'x', 3)).rejects.toThrow(/version 0, not 3/);
    expect((await store.get('guard', 'active'))?.value).toBe('first');
  });

  it('keeps its own copy, so a caller mutating a value changes nothing stored', async () => {
    const { store } = setup();
    const value = { list: [1] };
    await store.put('view', 'eu-west-1', value, 0);
    value.list.push(2);
    const read = (await store.get('view', 'eu-west-1'))!.value as { list: number[] };
    read.list.push(3);
    expect((await store.get('view', 'eu-west-1'))?.value).toEqual({ list: [1] });
  });

  it('reads an expired document as absent and lets it be written again from version 0', async () => {
    const { store, advance } = setup();
    await store.put('guard', 'cooldown', true, 0, 60);
    advance(59_999);
    expect(await store.get('guard', 'cooldown')).toBeDefined();
    advance(1);
    expect(await store.get('guard', 'cooldown')).toBeUndefined();
    expect(await store.list('guard')).toEqual([]);
    expect(await store.put('guard', 'cooldown', true, 0)).toBe(1);
  });

  it('lists the live documents of one namespace only, by name', async () => {
    const { store } = setup();
    await store.put('view', 'b', 2, 0);
    await store.put('view', 'a', 1, 0);
    await store.put('views', 'z', 3, 0);
    expect((await store.list('view')).map((d) => [d.name, d.value])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('lists one frozen value per stored write: the same while the item is unchanged, a new one after any write', async () => {
    const { store } = setup();
    await store.put('view', 'eu-west-1', { health: { 'web-1': 'HEALTHY' } }, 0);
    const [first] = await store.list('view');
    const [again] = await store.list('view');
    await store.put('view', 'eu-west-1', { health: { 'web-1': 'HEALTHY' } }, 1);
    const [rewritten] = await store.list('view');
    expect(again?.value).toBe(first?.value);
    expect(() => {
      (first!.value as { health: Record<string, string> }).health['web-1'] = 'UNHEALTHY';
    }).toThrow(TypeError);
    expect(rewritten?.value).not.toBe(first?.value);
    expect(rewritten).toEqual({
      namespace: 'view',
      name: 'eu-west-1',
      value: { health: { 'web-1': 'HEALTHY' } },
      version: 2,
    });
  });

  it('gives a lease to one owner until it expires or is released', async () => {
    const { store, advance } = setup();
    expect(await store.acquireLease('cycle', 'run-1', 30_000)).toBe(true);
    expect(await store.acquireLease('cycle', 'run-2', 30_000)).toBe(false);
    expect(await store.acquireLease('cycle', 'run-1', 30_000)).toBe(true);
    advance(30_001);
    expect(await store.acquireLease('cycle', 'run-2', 30_000)).toBe(true);
    await store.releaseLease('cycle', 'run-1');
    expect(await store.acquireLease('cycle', 'run-1', 30_000)).toBe(false);
    await store.releaseLease('cycle', 'run-2');
    expect(await store.acquireLease('cycle', 'run-1', 30_000)).toBe(true);
  });

  it('lists audit entries at or after a time, oldest first, dropping those past retention', async () => {
    const { store, advance, now } = setup();
    await store.appendAudit(entry('2', '2025-01-01T00:00:02.000Z'));
    await store.appendAudit(entry('1', '2025-01-01T00:00:01.000Z'));
    await store.appendAudit(entry('0', '2024-12-31T00:00:00.000Z'));
    expect((await store.listAudit('2025-01-01T00:00:01.000Z')).map((e) => e.id)).toEqual(['1', '2']);
    expect((await store.listAudit()).map((e) => e.id)).toEqual(['0', '1', '2']);
    advance(AUDIT_RETENTION_MS - 1000);
    expect(now().toISOString() > '2025-01-30').toBe(true);
    expect((await store.listAudit()).map((e) => e.id)).toEqual(['1', '2']);
  });

  it('shares its data with the stores of other regions and fails only in a dark one', async () => {
    const { store, faults } = setup();
    const dublin = store.forRegion('eu-west-1');
    const frankfurt = store.forRegion('eu-central-1');
    await dublin.put('view', 'eu-west-1', 'dub', 0);
    faults.setRegionDark('eu-west-1');
    expect((await frankfurt.get('view', 'eu-west-1'))?.value).toBe('dub');
    await expect(dublin.get('view', 'eu-west-1')).rejects.toBeInstanceOf(CloudCallError);
  });
});

describe('MemoryStateStore over a global table (replicated mode)', () => {
  function replicated() {
    let time = Date.parse('2025-01-01T00:00:00Z');
    const now = () => new Date(time);
    const table = new MemoryGlobalTable({ regions: ['eu-west-1', 'eu-central-1'], replicationDelayMs: 1_000, now });
    const faults = new FaultInjector();
    const dublin = new MemoryStateStore({ now, faults, table, region: 'eu-west-1' });
    return {
      table,
      faults,
      dublin,
      frankfurt: dublin.forRegion('eu-central-1'),
      advance: (ms: number) => (time += ms),
    };
  }

  it('shows a write in its own replica at once and in the other after the replication delay', async () => {
    const { dublin, frankfurt, advance, table } = replicated();
    await dublin.put('guard', 'state', 'dub', 0);
    expect(await frankfurt.get('guard', 'state')).toBeUndefined();
    expect(table.pending).toBe(1);
    advance(1_000);
    expect((await frankfurt.get('guard', 'state'))?.value).toBe('dub');
    expect(table.pending).toBe(0);
  });

  it('evaluates a condition on the local replica only, so both regions win, and the later write wins everywhere', async () => {
    const { dublin, frankfurt, advance } = replicated();
    expect(await dublin.put('runbook', 'rb-1', 'dublin', 0)).toBe(1);
    advance(10);
    expect(await frankfurt.put('runbook', 'rb-1', 'frankfurt', 0)).toBe(1);
    advance(1_000);
    expect([(await dublin.get('runbook', 'rb-1'))?.value, (await frankfurt.get('runbook', 'rb-1'))?.value]).toEqual([
      'frankfurt',
      'frankfurt',
    ]);
  });

  it('replicates a lease and its release like any write', async () => {
    const { dublin, frankfurt, advance } = replicated();
    await dublin.acquireLease('actor', 'dub', 60_000);
    advance(1_000);
    expect(await frankfurt.acquireLease('actor', 'fra', 60_000)).toBe(false);
    await dublin.releaseLease('actor', 'dub');
    advance(1_000);
    expect(await frankfurt.acquireLease('actor', 'fra', 60_000)).toBe(true);
  });

  it('delivers every write in flight on settle, and audit entries once', async () => {
    const { dublin, frankfurt, table } = replicated();
    await dublin.appendAudit(entry('a', '2025-01-01T00:00:00.000Z'));
    table.settle();
    table.settle();
    expect((await frankfurt.listAudit()).map((e) => e.id)).toEqual(['a']);
  });

  it('names the replicas when asked for a region it has none in', () => {
    const { table } = replicated();
    expect(() => table.replica('us-east-1')).toThrow(
      'the state table has no replica in us-east-1; replicas: eu-west-1, eu-central-1',
    );
  });
});
