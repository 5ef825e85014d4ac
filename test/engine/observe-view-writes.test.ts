// The checker view is written when it changes; while steady, only its small heartbeat item is
// rewritten to refresh the heartbeat. The process keeps the view and heartbeat it wrote, so a
// looping checker does not read them back.
import { describe, expect, it, vi } from 'vitest';
import { observe, readAllViews, readView, VIEW_NAMESPACE } from '../../lambdas/engine';
import { heartbeatName, readHeartbeat } from '../../lambdas/engine/state/views';
import { CYCLE_MS, harness, START, webTopology, type Harness } from '../scenarios/engine-harness';

function countViewCalls(h: Harness) {
  const store = h.cloud.store;
  const put = vi.spyOn(store, 'put');
  const get = vi.spyOn(store, 'get');
  const inViews = (calls: [string, string, ...unknown[]][], heartbeat: boolean) =>
    calls.filter(([namespace, name]) => namespace === VIEW_NAMESPACE && name.endsWith('#heartbeat') === heartbeat)
      .length;
  return {
    writes: () => inViews(put.mock.calls, false),
    heartbeats: () => inViews(put.mock.calls, true),
    reads: () => inViews(get.mock.calls, false) + inViews(get.mock.calls, true),
  };
}

async function observeCycles(h: Harness, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await observe(h.context());
    h.cloud.advance(CYCLE_MS);
  }
}

describe('observe: when the checker view is written', () => {
  it('never rewrites a steady view: only its heartbeat item, every 60 s, reading both once', async () => {
    // Prepare: heartbeatStaleSeconds 120 → refresh every min(60, 120 / 2) s
    const h = harness(webTopology());
    const calls = countViewCalls(h);
    // Act: 13 cycles, 10 s apart (0 … 120 s); the view changes in the first two (new, then recovered)
    await observeCycles(h, 13);
    // Assess: a heartbeat item goes with each view write, then one alone 60 s after the last (at 70 s)
    expect(calls.writes()).toBe(2);
    expect(calls.heartbeats()).toBe(3);
    expect(calls.reads()).toBe(2);
    const [view] = await readAllViews(h.cloud.store);
    expect(view?.at).toBe(new Date(START.getTime() + 7 * CYCLE_MS).toISOString());
  });

  it('keeps the heartbeat item small: one write unit, whatever the view holds', async () => {
    // Prepare
    const h = harness(webTopology());
    // Act
    await observeCycles(h, 8);
    // Assess
    const stored = await h.cloud.store.get(VIEW_NAMESPACE, heartbeatName('eu-west-1'));
    expect(JSON.stringify(stored?.value).length).toBeLessThan(200);
  });

  it('keeps the view’s time honest: the heartbeat time of the last write, not of the last probe', async () => {
    // Prepare: the view last changed in the second cycle (two successes reach recoveryThreshold)
    const h = harness(webTopology());
    await observeCycles(h, 3);
    const lastWrite = new Date(START.getTime() + CYCLE_MS).toISOString();
    // Act
    const result = await observe(h.context());
    // Assess
    expect(result.view.at).toBe(lastWrite);
    expect((await readView(h.cloud.store, 'eu-west-1'))?.value.at).toBe(lastWrite);
  });

  it('writes a changed view at once', async () => {
    // Prepare
    const h = harness(webTopology());
    await observeCycles(h, 2);
    const calls = countViewCalls(h);
    h.probe.fail('web-b');
    // Act
    await observeCycles(h, 3);
    // Assess
    expect(calls.writes()).toBe(3);
    expect(calls.heartbeats()).toBe(3);
    expect((await readView(h.cloud.store, 'eu-west-1'))?.value.health['web-b']).toMatchObject({
      status: 'UNHEALTHY',
      consecutiveFailures: 3,
      recent: [{ error: 'ETIMEDOUT' }],
    });
  });

  it('stores nothing but status, counters and time for a healthy target', async () => {
    // Prepare
    const h = harness(webTopology());
    // Act
    await observeCycles(h, 5);
    // Assess
    const stored = await readView(h.cloud.store, 'eu-west-1');
    expect(stored?.value.health['web-a']).toEqual({
      targetId: 'web-a',
      status: 'HEALTHY',
      consecutiveFailures: 0,
      consecutiveSuccesses: 2,
      since: START.toISOString(),
      recent: [],
    });
  });

  it('re-reads and folds into the newer view when another invocation of the checker wrote since', async () => {
    // Prepare: this process holds version 1; an overlapping invocation (another process) writes version 2
    const h = harness(webTopology());
    await observeCycles(h, 1);
    const other = h.cloud.store.forRegion('eu-west-1');
    await observe(h.context({ ports: { ...h.cloud.ports(), store: other } }));
    h.probe.fail('web-c');
    // Act
    const result = await observe(h.context());
    // Assess
    const stored = await readView(h.cloud.store, 'eu-west-1');
    expect(stored?.version).toBe(3);
    expect(stored?.value.health['web-c']?.status).toBe('SUSPECT');
    expect(result.view).toEqual(stored?.value);
  });

  it('never vouches for a view another invocation replaced: its heartbeat loses the compare-and-swap and it re-reads', async () => {
    // Prepare: this process holds the steady view (version 2); an overlapping invocation then writes version 3
    const h = harness(webTopology());
    await observeCycles(h, 2);
    const other = h.cloud.store.forRegion('eu-west-1');
    h.probe.fail('web-c');
    await observe(h.context({ ports: { ...h.cloud.ports(), store: other } }));
    h.probe.recover('web-c');
    h.cloud.advance(60_000);
    // Act: this process's view is steady by what it holds, and its heartbeat is due
    await observe(h.context());
    // Assess: it folded into the newer view (web-c's successes counted afresh after its failure), and the
    // heartbeat item vouches for the view as stored
    const stored = await readView(h.cloud.store, 'eu-west-1');
    const beat = await readHeartbeat(h.cloud.store, 'eu-west-1');
    expect(stored?.version).toBe(4);
    expect(stored?.value.health['web-c']).toMatchObject({ status: 'HEALTHY', consecutiveSuccesses: 1 });
    expect(beat.value?.vouchesFor).toEqual({ at: stored?.value.at, version: 4 });
  });
});
