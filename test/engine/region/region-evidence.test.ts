import { describe, expect, it } from 'vitest';
import { assessRegion, isBlind } from '../../../lambdas/engine/region/region-evidence';
import { PRIMARY, STANDBY, T0, WITNESS, endpointsIn, regionTopology, viewOf } from './fixtures';

const topology = regionTopology();
const guard = [PRIMARY, STANDBY, WITNESS];
const primaryEndpoints = endpointsIn(topology, PRIMARY);
const standbyEndpoints = endpointsIn(topology, STANDBY);
const stale = new Date(T0.getTime() - 60_000);

describe('assessRegion', () => {
  it.each([
    {
      name: 'every endpoint down from both outside checkers, own checker silent',
      views: [
        viewOf(topology, STANDBY, T0, primaryEndpoints),
        viewOf(topology, WITNESS, T0, primaryEndpoints),
        viewOf(topology, PRIMARY, stale),
      ],
      dark: true,
      judges: [STANDBY, WITNESS],
      staleHeartbeats: [PRIMARY],
    },
    {
      name: 'the dark region’s own checker says all is fine: it is not trusted',
      views: [
        viewOf(topology, STANDBY, T0, primaryEndpoints),
        viewOf(topology, WITNESS, T0, primaryEndpoints),
        viewOf(topology, PRIMARY, T0),
      ],
      dark: true,
      judges: [STANDBY, WITNESS],
      staleHeartbeats: [],
    },
    {
      name: 'one endpoint still answers: a partial outage',
      views: [
        viewOf(topology, STANDBY, T0, primaryEndpoints.slice(1)),
        viewOf(topology, WITNESS, T0, primaryEndpoints.slice(1)),
      ],
      dark: false,
      judges: [STANDBY, WITNESS],
      staleHeartbeats: [PRIMARY],
    },
    {
      name: 'only one of two outside checkers sees it down: no majority',
      views: [viewOf(topology, STANDBY, T0, primaryEndpoints), viewOf(topology, WITNESS, T0)],
      dark: false,
      judges: [STANDBY, WITNESS],
      staleHeartbeats: [PRIMARY],
    },
    {
      name: 'the outside checker that sees everything down is cut off itself',
      views: [viewOf(topology, STANDBY, T0, [...primaryEndpoints, ...standbyEndpoints]), viewOf(topology, PRIMARY, T0)],
      dark: false,
      judges: [],
      staleHeartbeats: [],
    },
    {
      name: 'endpoints only SUSPECT are not yet UNHEALTHY',
      views: [viewOf(topology, STANDBY, T0, primaryEndpoints, 'SUSPECT')],
      dark: false,
      judges: [STANDBY],
      staleHeartbeats: [PRIMARY],
    },
    {
      name: 'stale outside checkers do not judge',
      views: [viewOf(topology, STANDBY, stale, primaryEndpoints), viewOf(topology, WITNESS, stale, primaryEndpoints)],
      dark: false,
      judges: [],
      staleHeartbeats: [PRIMARY],
    },
  ])('$name → dark: $dark', ({ views, dark, judges, staleHeartbeats }) => {
    // Act
    const assessment = assessRegion(topology, PRIMARY, views, T0, guard);
    // Assess
    expect(assessment.dark).toBe(dark);
    expect(assessment.judges).toEqual(judges);
    expect(assessment.staleHeartbeats).toEqual(staleHeartbeats);
  });

  it('names every endpoint with its votes as evidence', () => {
    // Prepare
    const views = [viewOf(topology, STANDBY, T0, primaryEndpoints), viewOf(topology, WITNESS, T0, primaryEndpoints)];
    // Act
    const assessment = assessRegion(topology, PRIMARY, views, T0, guard);
    // Assess
    expect(assessment.endpoints).toEqual(
      primaryEndpoints.map((id) => ({ endpointId: id, status: 'UNHEALTHY', unhealthyVotes: [STANDBY, WITNESS] })),
    );
    expect(assessment.reason).toBe(
      `all ${primaryEndpoints.length} endpoints of ${PRIMARY} are UNHEALTHY according to ${STANDBY}, ${WITNESS}`,
    );
  });

  it('calls a region healthy only when every endpoint is HEALTHY from outside', () => {
    // Act
    const healthy = assessRegion(topology, PRIMARY, [viewOf(topology, STANDBY, T0)], T0, guard);
    const recovering = assessRegion(
      topology,
      PRIMARY,
      [viewOf(topology, STANDBY, T0, ['web-dub-a'], 'RECOVERING')],
      T0,
      guard,
    );
    // Assess
    expect(healthy.healthy).toBe(true);
    expect(recovering.healthy).toBe(false);
    expect(recovering.dark).toBe(false);
  });

  it('never calls a region without endpoints dark', () => {
    // Act
    const assessment = assessRegion(topology, WITNESS, [viewOf(topology, STANDBY, T0)], T0, guard);
    // Assess
    expect(assessment).toMatchObject({
      dark: false,
      healthy: false,
      reason: `region ${WITNESS} has no probed endpoints`,
    });
  });
});

describe('isBlind', () => {
  it.each([
    { name: 'sees every outside endpoint failing', down: [...primaryEndpoints, ...standbyEndpoints], blind: true },
    {
      name: 'sees one outside endpoint healthy',
      down: [...primaryEndpoints, ...standbyEndpoints.slice(1)],
      blind: false,
    },
    { name: 'sees only the judged region down', down: primaryEndpoints, blind: false },
  ])('a checker that $name is blind: $blind', ({ down, blind }) => {
    // Prepare
    const outside = [...standbyEndpoints];
    // Act / Assess
    expect(isBlind(viewOf(topology, WITNESS, T0, down), outside)).toBe(blind);
  });
});
