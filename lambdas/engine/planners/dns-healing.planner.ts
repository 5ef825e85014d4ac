// DNS healing: pull the answers of targets the quorum says are UNHEALTHY, put back the ones the
// guard pulled once they are HEALTHY, hold otherwise. Never below minHealthy answers, never an
// empty record: when every eligible target is down, change nothing and raise a critical alert.
import { isIP } from 'node:net';
import { primaryRegion } from '../../domain/config/targets';
import type { DnsRecord, DnsTarget, Topology } from '../../domain/config/schema';
import { HealthStatus } from '../../domain/health/types';
import type { RecordSet } from '../../ports/dns.port';
import { applyDnsEdit, sameRecord, setWithIdentifier, setsAfter } from '../dns-edit';
import {
  activeRegionOf,
  pulledTargetKey,
  ROUTE53_SYNC_SECONDS,
  type GuardState,
  type PulledTarget,
} from '../state/guard-state';
import type { DnsAction, DnsEdit, PlanAlert, PlannerInput, SubPlanner } from '../types';
import { describeVerdict, verdictStatus } from './evidence';
import { errorMessage } from '../../domain/errors';

interface TargetInfo {
  readonly target: DnsTarget;
  readonly region: string;
  /** ip-set: the addresses this target contributes to the record. */
  readonly values: readonly string[];
  readonly served: boolean;
  readonly status: HealthStatus | undefined;
  readonly pulled: PulledTarget | undefined;
}

/**
 * The addresses a target serves in a record of `type`: its own ip, else its server's ip, else its
 * load balancer's ips — only those of the record's family (a dual-stack load balancer lists both,
 * and Route 53 refuses an IPv6 value in an A record).
 */
export function targetValues(topology: Topology, target: DnsTarget, type: DnsRecord['type']): string[] {
  if (target.ip) return [target.ip];
  const server = topology.servers.find((s) => s.id === target.endpoint);
  const values = server
    ? server.ip
      ? [server.ip]
      : []
    : (topology.loadBalancers.find((lb) => lb.id === target.endpoint)?.ips ?? []);
  return values.filter((v) => isIP(v) === (type === 'A' ? 4 : 6));
}

export function endpointRegion(topology: Topology, endpoint: string): string | undefined {
  return (topology.servers.find((s) => s.id === endpoint) ?? topology.loadBalancers.find((lb) => lb.id === endpoint))
    ?.region;
}

function isServed(
  record: DnsRecord,
  sets: readonly RecordSet[],
  target: DnsTarget,
  values: readonly string[],
): boolean {
  if (record.routing === 'ip-set') {
    const set = sets.find((s) => s.setIdentifier === undefined);
    return values.some((v) => set?.values.includes(v));
  }
  const set = setWithIdentifier(sets, target.setIdentifier ?? '');
  if (!set) return false;
  return record.routing === 'weighted' ? (set.weight ?? 0) > 0 : true;
}

function pullEdit(record: DnsRecord, info: TargetInfo): DnsEdit {
  if (record.routing === 'ip-set') return { shape: 'ip-set', op: 'remove', values: info.values };
  const setIdentifier = info.target.setIdentifier ?? '';
  return record.routing === 'weighted'
    ? { shape: 'set', op: 'weight', setIdentifier, weight: 0 }
    : { shape: 'set', op: 'delete', setIdentifier };
}

/** How to put a pulled target back as it was; undefined (with the reason) when the guard does not know how. */
function restoreEdit(record: DnsRecord, info: TargetInfo): { edit?: DnsEdit; problem?: string } {
  const pulled = info.pulled;
  if (record.routing === 'ip-set')
    return { edit: { shape: 'ip-set', op: 'add', values: pulled?.values ?? info.values } };
  const setIdentifier = info.target.setIdentifier ?? '';
  if (record.routing === 'weighted') {
    const weight = info.target.weight ?? pulled?.weight;
    if (weight === undefined || weight === 0)
      return { problem: `no weight to restore for set "${setIdentifier}" (set targets[].weight in the config)` };
    return { edit: { shape: 'set', op: 'weight', setIdentifier, weight } };
  }
  if (!pulled?.recordSet) return { problem: `the guard holds no copy of set "${setIdentifier}" to restore` };
  return { edit: { shape: 'set', op: 'create', recordSet: pulled.recordSet } };
}

