// Moving active-passive DNS records from one region to another: which targets come in and go out
// (planned), and the one atomic change batch per record that does it (built on a fresh read).
// Active-active records serve every healthy region already; the DNS healer keeps those.
import type { DnsRecord, DnsTarget, Topology } from '../../domain/config/schema';
import { probeTargets } from '../../domain/config/targets';
import type { Verdict } from '../../domain/health/types';
import type { RecordChange, RecordSet } from '../../ports/dns.port';
import { targetValues } from '../planners/dns-healing.planner';
import type { PulledTarget } from '../state/guard-state';
import { type RecordMove } from '../state/runbook-kinds';

/** Weight a weighted target gets when neither the config nor the pulled record says one. */
const DEFAULT_WEIGHT = 100;

export function endpointRegions(topology: Topology): ReadonlyMap<string, string> {
  return new Map(probeTargets(topology).map((t) => [t.id, t.region]));
}

/**
 * Targets of `region` in active-passive records that a move left out (not HEALTHY then), as pulled
 * entries: the DNS healer restores them once they are HEALTHY, as it does with targets it pulled.
 */
export function leftOutTargets(
  topology: Topology,
  moves: readonly RecordMove[],
  region: string,
  at: string,
  planId: string,
): Record<string, PulledTarget> {
  const regions = endpointRegions(topology);
  const entries: Record<string, PulledTarget> = {};
  for (const move of moves) {
    const record = topology.dns.find((r) => r.id === move.recordId);
    if (!record) continue;
    for (const target of record.targets.filter(
      (t) => regions.get(t.endpoint) === region && !move.in.includes(t.endpoint),
    )) {
      const values = targetValues(topology, target, record.type);
      const base = { recordId: record.id, endpoint: target.endpoint, at, planId };
      const shape =
        record.routing === 'ip-set'
          ? { values }
          : record.routing === 'weighted'
            ? { weight: target.weight ?? DEFAULT_WEIGHT }
            : {
                recordSet: {
                  name: record.name,
                  type: record.type,
                  ttl: record.ttl,
                  values,
                  setIdentifier: setIdOf(target),
                  ...(record.routing === 'multivalue' ? { multiValueAnswer: true } : {}),
                },
              };
      entries[`${record.id}|${target.endpoint}`] = { ...base, ...shape };
    }
  }
  return entries;
}

/**
 * Per active-passive record: the HEALTHY targets of `toRegion` in, every target of `fromRegion` out. A record
 * with nothing to bring in is not moved: it keeps answering with what it has (fail open, never empty).
 */
export function recordMoves(
  topology: Topology,
  fromRegion: string,
  toRegion: string,
  verdicts: ReadonlyMap<string, Verdict>,
  regions: ReadonlyMap<string, string>,
): RecordMove[] {
  return topology.dns
    .filter((record) => record.regionMode === 'active-passive')
    .map((record) => ({
      recordId: record.id,
      in: record.targets
        .filter((t) => regions.get(t.endpoint) === toRegion && verdicts.get(t.endpoint)?.status === 'HEALTHY')
        .map((t) => t.endpoint),
      out: record.targets.filter((t) => regions.get(t.endpoint) === fromRegion).map((t) => t.endpoint),
    }))
    .filter((move) => move.in.length > 0);
}

const setIdOf = (target: DnsTarget): string => target.setIdentifier ?? target.endpoint;

function replace(changes: RecordChange[], before: RecordSet | undefined, after: RecordSet | undefined): void {
  if (before) changes.push({ action: 'DELETE', recordSet: before });
  if (after) changes.push({ action: 'CREATE', recordSet: after });
}

function servesSomething(record: DnsRecord, sets: readonly RecordSet[]): boolean {
  if (record.routing === 'weighted') return sets.some((s) => (s.weight ?? 0) > 0);
  return sets.some((s) => s.values.length > 0 || s.aliasTarget !== undefined);
}

/**
 * The compare-and-swap batch that applies `move` to the record's sets just read: DELETE exactly what
 * was read and CREATE its replacement. Empty when the record already looks moved. Throws rather
 * than leave the record serving nothing.
 */
export function recordMoveChanges(
  topology: Topology,
  record: DnsRecord,
  sets: readonly RecordSet[],
  move: RecordMove,
  pulled: Readonly<Record<string, PulledTarget>>,
): RecordChange[] {
  const targetsIn = record.targets.filter((t) => move.in.includes(t.endpoint));
  const targetsOut = record.targets.filter((t) => move.out.includes(t.endpoint));
  const base = { name: record.name, type: record.type, ttl: record.ttl };
  const changes: RecordChange[] = [];
  let after: RecordSet[] = [...sets];
  const swap = (before: RecordSet | undefined, next: RecordSet | undefined) => {
    replace(changes, before, next);
    after = [...after.filter((s) => s !== before), ...(next ? [next] : [])];
  };

  if (record.routing === 'ip-set') {
    const before = sets.find((s) => s.setIdentifier === undefined);
    if (!before)
      throw new Error(`record ${record.name} ${record.type} has no record set to move; the guard never creates it`);
    const outValues = new Set(targetsOut.flatMap((t) => targetValues(topology, t, record.type)));
    const inValues = targetsIn.flatMap((t) => targetValues(topology, t, record.type));
    const values = [...new Set([...before.values, ...inValues])].filter(
      (v) => !outValues.has(v) || inValues.includes(v),
    );
    const same = values.length === before.values.length && values.every((v) => before.values.includes(v));
    if (!same) swap(before, { ...before, values });
  } else {
    for (const target of [...targetsIn, ...targetsOut]) {
      const comingIn = targetsIn.includes(target);
      const before = sets.find((s) => s.setIdentifier === setIdOf(target));
      const fresh: RecordSet = {
        ...base,
        values: targetValues(topology, target, record.type),
        setIdentifier: setIdOf(target),
      };
      if (record.routing === 'weighted') {
        const weight = comingIn
          ? (target.weight ?? pulled[`${record.id}|${target.endpoint}`]?.weight ?? DEFAULT_WEIGHT)
          : 0;
        if (before?.weight !== weight) swap(before, { ...(before ?? fresh), weight });
      } else if (record.routing === 'multivalue') {
        if (comingIn && !before) swap(undefined, { ...fresh, multiValueAnswer: true });
        if (!comingIn && before) swap(before, undefined);
      } else {
        const failover = comingIn ? ('PRIMARY' as const) : ('SECONDARY' as const);
        if (before?.failover !== failover) swap(before, { ...(before ?? fresh), failover });
      }
    }
  }
  if (changes.length > 0 && !servesSomething(record, after)) {
    throw new Error(`moving ${record.name} ${record.type} would leave it serving nothing; refused (fail open)`);
  }
  // Every DELETE before any CREATE: a failover swap never holds two PRIMARY sets at one point of the batch.
  return [...changes.filter((c) => c.action === 'DELETE'), ...changes.filter((c) => c.action !== 'DELETE')];
}
