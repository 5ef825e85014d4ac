// Is a region dark? Judged only from outside it: the dark region's own checker may be the one cut off.
// How long it has been dark is read from the judges' own stored views (each target's consecutive
// failures), so every checker counts the same cycles without a counter written by several regions.
import { probeTargets } from '../../domain/config/targets';
import type { Topology } from '../../domain/config/schema';
import { liveCheckers, quorumVerdicts } from '../../domain/health/quorum';
import type { CheckerView, HealthStatus, Verdict } from '../../domain/health/types';
import type { EndpointEvidence } from '../state/runbook-kinds';

export interface RegionAssessment {
  readonly region: string;
  /** Every probed endpoint of the region is UNHEALTHY according to the live checkers outside it (this cycle). */
  readonly dark: boolean;
  /** Consecutive cycles the region has been dark (0 when it is not): the judges' majority, the least of its endpoints. */
  readonly darkCycles: number;
  /** Every probed endpoint of the region is HEALTHY according to the live checkers outside it (failback needs this). */
  readonly healthy: boolean;
  /** ISO time since when the judges have seen every endpoint HEALTHY (the latest recovery among them). */
  readonly healthySince?: string;
  /** Live checkers outside the region whose views were counted. */
  readonly judges: readonly string[];
  /** Live outside checkers left out: they see nothing healthy anywhere, so they may be the ones cut off. */
  readonly blindCheckers: readonly string[];
  /** Guard regions inside the judged region whose heartbeat is missing or stale (evidence, never a vote). */
  readonly staleHeartbeats: readonly string[];
  readonly endpoints: readonly EndpointEvidence[];
  /** Every target's verdict by the judges alone (what the standby is judged by too); not stored. */
  readonly judgeVerdicts: ReadonlyMap<string, Verdict>;
  /** One sentence: why the region is, or is not, dark. */
  readonly reason: string;
}

const failing = (status: HealthStatus | undefined): boolean => status === 'UNHEALTHY' || status === 'SUSPECT';

/**
 * A checker that sees every endpoint outside the judged region failing is cut off itself, or
 * everything is down; in neither case is its word that the region is dark worth a failover.
 */
export function isBlind(view: CheckerView, outsideEndpointIds: readonly string[]): boolean {
  const seen = outsideEndpointIds.filter((id) => view.health[id] !== undefined);
  return seen.length > 0 && seen.every((id) => failing(view.health[id]?.status));
}

/** What one checker's view says of a region: it cannot judge (blind, or nothing to probe there), or it sees it dark or not. */
export type RegionSight = 'blind' | 'nothing-to-judge' | 'dark' | 'not-dark';

/**
 * "This region is dark as seen from here", the one place it is decided: dark when every probed
 * endpoint of `region` is UNHEALTHY in `view`; blind (no judgement at all) when the checker sees every
 * endpoint outside `region` failing, its own region's included. Used by the RegionHealthy metric that
 * drives Route 53's data plane and, per judge, by the region runbook's assessment.
 */
export function regionSeenFrom(topology: Topology, view: CheckerView, region: string): RegionSight {
  const targets = probeTargets(topology);
  const inside = targets.filter((t) => t.region === region).map((t) => t.id);
  if (inside.length === 0) return 'nothing-to-judge';
  if (
    isBlind(
      view,
      targets.filter((t) => t.region !== region).map((t) => t.id),
    )
  )
    return 'blind';
  // A stale target (its shard's heartbeat is stale) never counts as UNHEALTHY: no region is judged dark from stale data.
  return inside.every((id) => view.health[id]?.status === 'UNHEALTHY' && !view.health[id]?.stale) ? 'dark' : 'not-dark';
}

/** Guard regions (checkers) whose heartbeat is missing or older than heartbeatStaleSeconds. */
function staleCheckers(
  checkers: readonly string[],
  views: readonly CheckerView[],
  now: Date,
  staleSeconds: number,
): string[] {
  const live = new Set(liveCheckers(views, now, staleSeconds).map((v) => v.checker));
  return checkers.filter((checker) => !live.has(checker));
}

/** The k-th largest number (1-based), 0 when there are fewer. */
const kthLargest = (values: readonly number[], k: number): number => [...values].sort((a, b) => b - a)[k - 1] ?? 0;