function describeAnswer(record: DnsRecord, info: TargetInfo): string {
  return record.routing === 'ip-set' ? info.values.join(',') : `[${info.target.setIdentifier}]`;
}

/** The targets of a record whose answers count: all of an active-active record, else those of the active region. */
function eligibleTargets(
  topology: Topology,
  guardState: GuardState,
  record: DnsRecord,
): { target: DnsTarget; region: string }[] {
  const activeRegion = activeRegionOf(guardState, primaryRegion(topology));
  return record.targets
    .map((target) => ({ target, region: endpointRegion(topology, target.endpoint) ?? activeRegion }))
    .filter((t) => record.regionMode === 'active-active' || t.region === activeRegion);
}

/** How many eligible targets `sets` serves: what minHealthy counts. */
export function servedAnswers(
  topology: Topology,
  guardState: GuardState,
  record: DnsRecord,
  sets: readonly RecordSet[],
): number {
  return eligibleTargets(topology, guardState, record).filter(({ target }) =>
    isServed(record, sets, target, targetValues(topology, target, record.type)),
  ).length;
}

/** The plan for one record, given its record sets as just read (also used to re-plan after a lost CAS). */
export function planDnsRecord(
  input: PlannerInput,
  record: DnsRecord,
  sets: readonly RecordSet[],
): { actions: DnsAction[]; alerts: PlanAlert[] } {
  const activeRegion = activeRegionOf(input.guardState, primaryRegion(input.topology));
  const infos: TargetInfo[] = eligibleTargets(input.topology, input.guardState, record).map(({ target, region }) => {
    const values = targetValues(input.topology, target, record.type);
    return {
      target,
      region,
      values,
      served: isServed(record, sets, target, values),
      status: verdictStatus(input, target.endpoint),
      pulled: input.guardState.pulledTargets[pulledTargetKey(record.id, target.endpoint)],
    };
  });
  const alerts: PlanAlert[] = [];
  if (infos.length === 0) return { actions: [], alerts };

  const isDown = (i: TargetInfo) => i.status === HealthStatus.UNHEALTHY;
  if (infos.every(isDown)) {
    alerts.push({
      key: `dns.all-targets-down:${record.id}`,
      eventType: 'dns.all-targets-down',
      severity: 'critical',
      resource: record.name,
      region: activeRegion,
      reason: `every eligible target of ${record.name} ${record.type} is UNHEALTHY (${infos.map((i) => i.target.endpoint).join(', ')}); DNS left unchanged (fail open)`,
    });
    return { actions: [], alerts };
  }

  const restorable = infos.filter((i) => !i.served && i.pulled && i.status === HealthStatus.HEALTHY);
  const servedUp = infos.filter((i) => i.served && !isDown(i));
  const servedDown = infos.filter((i) => i.served && isDown(i));
  // Short of healthy answers: restores must not wait for a cooldown or the rate cap.
  const short = servedUp.length < record.minHealthy;

  const actions: DnsAction[] = [];
  let working: RecordSet[] = [...sets];
  const plan = (kind: DnsAction['kind'], info: TargetInfo, edit: DnsEdit, urgent: boolean, reason: string) => {
    let result: ReturnType<typeof applyDnsEdit>;
    try {
      result = applyDnsEdit(record, working, edit);
    } catch (error) {
      alerts.push({
        key: `dns.edit-refused:${record.id}:${info.target.endpoint}`,
        eventType: 'dns.edit-refused',
        severity: 'critical',
        resource: record.name,
        region: info.region,
        about: info.target.endpoint,
        reason: errorMessage(error),
      });
      return false;
    }
    if (!result) return false;
    const planned = working;
    working = setsAfter(result);
    actions.push({
      kind,
      recordId: record.id,
      endpoint: info.target.endpoint,
      edit,
      planned,
      resource: `${record.name} ${record.type} ${describeAnswer(record, info)}`,
      region: info.region,
      reason,
      before: result.before,
      after: result.after,
      key: `dns:${record.id}:${info.target.endpoint}`,
      urgent,
    });
    return true;
  };
  let restored = 0;
  for (const info of restorable) {
    const { edit, problem } = restoreEdit(record, info);
    if (!edit) {
      alerts.push({
        key: `dns.cannot-restore:${record.id}:${info.target.endpoint}`,
        eventType: 'dns.cannot-restore',
        severity: 'warning',
        resource: record.name,
        region: info.region,
        about: info.target.endpoint,
        reason: `${info.target.endpoint} is HEALTHY again but ${problem}`,
      });
      continue;
    }
    if (
      plan('dns.restore', info, edit, short, `${info.target.endpoint} ${describeVerdict(input, info.target.endpoint)}`)
    )
      restored += 1;
  }

  // Pulls are counted against what will really be served: a target that cannot be restored is not.
  const servedAfterRestores = servedUp.length + servedDown.length + restored;
  const pullCount = Math.max(0, Math.min(servedDown.length, servedAfterRestores - record.minHealthy));
  // Keep the earliest-listed unhealthy targets: config order is the operator's preference, and a fixed
  // choice does not flip which answer is served from one cycle to the next.
  const toPull = servedDown.slice(servedDown.length - pullCount);
  const kept = servedDown.slice(0, servedDown.length - pullCount);
  if (kept.length > 0) {
    alerts.push({
      key: `dns.min-healthy:${record.id}`,
      eventType: 'dns.min-healthy-held',
      severity: 'critical',
      resource: record.name,
      region: activeRegion,
      about: kept.map((i) => i.target.endpoint).join(', '),
      reason: `${kept.map((i) => i.target.endpoint).join(', ')} UNHEALTHY but kept in ${record.name} ${record.type}: pulling would leave fewer than minHealthy (${record.minHealthy}) answers`,
    });
  }
  for (const info of toPull)
    plan(
      'dns.pull',
      info,
      pullEdit(record, info),
      false,
      `${info.target.endpoint} ${describeVerdict(input, info.target.endpoint)}`,
    );
  return { actions, alerts };
}

