// The guard's promises, checked against the world after every event, and its liveness after healing.
// Each check returns the broken promise's name and what was seen, or nothing.
import type { DnsRecord } from '../../lambdas/domain/config/schema';
import {
  activeRegionOf,
  isOpen,
  listRunbooks,
  pulledTargetKey,
  readGuardState,
  type GuardState,
  type Runbook,
} from '../../lambdas/engine';
import { REGION_FAILBACK_KIND, REGION_FAILOVER_KIND, regionRunbooks } from '../../lambdas/engine/region';
import type { RecordSet } from '../../lambdas/ports/dns.port';
import { writerMember, type ChaosWorld } from './chaos-world';

export interface Violation {
  readonly promise: string;
  readonly detail: string;
}

/** What the world looked like when an event started: what the checks compare with. */
export interface Before {
  readonly writerId: string | undefined;
  /** The writer's instance failed (or its region went dark) since the writer name was put on it. */
  readonly writerFailed: boolean;
  readonly activeRegion: string;
  readonly paused: boolean;
  readonly runbookIds: ReadonlySet<string>;
  readonly dark: ReadonlySet<string>;
}

function recordSets(world: ChaosWorld, record: DnsRecord): RecordSet[] {
  const zone = world.cloud.zones().find((z) => z.zoneId === record.hostedZoneId);
  const name = record.name.replace(/\.$/, '').toLowerCase();
  return (zone?.recordSets ?? []).filter((s) => s.name === name && s.type === record.type);
}

/** Whether the target is served: its IP in the ip-set record, or its weighted set there with a weight above 0. */
function served(world: ChaosWorld, record: DnsRecord, endpoint: string, setIdentifier?: string): boolean {
  const sets = recordSets(world, record);
  if (record.routing === 'ip-set') {
    const ip = world.topology.servers.find((s) => s.id === endpoint)?.ip;
    return sets.some((s) => ip !== undefined && s.values.includes(ip));
  }
  return sets.some((s) => s.setIdentifier === setIdentifier && (s.weight ?? 0) > 0);
}

/** Whether the instance is a live primary: it exists, answers (its region is not dark), is available and is no replica. */
function isLivePrimary(world: ChaosWorld, memberId: string | undefined): boolean {
  const member = [world.topology.databases[0]!.primary, ...world.topology.databases[0]!.replicas].find(
    (m) => m.id === memberId,
  );
  if (!member || world.dark.has(member.region)) return false;
  const state = world.cloud.database.inspectInstance(member.region, member.identifier);
  return state?.status === 'available' && state.replicaSourceIdentifier === undefined;
}

async function state(world: ChaosWorld): Promise<{ guard: GuardState; runbooks: Runbook[] }> {
  const { state: guard } = await readGuardState(world.observer);
  return { guard, runbooks: (await listRunbooks(world.observer)).map((d) => d.value) };
}

export async function snapshot(world: ChaosWorld): Promise<Before> {
  const { guard, runbooks } = await state(world);
  const writer = writerMember(world);
  return {
    writerId: writer?.id,
    writerFailed: world.writerFailed,
    activeRegion: activeRegionOf(guard, world.primary),
    paused: guard.paused,
    runbookIds: new Set(runbooks.map((r) => r.id)),
    dark: new Set(world.dark),
  };
}

