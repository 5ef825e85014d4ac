import { describe, expect, it } from 'vitest';
import type { RegionAssessment } from '../../../lambdas/engine/region/region-evidence';
import { advanceWatch, heartbeatEvents, heartbeats } from '../../../lambdas/engine/region/region-watch';
import { PRIMARY, STANDBY, T0, WITNESS, regionTopology, viewOf } from './fixtures';

const assessment = (region: string, dark: boolean, healthy: boolean): RegionAssessment => ({
  region,
  dark,
  healthy,
  judges: [],
  blindCheckers: [],
  staleHeartbeats: [],
  endpoints: [],
  reason: '',
});
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('advanceWatch', () => {
  it('counts consecutive dark cycles and starts again at zero when the region is seen again', () => {
    // Act
    const one = advanceWatch(undefined, STANDBY, [assessment(PRIMARY, true, false)], at(0));
    const two = advanceWatch(one, STANDBY, [assessment(PRIMARY, true, false)], at(10));
    const back = advanceWatch(two, STANDBY, [assessment(PRIMARY, false, false)], at(20));
    // Assess
    expect([one.darkCycles[PRIMARY], two.darkCycles[PRIMARY], back.darkCycles[PRIMARY]]).toEqual([1, 2, 0]);
  });

  it('keeps the time a region became healthy while it stays healthy, and forgets it when it is not', () => {
    // Act
    const first = advanceWatch(undefined, STANDBY, [assessment(PRIMARY, false, true)], at(0));
    const later = advanceWatch(first, STANDBY, [assessment(PRIMARY, false, true)], at(60));
    const broken = advanceWatch(later, STANDBY, [assessment(PRIMARY, false, false)], at(70));
    // Assess
    expect(later.healthySince[PRIMARY]).toBe(at(0).toISOString());
    expect(broken.healthySince[PRIMARY]).toBeUndefined();
  });
});

describe('heartbeatEvents', () => {
  const topology = regionTopology();
  const guard = [PRIMARY, STANDBY, WITNESS];

  it('announces a missing heartbeat once per outage and its return once', () => {
    // Prepare
    const fresh = [viewOf(topology, PRIMARY, at(0)), viewOf(topology, STANDBY, at(0)), viewOf(topology, WITNESS, at(0))];
    const primaryStopped = [viewOf(topology, PRIMARY, at(0)), viewOf(topology, STANDBY, at(40)), viewOf(topology, WITNESS, at(40))];
    const primaryBack = [viewOf(topology, PRIMARY, at(60)), viewOf(topology, STANDBY, at(60)), viewOf(topology, WITNESS, at(60))];
    // Act
    const start = heartbeatEvents(undefined, heartbeats(guard, fresh, at(0), 30), at(0), 30);
    const missing = heartbeatEvents(start.alarms, heartbeats(guard, primaryStopped, at(40), 30), at(40), 30);
    const stillMissing = heartbeatEvents(missing.alarms, heartbeats(guard, primaryStopped, at(50), 30), at(50), 30);
    const restored = heartbeatEvents(stillMissing.alarms, heartbeats(guard, primaryBack, at(60), 30), at(60), 30);
    // Assess
    expect(start.events).toEqual([]);
    expect(missing.events).toEqual([{ checker: PRIMARY, kind: 'missing', lastSeen: at(0).toISOString(), ageSeconds: 40 }]);
    expect(stillMissing.events).toEqual([]);
    expect(restored.events).toEqual([{ checker: PRIMARY, kind: 'restored', lastSeen: at(60).toISOString() }]);
    expect(restored.alarms.missing).toEqual({});
  });

  it('gives a checker never seen one stale period to start before calling it missing', () => {
    // Prepare
    const twoOfThree = (t: Date) => [viewOf(topology, PRIMARY, t), viewOf(topology, STANDBY, t)];
    // Act
    const start = heartbeatEvents(undefined, heartbeats(guard, twoOfThree(at(0)), at(0), 30), at(0), 30);
    const later = heartbeatEvents(start.alarms, heartbeats(guard, twoOfThree(at(30)), at(30), 30), at(30), 30);
    // Assess
    expect(start.events).toEqual([]);
    expect(later.events).toEqual([{ checker: WITNESS, kind: 'missing' }]);
  });
});