/**
 * Why this listing is not acted on: it differs from what the guard's own change left in the record
 * moments ago, so it may predate that change (Route 53 lists the old sets until a change is INSYNC).
 * Acting on it would re-apply the change (refused by the compare-and-swap) and forget a pull.
 */
function listingBeforeOwnChange(
  input: PlannerInput,
  record: DnsRecord,
  sets: readonly RecordSet[],
): string | undefined {
  const written = input.guardState.dnsWrites?.[record.id];
  if (!written || sameRecord(written.sets, sets)) return undefined;
  const ageSeconds = Math.round((Date.parse(input.now) - Date.parse(written.at)) / 1000);
  if (ageSeconds >= ROUTE53_SYNC_SECONDS) return undefined;
  return `${record.name} ${record.type}: Route 53 does not show the change the guard applied ${ageSeconds}s ago yet (a listing may lag a change until it is INSYNC); nothing planned on it until it does, or for ${ROUTE53_SYNC_SECONDS - ageSeconds}s more`;
}

export const dnsHealingPlanner: SubPlanner = (input) => {
  const actions: DnsAction[] = [];
  const alerts: PlanAlert[] = [];
  const notes: string[] = [];
  for (const record of input.topology.dns) {
    const read = input.records[record.id];
    if (!read) continue;
    if (!read.ok) {
      alerts.push({
        key: `dns.read-failed:${record.id}`,
        eventType: 'dns.read-failed',
        severity: 'warning',
        resource: record.name,
        reason: `cannot read ${record.name} ${record.type}; no DNS change this cycle: ${read.error}`,
      });
      continue;
    }
    const lagging = listingBeforeOwnChange(input, record, read.value);
    if (lagging) {
      notes.push(lagging);
      continue;
    }
    const planned = planDnsRecord(input, record, read.value);
    actions.push(...planned.actions);
    alerts.push(...planned.alerts);
  }
  return { actions, alerts, notes };
};
