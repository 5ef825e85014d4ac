// In-memory Route 53: hosted zones of record sets, atomic change batches with Route 53's validation,
// change propagation (PENDING → INSYNC) on the cloud's clock, and a resolver for the local drill.
import type { ChangeStatus, DnsPort, RecordChange, RecordSet } from '../../ports/dns.port';
import { CloudCallError, DnsConflictError } from '../../ports/errors';
import { normaliseDnsName, normaliseRecordSet, recordSetKey, sameRecordSet } from '../../ports/record-sets';
import { awsError, type FaultInjector } from './faults';
import { StaleReads } from './stale-reads';

/** Route 53's control plane (record changes, GetChange) is served from us-east-1. */
export const ROUTE53_CONTROL_PLANE_REGION = 'us-east-1';

/** Route 53 answers at most eight records of a multivalue name. */
const MULTIVALUE_ANSWER_LIMIT = 8;

export interface DnsChangeRecord {
  readonly id: string;
  readonly zoneId: string;
  readonly changes: readonly RecordChange[];
  readonly comment?: string;
  readonly submittedAt: Date;
}

export interface ZoneListing {
  readonly zoneId: string;
  readonly recordSets: readonly RecordSet[];
}

export type DnsChangeListener = (change: DnsChangeRecord) => void;

export interface MemoryDnsOptions {
  readonly now: () => Date;
  readonly faults: FaultInjector;
  /** How long a change stays PENDING before GetChange reports INSYNC. @default - 0 ms (INSYNC at once) */
  readonly propagationMs?: number;
  /** Reads that lag the changes ('Route 53': a listing shows a zone as it was before a change). @default - never stale */
  readonly staleReads?: StaleReads;
}

export class MemoryDns implements DnsPort {
  private readonly zoneSets = new Map<string, Map<string, RecordSet>>();
  private readonly log: DnsChangeRecord[] = [];
  private readonly listeners = new Set<DnsChangeListener>();
  private readonly unhealthyChecks = new Set<string>();
  private readonly now: () => Date;
  private readonly faults: FaultInjector;
  private readonly staleReads: StaleReads;
  propagationMs: number;

  constructor(options: MemoryDnsOptions) {
    this.now = options.now;
    this.faults = options.faults;
    this.propagationMs = options.propagationMs ?? 0;
    this.staleReads = options.staleReads ?? new StaleReads(options.now);
  }

  /** Every applied change batch, oldest first. */
  get changes(): readonly DnsChangeRecord[] {
    return this.log;
  }

  /** Creates the zone if needed and stores the sets as they are (no change record, no listeners). */
  seed(zoneId: string, sets: readonly RecordSet[] = []): void {
    const zone = this.zoneSets.get(zoneId) ?? new Map<string, RecordSet>();
    this.zoneSets.set(zoneId, zone);
    for (const set of sets) zone.set(recordSetKey(set), normaliseRecordSet(set));
  }

  async listRecordSets(zoneId: string, name: string, type: string): Promise<RecordSet[]> {
    this.faults.check('listRecordSets', `${zoneId}/${name}`, ROUTE53_CONTROL_PLANE_REGION);
    const zone = this.zone('listRecordSets', zoneId);
    const listed = this.staleReads.read('Route 53', zoneId, [...zone.values()]);
    return matching(listed, name, type).map((s) => structuredClone(s));
  }

  async changeRecordSets(
    zoneId: string,
    changes: readonly RecordChange[],
    comment?: string,
  ): Promise<{ changeId: string }> {
    this.faults.check('changeRecordSets', zoneId, ROUTE53_CONTROL_PLANE_REGION);
    const zone = this.zone('changeRecordSets', zoneId);
    if (changes.length === 0) throw invalidInput(zoneId, 'A change batch needs at least one change');
    const next = new Map(zone);
    const normalised = changes.map((c) => ({ action: c.action, recordSet: normaliseRecordSet(c.recordSet) }));
    for (const change of normalised) applyChange(next, zoneId, change);
    assertCoherent(next, zoneId);
    this.staleReads.changing('Route 53', zoneId, () => [...zone.values()]);
    this.zoneSets.set(zoneId, next);
    const record: DnsChangeRecord = {
      id: `C${String(this.log.length + 1).padStart(12, '0')}`,
      zoneId,
      changes: structuredClone(normalised),
      ...(comment !== undefined ? { comment } : {}),
      submittedAt: this.now(),
    };
    this.log.push(record);
    for (const listener of this.listeners) listener(record);
    return { changeId: record.id };
  }