/**
 * Cycles a quorum of judges has seen every endpoint UNHEALTHY: per endpoint, the count a strict
 * majority of judges reach (consecutive failures beyond the threshold), then the least endpoint.
 */
function countDarkCycles(
  inside: readonly { id: string; failureThreshold: number }[],
  judges: readonly CheckerView[],
): number {
  const majority = Math.floor(judges.length / 2) + 1;
  const perEndpoint = inside.map(({ id, failureThreshold }) =>
    kthLargest(
      judges.map((v) => {
        const h = v.health[id];
        return h?.status === 'UNHEALTHY' ? Math.max(1, h.consecutiveFailures - failureThreshold + 1) : 0;
      }),
      majority,
    ),
  );
  return perEndpoint.length === 0 ? 0 : Math.min(...perEndpoint);
}

function latestHealthySince(insideIds: readonly string[], judges: readonly CheckerView[]): string | undefined {
  const times = insideIds.flatMap((id) =>
    judges.flatMap((v) => {
      const h = v.health[id];
      return h?.status === 'HEALTHY' ? [Date.parse(h.since)] : [];
    }),
  );
  return times.length === 0 ? undefined : new Date(Math.max(...times)).toISOString();
}

/** Whether `region` is dark this cycle, with the evidence for the announcement. */
export function assessRegion(
  topology: Topology,
  region: string,
  views: readonly CheckerView[],
  now: Date,
  guardCheckers: readonly string[],
): RegionAssessment {
  const staleSeconds = topology.guard.heartbeatStaleSeconds;
  const targets = probeTargets(topology);
  const insideTargets = targets.filter((t) => t.region === region);
  const inside = insideTargets.map((t) => t.id);
  const liveOutside = liveCheckers(views, now, staleSeconds).filter((v) => v.checker !== region);
  const blindCheckers = liveOutside
    .filter((v) => regionSeenFrom(topology, v, region) === 'blind')
    .map((v) => v.checker);
  const judgesViews = liveOutside.filter((v) => !blindCheckers.includes(v.checker));
  const verdicts = quorumVerdicts(judgesViews, now, staleSeconds);
  const endpoints: EndpointEvidence[] = inside.map((id) => {
    const verdict = verdicts.get(id);
    return { endpointId: id, status: verdict?.status ?? 'UNKNOWN', unhealthyVotes: verdict?.unhealthyVotes ?? [] };
  });
  const staleHeartbeats = staleCheckers(
    guardCheckers.filter((c) => c === region),
    views,
    now,
    staleSeconds,
  );
  const judges = judgesViews.map((v) => v.checker);
  const notUnhealthy = endpoints.filter((e) => e.status !== 'UNHEALTHY');
  const judged = inside.length > 0 && judges.length > 0;
  const dark = judged && notUnhealthy.length === 0;
  const healthy = judged && endpoints.every((e) => e.status === 'HEALTHY');
  const darkCycles = dark
    ? countDarkCycles(
        insideTargets.map((t) => ({ id: t.id, failureThreshold: t.checks.failureThreshold })),
        judgesViews,
      )
    : 0;
  const healthySince = healthy ? latestHealthySince(inside, judgesViews) : undefined;
  const reason =
    inside.length === 0
      ? `region ${region} has no probed endpoints`
      : judges.length === 0
        ? `no live checker outside ${region} can judge it${blindCheckers.length > 0 ? ` (${blindCheckers.join(', ')} see nothing healthy anywhere)` : ''}`
        : dark
          ? `all ${inside.length} endpoints of ${region} are UNHEALTHY according to ${judges.join(', ')}`
          : `${notUnhealthy.length} of ${inside.length} endpoints of ${region} are not UNHEALTHY (${notUnhealthy
              .slice(0, 3)
              .map((e) => `${e.endpointId}: ${e.status}`)
              .join(', ')}${notUnhealthy.length > 3 ? ', …' : ''})`;
  return {
    region,
    dark,
    darkCycles,
    healthy,
    ...(healthySince ? { healthySince } : {}),
    judges,
    blindCheckers,
    staleHeartbeats,
    endpoints,
    judgeVerdicts: verdicts,
    reason,
  };
}
