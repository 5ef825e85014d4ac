// Every stored document is checked before it is acted on: a damaged, newer or foreign one is
// rejected, reported (a critical state.document-rejected notice naming the key and the problem) and
// never acted on; one written before documents carried a schema version is read correctly.
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store';
import {
  readGuardState,
  readAllViews,
  readView,
  StateDocumentRejectedError,
  updateGuardState,
  listRunbooks,
} from '../../../lambdas/engine';
import { claimDatabase } from '../../../lambdas/engine/state/database-claim';
import { getRunbook, newRunbook } from '../../../lambdas/engine/state/runbook';
import type { DatabaseRunbook } from '../../../lambdas/engine/state/runbook-kinds';
import { takeRejections } from '../../../lambdas/engine/state/stored-documents';
import type { StateStorePort } from '../../../lambdas/ports/state-store.port';
import { RegionHarness } from '../region/region-harness';
import { harness, webTopology } from '../../scenarios/engine-harness';
import { countPromotions, twoReplicaDb, WRITER } from '../../scenarios/database-fixtures';
import { PRIMARY, STANDBY, T0, regionTopology } from '../region/fixtures';

const newStore = () => new MemoryStateStore({ now: () => T0 });

/** Overwrites a stored document with `value`, whatever is there. */
async function overwrite(store: StateStorePort, namespace: string, name: string, value: unknown): Promise<void> {
  const current = await store.get(namespace, name);
  await store.put(namespace, name, value, current?.version ?? 0);
}

const view = (checker: string, extra: Record<string, unknown> = {}) => ({
  checker,
  at: T0.toISOString(),
  health: {
    'web-a': {
      targetId: 'web-a',
      status: 'UNHEALTHY',
      consecutiveFailures: 3,
      consecutiveSuccesses: 0,
      since: T0.toISOString(),
      recent: [{ at: T0.toISOString(), error: 'ETIMEDOUT' }],
    },
  },
  ...extra,
});

describe('stored documents', () => {
  it('reads a guard state written before schema versions: defaults filled, a bare-string notice dropped, the pulled target kept', async () => {
    // Prepare
    const store = newStore();
    const pulled = { recordId: 'www', endpoint: 'web-a', at: T0.toISOString(), planId: 'p1', values: ['10.0.0.1'] };
    await overwrite(store, 'guard', 'state', {
      pulledTargets: { 'www|web-a': pulled },
      notices: { 'alert:x': '2025-03-01T11:00:00.000Z', 'alert:y': { publishedAt: T0.toISOString(), raisedBy: ['a'] } },
    });
    // Act
    const { state, version } = await readGuardState(store);
    // Assess
    expect(version).toBe(1);
    expect(state.pulledTargets).toEqual({ 'www|web-a': pulled });
    expect(state.notices).toEqual({ 'alert:y': { publishedAt: T0.toISOString(), raisedBy: ['a'] } });
    expect(state.paused).toBe(false);
    expect(takeRejections(store)).toEqual([]);
  });

  it('writes the schema version with every guard state, and reads it back', async () => {
    // Prepare
    const store = newStore();
    // Act
    await updateGuardState(store, (s) => ({ ...s, paused: true }));
    // Assess
    expect((await store.get('guard', 'state'))?.value).toMatchObject({ schemaVersion: 1 });
    expect((await readGuardState(store)).state.paused).toBe(true);
  });

  it('rejects a damaged guard state and writes nothing over it: what was pulled cannot be guessed', async () => {
    // Prepare
    const store = newStore();
    await overwrite(store, 'guard', 'state', { schemaVersion: 1, pulledTargets: 'lost', paused: 'no' });
    // Act
    const read = readGuardState(store);
    const update = updateGuardState(store, (s) => ({ ...s, paused: true }));
    // Assess
    await expect(read).rejects.toThrow(StateDocumentRejectedError);
    await expect(update).rejects.toThrow(
      /state document guard\/state was rejected and is not acted on: .*pulledTargets/,
    );
    expect((await store.get('guard', 'state'))?.value).toMatchObject({ pulledTargets: 'lost' });
  });

  it('rejects a document of a newer guard, saying to deploy one version everywhere', async () => {
    // Prepare
    const store = newStore();
    await overwrite(store, 'view', STANDBY, { ...view(STANDBY), schemaVersion: 2 });
    // Act
    const views = await readAllViews(store);
    // Assess
    expect(views).toEqual([]);
    expect(takeRejections(store)).toEqual([
      {
        key: `view/${STANDBY}`,
        issue: expect.stringContaining('written by a newer guard (schemaVersion 2; this one reads up to 1)'),
      },
    ]);
  });

  it('reads an unversioned view as it is, and leaves a damaged one out as missing', async () => {
    // Prepare
    const store = newStore();
    await overwrite(store, 'view', PRIMARY, view(PRIMARY));
    await overwrite(store, 'view', STANDBY, view(STANDBY, { health: { 'web-a': { status: 'BROKEN' } } }));
    // Act
    const views = await readAllViews(store);
    // Assess
    expect(views).toEqual([view(PRIMARY)]);
    const [rejection] = takeRejections(store);
    expect(rejection?.key).toBe(`view/${STANDBY}`);
    expect(rejection?.issue).toContain('health.web-a.status');
  });

  it("starts a checker's own damaged view afresh at its stored version, so its next write wins", async () => {
    // Prepare
    const store = newStore();
    await overwrite(store, 'view', STANDBY, 'not a view');
    // Act
    const own = await readView(store, STANDBY);
    // Assess
    expect(own).toMatchObject({ version: 1, value: { checker: STANDBY, health: {} } });
    expect(takeRejections(store)).toEqual([{ key: `view/${STANDBY}`, issue: 'not a JSON object (string)' }]);
  });

  it('rejects a foreign runbook (a kind this guard does not run) and a damaged claim: the database is not claimed', async () => {
    // Prepare
    const store = newStore();
    await overwrite(store, 'runbook', 'mystery-1', { id: 'mystery-1', kind: 'mystery', status: 'running' });
    await overwrite(store, 'claim', 'orders', { runbookId: 42 });
    // Act
    const runbooks = await listRunbooks(store);
    const claim = claimDatabase(store, 'orders', 'failover-eu-west-1-1', T0.toISOString());
    // Assess
    expect(runbooks).toEqual([]);
    await expect(claim).rejects.toThrow('state document claim/orders was rejected and is not acted on: runbookId');
    expect(takeRejections(store).map((r) => r.key)).toEqual(['runbook/mystery-1', 'claim/orders']);
  });
});