  async changeStatus(changeId: string): Promise<ChangeStatus> {
    this.faults.check('changeStatus', changeId, ROUTE53_CONTROL_PLANE_REGION);
    const change = this.log.find((c) => c.id === changeId);
    if (!change) {
      throw new CloudCallError(
        'changeStatus',
        changeId,
        awsError('NoSuchChange', `A change with the specified change ID does not exist: ${changeId}`),
        false,
      );
    }
    return this.now().getTime() - change.submittedAt.getTime() >= this.propagationMs ? 'INSYNC' : 'PENDING';
  }

  /** Calls the listener after every applied change batch; returns a function that unsubscribes. */
  onChange(listener: DnsChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Marks a Route 53 health check (by id) unhealthy or healthy; used by resolve() for failover records. */
  setHealthCheck(healthCheckId: string, healthy: boolean): void {
    if (healthy) this.unhealthyChecks.delete(healthCheckId);
    else this.unhealthyChecks.add(healthCheckId);
  }

  /** Every zone with its record sets, sorted by name, type and set identifier. */
  zones(): ZoneListing[] {
    return [...this.zoneSets.entries()].map(([zoneId, sets]) => ({
      zoneId,
      recordSets: [...sets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => structuredClone(s)),
    }));
  }

  /**
   * The values an authoritative server would answer, across all zones. Simplified from Route 53:
   * weighted → every set with weight > 0 (all sets when every weight is 0), not one set per query;
   * multivalue → up to eight values; failover → PRIMARY unless its health check is marked unhealthy
   * and the SECONDARY's is not; alias → the alias target's DNS name.
   */
  resolve(name: string, type: string): string[] {
    const sets = [...this.zoneSets.values()].flatMap((zone) => matching([...zone.values()], name, type));
    if (sets.length === 0) return [];
    const served = servedSets(sets, (id) => id === undefined || !this.unhealthyChecks.has(id));
    const values = served.flatMap((s) => (s.aliasTarget ? [s.aliasTarget.dnsName] : s.values));
    const unique = [...new Set(values)];
    return sets.some((s) => s.multiValueAnswer) ? unique.slice(0, MULTIVALUE_ANSWER_LIMIT) : unique;
  }

  private zone(operation: string, zoneId: string): Map<string, RecordSet> {
    const zone = this.zoneSets.get(zoneId);
    if (!zone)
      throw new CloudCallError(
        operation,
        zoneId,
        awsError('NoSuchHostedZone', `No hosted zone found with ID: ${zoneId}`),
        false,
      );
    return zone;
  }
}

function matching(sets: readonly RecordSet[], name: string, type: string): RecordSet[] {
  const wantedName = normaliseDnsName(name);
  const wantedType = type.toUpperCase();
  return sets
    .filter((s) => s.name === wantedName && s.type === wantedType)
    .sort((a, b) => (a.setIdentifier ?? '').localeCompare(b.setIdentifier ?? ''));
}

function servedSets(sets: readonly RecordSet[], healthy: (healthCheckId: string | undefined) => boolean): RecordSet[] {
  if (sets.some((s) => s.weight !== undefined)) {
    const positive = sets.filter((s) => (s.weight ?? 0) > 0);
    return positive.length > 0 ? positive : [...sets];
  }
  if (sets.some((s) => s.failover !== undefined)) {
    const primaries = sets.filter((s) => s.failover === 'PRIMARY');
    const secondaries = sets.filter((s) => s.failover === 'SECONDARY');
    const primaryUp = primaries.some((s) => healthy(s.healthCheckId));
    const secondaryUp = secondaries.filter((s) => healthy(s.healthCheckId));
    return !primaryUp && secondaryUp.length > 0 ? secondaryUp : primaries;
  }
  return [...sets];
}

function describe(set: RecordSet): string {
  const id = set.setIdentifier !== undefined ? `, set-identifier='${set.setIdentifier}'` : '';
  return `[name='${set.name}', type='${set.type}'${id}]`;
}

function invalidInput(zoneId: string, message: string): CloudCallError {
  return new CloudCallError('changeRecordSets', zoneId, awsError('InvalidInput', message), false);
}

function applyChange(zone: Map<string, RecordSet>, zoneId: string, change: RecordChange): void {
  const set = change.recordSet;
  const key = recordSetKey(set);
  if (
    set.aliasTarget ? set.values.length > 0 || set.ttl !== undefined : set.values.length === 0 || set.ttl === undefined
  ) {
    throw invalidInput(
      zoneId,
      `Invalid resource record set ${describe(set)}: needs either an alias target or a TTL and at least one value`,
    );
  }
  if (set.weight !== undefined && (!Number.isInteger(set.weight) || set.weight < 0 || set.weight > 255)) {
    throw invalidInput(zoneId, `Invalid weight ${set.weight} for ${describe(set)}: must be an integer from 0 to 255`);
  }
  if ((routingPolicy(set) === 'simple') === (set.setIdentifier !== undefined)) {
    throw invalidInput(
      zoneId,
      `Invalid resource record set ${describe(set)}: a set identifier goes with exactly one of weight, failover or multivalue answer`,
    );
  }
  const current = zone.get(key);
  switch (change.action) {
    case 'CREATE':
      if (current)
        throw new DnsConflictError(`Tried to create resource record set ${describe(set)} but it already exists`);
      zone.set(key, set);
      return;
    case 'DELETE':
      if (!current)
        throw new DnsConflictError(`Tried to delete resource record set ${describe(set)} but it was not found`);
      if (!sameRecordSet(current, set)) {
        throw new DnsConflictError(
          `Tried to delete resource record set ${describe(set)} but the values provided do not match the current values`,
        );
      }
      zone.delete(key);
      return;
    case 'UPSERT':
      zone.set(key, set);
      return;
  }
}

/** Route 53 refuses a name that mixes routing policies, or a CNAME beside other records. */
function assertCoherent(zone: Map<string, RecordSet>, zoneId: string): void {
  const byName = new Map<string, RecordSet[]>();
  for (const set of zone.values()) byName.set(set.name, [...(byName.get(set.name) ?? []), set]);
  for (const [name, sets] of byName) {
    if (sets.some((s) => s.type === 'CNAME') && sets.some((s) => s.type !== 'CNAME')) {
      throw new CloudCallError(
        'changeRecordSets',
        zoneId,
        awsError(
          'InvalidChangeBatch',
          `RRSet of type CNAME with DNS name ${name} is not permitted as it conflicts with other records with the same DNS name`,
        ),
        false,
      );
    }
    for (const type of new Set(sets.map((s) => s.type))) {
      const policies = new Set(sets.filter((s) => s.type === type).map(routingPolicy));
      const count = sets.filter((s) => s.type === type).length;
      if (policies.size > 1 || (policies.has('simple') && count > 1)) {
        throw new CloudCallError(
          'changeRecordSets',
          zoneId,
          awsError(
            'InvalidChangeBatch',
            `RRSet with DNS name ${name}, type ${type} mixes routing policies (${[...policies].join(', ')})`,
          ),
          false,
        );
      }
    }
  }
}

function routingPolicy(set: RecordSet): string {
  if (set.weight !== undefined) return 'weighted';
  if (set.failover !== undefined) return 'failover';
  if (set.multiValueAnswer) return 'multivalue';
  return 'simple';
}
