// Which record sets of the records marked `dataPlaneFailover` carry their region's Route 53 health check,
// and which must get it: a pure function over the topology, the record sets read and the guard's health
// check ids. `failover-guard attach`, the actor and the readiness rule all decide from it.
import { dataPlaneRecords, healthCheckOwnerRegion, regionalSets } from '../domain/config/data-plane';
import type { DnsRecord, Topology } from '../domain/config/schema';
import type { RecordChange, RecordSet } from '../ports/dns.port';
import type { GuardHealthCheck } from '../ports/health-check-directory.port';
import type { Read } from './types';

export interface HealthCheckAttachmentInput {
  readonly topology: Pick<Topology, 'dns' | 'servers' | 'loadBalancers'>;
  /** Record sets as read from Route 53, by record id; a record not read this time is absent and left out. */
  readonly records: Readonly<Record<string, Read<readonly RecordSet[]>>>;
  /** The guard's health check id per region whose sets it should carry; a region absent is not known here. */
  readonly healthChecks: Readonly<Record<string, string>>;
}

interface AttachmentBase {
  readonly recordId: string;
  readonly hostedZoneId: string;
  readonly name: string;
  readonly type: string;
  readonly setIdentifier: string;
  /** The region of the endpoint the set serves (undefined: the endpoint is not in the topology). */
  readonly region: string | undefined;
}

/** What one set of a marked record needs, as read. */
export type SetAttachment = AttachmentBase &
  (
    | {
        /** The set carries its region's health check: nothing to do. */
        readonly status: 'attached';
        readonly healthCheckId: string;
        readonly recordSet: RecordSet;
      }
    | {
        /** The set carries no health check: give it its region's (compare-and-swap: DELETE before, CREATE after). */
        readonly status: 'attach';
        readonly healthCheckId: string;
        readonly before: RecordSet;
        readonly after: RecordSet;
      }
    | {
        /** The set carries a health check the guard did not plan: refused, never overwritten. */
        readonly status: 'foreign';
        readonly healthCheckId: string;
        readonly foreignHealthCheckId: string;
        readonly recordSet: RecordSet;
      }
    | {
        /** Route 53 holds no set with this identifier (name and type of the record). */
        readonly status: 'set-missing';
        readonly healthCheckId: string;
      }
    | {
        /** No guard health check is known for the set's region (its judging stack is not deployed or not found). */
        readonly status: 'no-health-check';
      }
    | {
        /** The record's sets could not be read. */
        readonly status: 'unread';
        readonly error: string;
      }
  );

/** Every set of every marked record that was read (or failed to be), in config order; nothing for the unmarked. */
export function planHealthCheckAttachments(input: HealthCheckAttachmentInput): SetAttachment[] {
  return dataPlaneRecords(input.topology).flatMap((record) => {
    const read = input.records[record.id];
    return read ? recordAttachments(input, record, read) : [];
  });
}

function recordAttachments(
  input: HealthCheckAttachmentInput,
  record: DnsRecord,
  read: Read<readonly RecordSet[]>,
): SetAttachment[] {
  return regionalSets(input.topology, record).map(({ setIdentifier, region }): SetAttachment => {
    const base: AttachmentBase = {
      recordId: record.id,
      hostedZoneId: record.hostedZoneId,
      name: record.name,
      type: record.type,
      setIdentifier,
      region,
    };
    if (!read.ok) return { ...base, status: 'unread', error: read.error };
    const healthCheckId = region === undefined ? undefined : input.healthChecks[region];
    if (healthCheckId === undefined) return { ...base, status: 'no-health-check' };
    const set = read.value.find((s) => s.setIdentifier === setIdentifier);
    if (!set) return { ...base, status: 'set-missing', healthCheckId };
    if (set.healthCheckId === healthCheckId) return { ...base, status: 'attached', healthCheckId, recordSet: set };
    if (set.healthCheckId !== undefined)
      return { ...base, status: 'foreign', healthCheckId, foreignHealthCheckId: set.healthCheckId, recordSet: set };
    return { ...base, status: 'attach', healthCheckId, before: set, after: { ...set, healthCheckId } };
  });
}

/** The compare-and-swap batch of one attachment: DELETE the exact set read, CREATE it with the health check. */
export function attachmentChanges(attachment: {
  readonly before: RecordSet;
  readonly after: RecordSet;
}): RecordChange[] {
  return [
    { action: 'DELETE', recordSet: attachment.before },
    { action: 'CREATE', recordSet: attachment.after },
  ];
}

/** One line about a set, for plans, refusals and notices: `origin.shop.example.com A "dub-a" (eu-west-1)`. */
export function describeAttachmentSet(attachment: SetAttachment): string {
  return `${attachment.name} ${attachment.type} "${attachment.setIdentifier}" (${attachment.region ?? 'unknown region'})`;
}

/**
 * The health check each region's sets should carry, out of the guard's checks found in the account: the one
 * its owner stack holds (healthCheckOwnerRegion). Several candidates for a region is a problem to report
 * (an old stack's check left behind); the region is then left without a check rather than guessed.
 */
export function regionHealthCheckIds(
  topology: Topology,
  checks: readonly GuardHealthCheck[],
): { ids: Record<string, string>; problems: string[] } {
  const ids: Record<string, string> = {};
  const problems: string[] = [];
  for (const { name: region } of topology.regions) {
    const owner = healthCheckOwnerRegion(topology, region);
    const candidates = checks.filter((c) => c.judgedRegion === region && c.checkerRegion === owner);
    const [only, ...others] = candidates;
    if (only && others.length === 0) ids[region] = only.id;
    else if (only)
      problems.push(
        `${candidates.length} health checks judge ${region} from ${owner} (${candidates.map((c) => c.id).join(', ')}): delete the ones no stack owns`,
      );
  }
  return { ids, problems };
}