/** Every safety promise, after an event (`failback`: the event was an operator's failback command). */
export async function checkSafety(world: ChaosWorld, before: Before, failback: boolean): Promise<Violation[]> {
  const { guard, runbooks } = await state(world);
  const violations: Violation[] = [];
  const broken = (promise: string, detail: string) => violations.push({ promise, detail });

  for (const record of world.topology.dns) {
    if (world.cloud.resolve(record.name, record.type).length === 0)
      broken('never empty a DNS record', `${record.id} resolves to nothing`);
  }
  for (const [db, promoted] of world.promotions) {
    const failures = world.failures.get(db) ?? 0;
    if (promoted > failures)
      broken(
        'at most one promotion per failure',
        `${db}: ${promoted} promotion(s) accepted for ${failures} failure(s)`,
      );
  }
  const writer = writerMember(world);
  if (writer?.id !== before.writerId) {
    if (!before.writerFailed && !failback) {
      broken(
        'never move the writer off a live primary',
        `the writer name moved from ${before.writerId} (it has not failed since it became writer) to ${writer?.id ?? 'nothing'}`,
      );
    }
    world.writerFailed = false;
  }
  const region = regionRunbooks(runbooks);
  if (!region.some(isOpen)) {
    const active = activeRegionOf(guard, world.primary);
    for (const record of world.topology.dns) {
      for (const target of record.targets) {
        const server = world.topology.servers.find((s) => s.id === target.endpoint);
        if (server?.region !== active || served(world, record, target.endpoint, target.setIdentifier)) continue;
        if (!guard.pulledTargets[pulledTargetKey(record.id, target.endpoint)]) {
          broken(
            'never forget a pulled target',
            `${record.id}: ${target.endpoint} is out of the record and no pull of it is recorded`,
          );
        }
      }
    }
  }
  const mutations = world.mutations.filter((m) => m.operation !== 'changeStatus');
  if (world.settings.dryRun && mutations.length > 0) {
    broken(
      'nothing is done in dry run',
      mutations.map((m) => `${m.operation} from ${m.checker}${m.failback ? ' (failback)' : ''}`).join(', '),
    );
  }
  if (before.paused && mutations.length > 0) {
    broken(
      'nothing is done while paused',
      mutations.map((m) => `${m.operation} from ${m.checker}${m.failback ? ' (failback)' : ''}`).join(', '),
    );
  }
  for (const r of region.filter((x) => x.kind === REGION_FAILOVER_KIND)) {
    const acted = r.steps.some((s) => s.status === 'done' && s.name !== 'announce');
    if (world.settings.mode === 'off') broken('no region failover in off mode', `${r.id} is ${r.status}`);
    if (world.settings.mode === 'approval' && acted && !r.data.approval)
      broken('no region failover without approval', `${r.id} did steps without an approval`);
    if (!before.runbookIds.has(r.id) && !before.dark.has(r.data.fromRegion) && !world.dark.has(r.data.fromRegion)) {
      broken(
        'no region failover from a blind checker',
        `${r.id} was created for ${r.data.fromRegion}, which is not dark`,
      );
    }
  }
  const failbacks = region.filter((r) => r.kind === REGION_FAILBACK_KIND).length;
  if (failbacks > world.failbacksRequested)
    broken(
      'no automatic failback',
      `${failbacks} failback runbook(s) for ${world.failbacksRequested} failback command(s)`,
    );
  const active = activeRegionOf(guard, world.primary);
  if (active === world.primary && before.activeRegion !== world.primary && failbacks === 0) {
    broken('no automatic failback', `traffic moved back to ${world.primary} without a failback command`);
  }
  return violations;
}

/** After healing: healthy targets served again, every runbook ended, the writer name on a writer. */
export async function checkLiveness(world: ChaosWorld): Promise<Violation[]> {
  const { guard, runbooks } = await state(world);
  const violations: Violation[] = [];
  const active = activeRegionOf(guard, world.primary);
  for (const record of world.topology.dns) {
    for (const target of record.targets) {
      const server = world.topology.servers.find((s) => s.id === target.endpoint);
      if (server?.region === active && !served(world, record, target.endpoint, target.setIdentifier)) {
        violations.push({
          promise: 'healthy targets are served again',
          detail: `${record.id}: ${target.endpoint} (healthy, in the active region ${active}) is not served`,
        });
      }
    }
  }
  for (const r of runbooks.filter(isOpen))
    violations.push({
      promise: 'every runbook ends',
      detail: `${r.id} is still ${r.status} (next: ${r.steps.find((s) => s.status !== 'done')?.name ?? 'none'})`,
    });
  const writer = writerMember(world);
  if (!isLivePrimary(world, writer?.id))
    violations.push({ promise: 'the writer name is on a writer', detail: `it points at ${writer?.id ?? 'nothing'}` });
  return violations;
}
