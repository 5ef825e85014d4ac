// A view's heartbeat time as every reader takes it (readAllViews, and through it the merged shard
// views, quorum's live checkers, the status and the drill): the heartbeat item's time only when it
// vouches for exactly the view write read, else the view's own `at`. The state table is a global
// table: a replica receives the heartbeat item and the view write it vouches for independently.
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../lambdas/adapters/memory';
import { liveCheckers } from '../../../lambdas/domain/health/quorum';
import { observe, readAllViews, readCheckerViews, type GuardContext } from '../../../lambdas/engine';
import { takeRejections } from '../../../lambdas/engine/state/stored-documents';
import {
  heartbeatName,
  readHeartbeat,
  saveHeartbeat,
  saveView,
  VIEW_NAMESPACE,
} from '../../../lambdas/engine/state/views';
import { CYCLE_MS, harness, START, webTopology, type Harness } from '../../scenarios/engine-harness';

const STALE_SECONDS = 120;
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000).toISOString();

/** Dublin's checker writes to the home replica (Dublin); Frankfurt's replica receives its writes after the delay. */
function replicated(): { h: Harness; frankfurt: MemoryStateStore; setDelay: (ms: number) => void } {
  const h = harness(
    webTopology(),
    {},
    {
      regions: ['eu-west-1', 'eu-central-1'],
      replicationDelayMs: 1_000,
      routing: 'local-replica',
    },
  );
  const table = h.cloud.stateTable!;
  return {
    h,
    frankfurt: new MemoryStateStore({ now: h.cloud.now, table, region: 'eu-central-1' }),
    setDelay: (ms) => table.setReplicationDelay(ms),
  };
}

/** Dublin's view as `store` reads it. */
async function dublinView(store: MemoryStateStore) {
  return (await readAllViews(store)).find((v) => v.checker === 'eu-west-1');
}

/** Dublin's view written at 10 s (version 2: new at 0 s, recovered at 10 s) and steady from then on. */
async function steadyFrom10(h: Harness): Promise<void> {
  await observe(h.context());
  h.cloud.advance(CYCLE_MS);
  await observe(h.context());
}

/** Writes Dublin's heartbeat item, over whatever version is stored, as observe does. */
async function beat(store: MemoryStateStore, seconds: number, vouchesFor: { at: string; version: number }) {
  const { version } = await readHeartbeat(store, 'eu-west-1');
  await saveHeartbeat(store, { view: 'eu-west-1', at: at(seconds), vouchesFor }, version);
}

describe('a view’s heartbeat time', () => {
  it('is its heartbeat item’s while that item vouches for exactly the view read', async () => {
    // Prepare: steady from 10 s, so at 70 s only the heartbeat item is rewritten
    const { h, frankfurt } = replicated();
    await steadyFrom10(h);
    h.cloud.advance(60_000);
    await observe(h.context());
    h.cloud.stateTable!.settle();
    // Act
    const views = await Promise.all([dublinView(h.cloud.store), dublinView(frankfurt)]);
    // Assess
    expect(views.map((v) => v?.at)).toEqual([at(70), at(70)]);
  });

  it('an old view never looks fresh when its heartbeat replicated first', async () => {
    // Prepare: the change at 200 s (version 3) is slow to reach Frankfurt; the heartbeat at 260 s vouching for it is not
    const { h, frankfurt, setDelay } = replicated();
    await steadyFrom10(h);
    h.cloud.advance(190_000);
    h.probe.fail('web-b');
    setDelay(600_000);
    await observe(h.context());
    setDelay(1_000);
    h.cloud.advance(60_000);
    await beat(h.cloud.store, 260, { at: at(200), version: 3 });
    h.cloud.advance(1_000);
    // Act
    const view = await dublinView(frankfurt);
    // Assess: Frankfurt holds the view of 10 s (web-b healthy) and judges it by its own time: stale, no vote
    expect(view?.health['web-b']?.status).toBe('HEALTHY');
    expect(view?.at).toBe(at(10));
    expect(liveCheckers(view ? [view] : [], h.cloud.now(), STALE_SECONDS)).toEqual([]);
  });

  it('is the newer view’s own time when the heartbeat item held vouches for an older one', async () => {
    // Prepare: a heartbeat at 70 s vouching for the view of 10 s, then a view written at 200 s; Frankfurt
    // receives that view write but not the heartbeat item that went with it
    const { h, frankfurt, setDelay } = replicated();
    await steadyFrom10(h);
    h.cloud.advance(60_000);
    await observe(h.context());
    h.cloud.advance(130_000);
    const store = h.cloud.store;
    setDelay(600_000);
    await beat(store, 200, { at: at(200), version: 3 });
    setDelay(1_000);
    await saveView(store, { ...(await dublinView(store))!, at: at(200) }, 2);
    h.cloud.advance(1_000);
    // Act
    const read = await dublinView(frankfurt);
    // Assess
    expect(read?.at).toBe(at(200));
  });

  it('is the view’s own time when its heartbeat item is damaged or foreign; a damaged one is noted', async () => {
    // Prepare: the view written at 10 s; at 70 s a damaged heartbeat item, or one of another view
    const h = harness(webTopology());
    await steadyFrom10(h);
    h.cloud.advance(60_000);
    const store = h.cloud.store;
    const vouchesFor = { at: at(10), version: 2 };
    const name = heartbeatName('eu-west-1');
    await store.put(VIEW_NAMESPACE, name, { view: 'eu-west-1', at: 70, vouchesFor }, 2);
    takeRejections(store);
    // Act
    const damaged = await dublinView(store);
    const rejections = takeRejections(store);
    await store.put(VIEW_NAMESPACE, name, { view: 'eu-central-1', at: at(70), vouchesFor }, 3);
    const foreign = await dublinView(store);
    // Assess
    expect(damaged?.at).toBe(at(10));
    expect(rejections.map((r) => r.key)).toEqual(['view/eu-west-1#heartbeat']);
    expect(foreign?.at).toBe(at(10));
  });
});

describe('a sharded region’s heartbeats', () => {
  it('a steady shard stays live on its heartbeat item alone, and a dead shard’s targets are still marked stale', async () => {
    // Prepare: two shards, steady from 10 s; shard 1 dies after its write at 10 s, shard 0 goes on
    const h = harness(webTopology({ guard: { cooldownSeconds: 0, shards: 2 } }));
    const shard = (index: number): Partial<GuardContext> => ({ shard: { index, count: 2 } });
    for (const index of [0, 1]) await observe(h.context(shard(index)));
    h.cloud.advance(CYCLE_MS);
    for (const index of [0, 1]) await observe(h.context(shard(index)));
    for (let cycle = 0; cycle < 14; cycle += 1) {
      h.cloud.advance(CYCLE_MS);
      await observe(h.context(shard(0)));
    }
    // Act: at 150 s, both views last written at 10 s
    const [region] = await readCheckerViews(h.cloud.store, h.topology, h.cloud.now());
    // Assess
    const staleTargets = Object.values(region?.health ?? {}).filter((t) => t.stale);
    expect(region?.at).toBe(at(130));
    expect(region?.staleShards?.map((s) => s.index)).toEqual([1]);
    expect(staleTargets.length).toBe(region?.staleShards?.[0]?.targets);
    expect(staleTargets.length).toBeGreaterThan(0);
    expect(Object.values(region?.health ?? {}).some((t) => !t.stale)).toBe(true);
  });
});
