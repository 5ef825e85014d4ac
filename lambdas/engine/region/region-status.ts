// What `failover-guard status` shows: the active region, region runbooks in progress, every
// checker with its heartbeat age, fenced database members, readiness as last reported.
import { guardRegions, primaryRegion } from '../../domain/config/targets';
import { activeRegionOf, readGuardState, type FencedMember, type ReadinessRecord } from '../state/guard-state';

/** Where the real fence stands: "; stop confirmed at …", "; isolate requested at …", or nothing (recorded only). */
function fenceState(f: FencedMember): string {
  if (!f.fence) return '';
  return f.fence.confirmedAt
    ? `; ${f.fence.mode} confirmed at ${f.fence.confirmedAt}`
    : `; ${f.fence.mode} requested at ${f.fence.requestedAt}, not yet confirmed`;
}
import { listRunbooks, nextStep } from '../state/runbook';
import { readCheckerViews } from '../state/views';
import type { GuardContext } from '../types';
import { heartbeats, type CheckerHeartbeat } from './heartbeats';
import { regionRunbooks } from './region-runbook';
import { type RegionRunbook } from '../state/runbook-kinds';

export interface RegionStatus {
  readonly at: string;
  readonly activeRegion: string;
  readonly primaryRegion: string;
  readonly paused: boolean;
  /** Region runbooks running or waiting for approval. */
  readonly inProgress: readonly RegionRunbook[];
  /** The latest closed region runbook, if any. */
  readonly lastClosed?: RegionRunbook;
  readonly checkers: readonly CheckerHeartbeat[];
  readonly fenced: Readonly<Record<string, FencedMember>>;
  /** The readiness checks last reported failing (none: ready), from the guard state. */
  readonly readiness: ReadinessRecord;
}

export async function readRegionStatus(ctx: Pick<GuardContext, 'topology' | 'ports' | 'now'>): Promise<RegionStatus> {
  const { topology } = ctx;
  const now = ctx.now();
  const [guard, runbooks, views] = await Promise.all([
    readGuardState(ctx.ports.store),
    listRunbooks(ctx.ports.store),
    readCheckerViews(ctx.ports.store, topology, now),
  ]);
  const regional = regionRunbooks(runbooks.map((d) => d.value)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const closed = regional.filter((r) => r.status !== 'running' && r.status !== 'pending-approval');
  return {
    at: now.toISOString(),
    activeRegion: activeRegionOf(guard.state, primaryRegion(topology)),
    primaryRegion: primaryRegion(topology),
    paused: topology.guard.paused || guard.state.paused,
    inProgress: regional.filter((r) => r.status === 'running' || r.status === 'pending-approval'),
    ...(closed.length > 0 ? { lastClosed: closed[closed.length - 1] } : {}),
    checkers: heartbeats(guardRegions(topology), views, now, topology.guard.heartbeatStaleSeconds),
    fenced: guard.state.fencedMembers,
    readiness: guard.state.readiness,
  };
}

function runbookLine(r: RegionRunbook): string {
  const next = nextStep(r);
  const waiting =
    r.status === 'pending-approval'
      ? ` (approve: failover-guard approve <config> ${r.id})`
      : next
        ? `, next step ${next.name}`
        : '';
  return `${r.id}: ${r.data.fromRegion} -> ${r.data.toRegion}, ${r.status}${waiting}, started ${r.startedAt}`;
}

export function formatRegionStatus(status: RegionStatus): string {
  const lines = [
    `active region: ${status.activeRegion}${status.activeRegion === status.primaryRegion ? ' (the primary)' : ` (failed over from the primary ${status.primaryRegion})`}${status.paused ? '; guard PAUSED' : ''}`,
    'runbooks in progress:',
    ...(status.inProgress.length > 0 ? status.inProgress.map((r) => `  ${runbookLine(r)}`) : ['  none']),
  ];
  if (status.lastClosed) lines.push(`last closed: ${runbookLine(status.lastClosed)}`);
  lines.push('checkers:');
  for (const c of status.checkers) {
    lines.push(
      `  ${c.checker.padEnd(16)} ${c.live ? 'live ' : 'STALE'} ${c.lastSeen ? `heartbeat ${c.ageSeconds} s ago (${c.lastSeen})` : 'no heartbeat ever'}`,
    );
  }
  const fenced = Object.entries(status.fenced);
  lines.push('fenced database members:');
  lines.push(
    ...(fenced.length > 0
      ? fenced.map(([member, f]) => `  ${member} (${f.databaseId}) since ${f.at}: ${f.reason}${fenceState(f)}`)
      : ['  none']),
  );
  const { notReady, since } = status.readiness;
  const when = since ? ` since ${since}` : '';
  lines.push(
    notReady.length === 0
      ? `readiness: ready${when}`
      : `readiness: NOT READY${when} (failover-guard readiness <config> says how to fix):`,
  );
  lines.push(...notReady.map((f) => `  ${f.rule} ${f.resource}: ${f.why}`));
  return `${lines.join('\n')}\n`;
}
