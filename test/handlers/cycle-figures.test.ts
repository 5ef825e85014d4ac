import { describe, expect, it } from 'vitest';
import { HealthStatus, type CheckerView, type TargetHealth } from '../../lambdas/domain/health/types';
import type { Observation } from '../../lambdas/domain/observation';
import { probeTargets } from '../../lambdas/domain/config/targets';
import { assessRegion } from '../../lambdas/engine/region';
import { regionHealthySettleSeconds } from '../../lambdas/contracts/region-health-signal';
import { cycleFigures } from '../../lambdas/handlers/cycle-figures';
import { exampleTopology } from '../fixtures/guard-topologies';

const at = '2025-01-01T00:00:00.000Z';

function view(checker: string, statuses: Record<string, HealthStatus>): CheckerView {
  const health: Record<string, TargetHealth> = {};
  for (const [targetId, status] of Object.entries(statuses)) {
    health[targetId] = { targetId, status, consecutiveFailures: 0, consecutiveSuccesses: 0, since: at, recent: [] };
  }
  return { checker, at, health };
}

const fraEndpoints = ['web-fra-a', 'web-fra-b', 'nlb-fra-1', 'nlb-fra-2', 'orders-fra-replica'];

describe('cycleFigures', () => {
  const topology = exampleTopology();

  it('counts failed probes and UNHEALTHY targets, not SUSPECT ones', () => {
    const observations: Observation[] = [
      { targetId: 'web-dub-a', kind: 'http', ok: false, latencyMs: 1, at, error: 'ETIMEDOUT' },
      { targetId: 'web-dub-b', kind: 'http', ok: true, latencyMs: 1, at },
    ];
    const own = view('eu-west-1', { 'web-dub-a': 'UNHEALTHY', 'web-dub-b': 'SUSPECT' });
    const figures = cycleFigures(topology, own, observations, own, new Date(at));
    expect(figures).toMatchObject({ probeFailures: 1, unhealthyTargets: 1, unhealthyIds: ['web-dub-a'] });
  });

  it('judges the other region dark only when every probed endpoint there is UNHEALTHY', () => {
    const allDown = Object.fromEntries(fraEndpoints.map((id) => [id, HealthStatus.UNHEALTHY]));
    expect(
      cycleFigures(topology, view('eu-west-1', allDown), [], view('eu-west-1', allDown), new Date(at)).regionHealthy,
    ).toEqual({
      'eu-central-1': 0,
    });
    const oneRecovering = { ...allDown, 'nlb-fra-2': HealthStatus.RECOVERING };
    expect(
      cycleFigures(topology, view('eu-west-1', oneRecovering), [], view('eu-west-1', oneRecovering), new Date(at))
        .regionHealthy,
    ).toEqual({ 'eu-central-1': 1 });
  });

  it('publishes no RegionHealthy while the checker is blind (nothing healthy anywhere, its own region included), as the runbook refuses its vote', () => {
    // Prepare: eu-west-1's checker is cut off: every endpoint, its own region's too, looks UNHEALTHY
    const everything = Object.fromEntries(probeTargets(topology).map((t) => [t.id, HealthStatus.UNHEALTHY]));
    const blind = view('eu-west-1', everything);
    // Act
    const figures = cycleFigures(topology, blind, [], blind, new Date(at));
    const assessment = assessRegion(topology, 'eu-central-1', [blind], new Date(at), ['eu-west-1', 'eu-central-1']);
    // Assess: the metric and the runbook judge the same way, through the same function
    expect(figures.regionHealthy).toEqual({});
    expect(figures.unhealthyTargets).toBe(probeTargets(topology).length);
    expect(assessment).toMatchObject({ dark: false, blindCheckers: ['eu-west-1'], judges: [] });
  });

  it('publishes no RegionHealthy for a settled region (every endpoint HEALTHY and unchanged for the settle time), and publishes it while any endpoint is not HEALTHY, stale or changed within it', () => {
    // Prepare: every endpoint HEALTHY since `at`
    const allHealthy = Object.fromEntries(probeTargets(topology).map((t) => [t.id, HealthStatus.HEALTHY]));
    const steady = view('eu-west-1', allHealthy);
    const settleMs = regionHealthySettleSeconds(topology) * 1000;
    const later = (ms: number) => new Date(Date.parse(at) + ms);
    const judged = (v: CheckerView, now: Date) => cycleFigures(topology, v, [], v, now).regionHealthy;
    // Act / Assess: within the settle time of the last change the alarm still gets its healthy datapoints
    expect(judged(steady, later(settleMs - 1))).toEqual({ 'eu-central-1': 1 });
    expect(judged(steady, later(settleMs))).toEqual({});
    // One endpoint SUSPECT, or one whose shard is stale: the region is not settled
    const suspect = view('eu-west-1', { ...allHealthy, 'web-fra-a': HealthStatus.SUSPECT });
    expect(judged(suspect, later(10 * settleMs))).toEqual({ 'eu-central-1': 1 });
    const stale: CheckerView = {
      ...steady,
      health: { ...steady.health, 'web-fra-a': { ...steady.health['web-fra-a']!, stale: true } },
    };
    expect(judged(stale, later(10 * settleMs))).toEqual({ 'eu-central-1': 1 });
    // An endpoint of the checker's own region changing does not unsettle the region it judges
    const ownChanged: CheckerView = {
      ...steady,
      health: {
        ...steady.health,
        'web-dub-a': { ...steady.health['web-dub-a']!, since: later(10 * settleMs).toISOString() },
      },
    };
    expect(judged(ownChanged, later(10 * settleMs))).toEqual({});
  });
});
