// The checker view is written when it changes and, while steady, only to refresh the heartbeat;
// the process keeps the view it wrote, so a looping checker does not read its own view back.
import { describe, expect, it, vi } from 'vitest';
import { observe, readView, VIEW_NAMESPACE } from '../../lambdas/engine';
import { CYCLE_MS, harness, START, webTopology, type Harness } from '../scenarios/engine-harness';

function countViewCalls(h: Harness) {
  const store = h.cloud.store;
  const put = vi.spyOn(store, 'put');
  const get = vi.spyOn(store, 'get');
  return {
    writes: () => put.mock.calls.filter(([namespace]) => namespace === VIEW_NAMESPACE).length,
    reads: () => get.mock.calls.filter(([namespace]) => namespace === VIEW_NAMESPACE).length,
  };
}

async function observeCycles(h: Harness, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await observe(h.context());
    h.cloud.advance(CYCLE_MS);
  }
}

describe('observe: when the checker view is written', () => {
  it('writes a steady all-healthy view only when the heartbeat needs refreshing (every 60 s), reading it once', async () => {
    // Prepare: heartbeatStaleSeconds 120 → refresh every min(60, 120 / 2) s
    const h = harness(webTopology());
    const calls = countViewCalls(h);
    // Act: 13 cycles, 10 s apart (0 … 120 s)
    await observeCycles(h, 13);
    // Assess
    expect(calls.writes()).toBe(3);
    expect(calls.reads()).toBe(1);
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
});
