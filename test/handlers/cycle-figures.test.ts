import { describe, expect, it } from 'vitest';
import { HealthStatus, type CheckerView, type TargetHealth } from '../../lambdas/domain/health/types';
import type { Observation } from '../../lambdas/domain/observation';
import { probeTargets } from '../../lambdas/domain/config/targets';
import { assessRegion } from '../../lambdas/engine/region';
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
    const figures = cycleFigures(topology, own, observations, own);
    expect(figures).toMatchObject({ probeFailures: 1, unhealthyTargets: 1, unhealthyIds: ['web-dub-a'] });
  });

  it('judges the other region dark only when every probed endpoint there is UNHEALTHY', () => {
    const allDown = Object.fromEntries(fraEndpoints.map((id) => [id, HealthStatus.UNHEALTHY]));
    expect(cycleFigures(topology, view('eu-west-1', allDown), [], view('eu-west-1', allDown)).regionHealthy).toEqual({
      'eu-central-1': 0,
    });
    const oneRecovering = { ...allDown, 'nlb-fra-2': HealthStatus.RECOVERING };
    expect(
      cycleFigures(topology, view('eu-west-1', oneRecovering), [], view('eu-west-1', oneRecovering)).regionHealthy,
    ).toEqual({ 'eu-central-1': 1 });
  });

  it('publishes no RegionHealthy while the checker is blind (nothing healthy anywhere, its own region included), as the runbook refuses its vote', () => {
    // Prepare: eu-west-1's checker is cut off: every endpoint, its own region's too, looks UNHEALTHY
    const everything = Object.fromEntries(probeTargets(topology).map((t) => [t.id, HealthStatus.UNHEALTHY]));
    const blind = view('eu-west-1', everything);
    // Act
    const figures = cycleFigures(topology, blind, [], blind);
    const assessment = assessRegion(topology, 'eu-central-1', [blind], new Date(at), ['eu-west-1', 'eu-central-1']);
    // Assess: the metric and the runbook judge the same way, through the same function
    expect(figures.regionHealthy).toEqual({});
    expect(figures.unhealthyTargets).toBe(probeTargets(topology).length);
    expect(assessment).toMatchObject({ dark: false, blindCheckers: ['eu-west-1'], judges: [] });
  });
});