describe('a runbook whose data its kind refuses', () => {
  const databaseRunbook: DatabaseRunbook = newRunbook({
    id: 'database-failover-orders-1',
    kind: 'database-failover',
    resource: 'orders',
    region: PRIMARY,
    planId: 'p1',
    at: T0.toISOString(),
    steps: ['promote', 'repoint-writer'],
    data: {
      databaseId: 'orders',
      oldPrimary: 'orders-primary',
      candidate: 'orders-replica-fra',
      method: 'promote-read-replica',
      allowDataLoss: false,
      rejected: [],
    },
  });

  it('is rejected when it claims a kind whose data it does not carry: a database runbook relabelled region-failover is never read as a region runbook', async () => {
    // Prepare
    const store = newStore();
    await overwrite(store, 'runbook', databaseRunbook.id, { ...databaseRunbook, kind: 'region-failover' });
    // Act
    const listed = await listRunbooks(store);
    const read = getRunbook(store, databaseRunbook.id);
    // Assess
    expect(listed).toEqual([]);
    await expect(read).rejects.toThrow(StateDocumentRejectedError);
    await expect(read).rejects.toThrow(
      new RegExp(`state document runbook/${databaseRunbook.id} was rejected and is not acted on: .*data\\.fromRegion`),
    );
    expect(takeRejections(store).map((r) => r.key)).toEqual([`runbook/${databaseRunbook.id}`]);
  });

  it('is rejected when a field of its data is not one its kind knows (a promotion method this guard does not run)', async () => {
    // Prepare
    const store = newStore();
    const damaged = { ...databaseRunbook, data: { ...databaseRunbook.data, method: 'teleport' } };
    await overwrite(store, 'runbook', databaseRunbook.id, damaged);
    // Act
    const read = getRunbook(store, databaseRunbook.id);
    // Assess
    await expect(read).rejects.toThrow(
      `state document runbook/${databaseRunbook.id} was rejected and is not acted on: data.method`,
    );
    expect(await listRunbooks(store)).toEqual([]);
  });

  it('never make it worse: a database runbook with damaged data is reported as a critical state.document-rejected notice, and the writer is neither promoted again nor moved', async () => {
    // Prepare: the primary failed and orders-r1's promotion is under way
    const h = harness(webTopology({ databases: [twoReplicaDb()] }));
    const promoteCalls = countPromotions(h);
    h.probe.fail('orders-primary');
    h.cloud.failInstance('orders-primary', 'failed');
    await h.cycles(3);
    const [started] = await listRunbooks(h.cloud.store);
    const stored = await getRunbook(h.cloud.store, started!.value.id);
    const callsBefore = promoteCalls();
    const writerBefore = h.cloud.resolve(WRITER, 'CNAME');
    // Act: its data is damaged, then the promotion completes
    const damaged = { ...stored!.value, data: { ...stored!.value.data, method: 'teleport' } };
    await h.cloud.store.put('runbook', stored!.name, damaged, stored!.version);
    h.cloud.advance(60_000);
    await h.cycles(4);
    // Assess
    const rejected = h.notifications('state.document-rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ severity: 'critical', resource: `state document runbook/${stored!.name}` });
    expect(rejected[0]?.reason).toContain('data.method');
    expect(promoteCalls()).toBe(callsBefore);
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(writerBefore);
    expect(h.notifications('database.repoint-writer')).toEqual([]);
  });
});

describe('a damaged region runbook', () => {
  it('is reported once for every checker as a critical state.document-rejected notice, and none of its steps runs', async () => {
    // Prepare: the failover has started promoting orders-replica-fra
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(20, async () => (await h.runbooks()).some((r) => r.data.promotions['orders'] !== undefined));
    const [runbook] = await h.runbooks();
    const id = runbook!.id;
    const stored = await getRunbook(h.cloud.store, id);
    const promoteCalls = h.promoteCalls.mock.calls.length;
    const dnsBefore = h.resolve('www.shop.example.com');
    // Act: its steps are damaged (a write by something else, or a bug)
    await h.cloud.store.put('runbook', id, { ...stored!.value, steps: 'garbled' }, stored!.version);
    await h.rounds(6);
    // Assess
    const rejected = h.notifications('state.document-rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ severity: 'critical', resource: `state document runbook/${id}` });
    expect(rejected[0]?.reason).toContain(`state document runbook/${id} was rejected and is not acted on: steps:`);
    expect(h.notifications('region.runbook.move-dns')).toEqual([]);
    expect(h.resolve('www.shop.example.com')).toEqual(dnsBefore);
    expect(h.promoteCalls.mock.calls.length).toBe(promoteCalls);
  });
});
