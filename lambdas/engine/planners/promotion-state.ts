// What a promotion candidate's state allows: whether RDS may still be changing it (a promotion in
// progress is never abandoned), whether it is untouched (giving it up needs no fence), whether its
// replica lag allows promoting it and whether it replicates from the current primary. Shared by the
// database and the region runbooks.
import type { Database, DatabaseMember } from '../../domain/config/schema';
import { databaseMembers } from '../../domain/config/targets';
import type { DatabaseSnapshot, MemberState, Read } from '../types';

/** RDS is working on the instance itself: promoting now would race it, so the guard waits. */
export const TRANSIENT_STATUSES: ReadonlySet<string> = new Set([
  'backing-up',
  'configuring-enhanced-monitoring',
  'configuring-iam-database-auth',
  'configuring-log-exports',
  'converting-to-vpc',
  'maintenance',
  'modifying',
  'moving-to-vpc',
  'rebooting',
  'renaming',
  'resetting-master-credentials',
  'starting',
  'storage-optimization',
  'upgrading',
]);

/** Statuses RDS leaves an instance in until a person acts: nothing is under way any more. */
const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'insufficient-capacity',
  'restore-error',
  'storage-full',
  'stopped',
]);

/**
 * Whether RDS may still be changing the candidate: any status that is neither `available` nor
 * terminal (an unknown one included), or its cluster failing over, or a cluster state that could not
 * be read. A candidate that no longer exists is not changing.
 */
export function stillChanging(db: Database, snap: DatabaseSnapshot, state: MemberState): boolean {
  if (!state.exists) return false;
  if (state.status === undefined || (state.status !== 'available' && !TERMINAL_STATUSES.has(state.status))) return true;
  if (db.engine === 'aurora-cluster') return !snap.cluster?.ok || snap.cluster.value?.status === 'failing-over';
  if (db.engine === 'aurora-global')
    return !snap.globalCluster?.ok || snap.globalCluster.value?.failoverStatus !== undefined;
  return false;
}

/** The candidate is exactly as before any promotion: available and still a replica (Aurora: a reader). */
export function untouchedReplica(db: Database, state: MemberState): boolean {
  if (!state.exists || state.status !== 'available') return false;
  return db.engine === 'rds-instance' ? state.isReplica === true : state.isWriter === false;
}

/** Why the replica's lag forbids promoting it without allowDataLoss (unknown, or over maxLagSeconds); undefined when it does not. */
export function lagProblem(db: Database, lag: Read<number | undefined> | undefined): string | undefined {
  const seconds = lag?.ok ? lag.value : undefined;
  if (seconds === undefined) return `replica lag unknown${lag && !lag.ok ? ` (${lag.error})` : ''}`;
  return seconds > db.maxLagSeconds ? `lag ${seconds}s is over maxLagSeconds ${db.maxLagSeconds}` : undefined;
}

/**
 * Why an RDS replica cannot take over from `primary` because it replicates from another instance
 * (the fenced old primary, after a first failover): promoting it would lose every write since.
 */
export function replicaSourceProblem(db: Database, state: MemberState, primary: DatabaseMember): string | undefined {
  const source = state.replicaOf;
  if (db.engine !== 'rds-instance' || !source) return undefined;
  if (source.identifier === primary.identifier && source.region === primary.region) return undefined;
  const named =
    databaseMembers(db).find((m) => m.identifier === source.identifier && m.region === source.region)?.id ??
    `${source.identifier} (${source.region})`;
  return `replicates from ${named}, not from the current primary ${primary.id}; promoting it would lose the writes made since (rebuild it as a replica of ${primary.id})`;
}
