// What is left to fail over to after a failover. On RDS, promoting one read replica leaves the
// others replicating from the old (fenced) source: only replicas of the new primary count.
// Aurora readers and secondary clusters follow the new writer, so every member left counts there.
import type { Database } from '../../domain/config/schema';
import { databaseMembers } from '../../domain/config/targets';
import type { MemberState, Read, Redundancy, StrandedReplica } from '../types';

/** The redundancy once `newPrimary` is primary and `fenced` members are out, from each member's RDS state. */
export function redundancyAfter(
  db: Database,
  newPrimary: string,
  fenced: ReadonlySet<string>,
  states: Readonly<Record<string, Read<MemberState>>>,
): Redundancy {
  const primary = databaseMembers(db).find((m) => m.id === newPrimary);
  const others = databaseMembers(db).filter((m) => m.id !== newPrimary && !fenced.has(m.id));
  if (db.engine !== 'rds-instance' || !primary) return { replicas: others.map((m) => m.id), stranded: [], unread: [] };
  const replicas: string[] = [];
  const stranded: StrandedReplica[] = [];
  const unread: string[] = [];
  for (const member of others) {
    const read = states[member.id];
    if (!read?.ok) {
      unread.push(member.id);
      continue;
    }
    const source = read?.ok && read.value.exists ? read.value.replicaOf : undefined;
    if (!source) continue;
    if (source.identifier === primary.identifier && source.region === primary.region) {
      replicas.push(member.id);
      continue;
    }
    const known = databaseMembers(db).find((m) => m.identifier === source.identifier && m.region === source.region);
    stranded.push({
      member: member.id,
      source: known?.id ?? `${source.identifier} (${source.region})`,
      sourceFenced: known !== undefined && fenced.has(known.id),
    });
  }
  return { replicas, stranded, unread };
}

function replenishAdvice(db: Database, newPrimary: string): string {
  if (db.engine === 'aurora-cluster') return `add a reader instance to cluster ${db.clusterIdentifier}`;
  if (db.engine === 'aurora-global') return `add a secondary cluster to global database ${db.clusterIdentifier}`;
  return `create a read replica of ${newPrimary}`;
}

/** The notification's sentence, e.g. "redundancy is lower: no replica of orders-r2 left; create a read replica of orders-r2 — …". */
export function describeRedundancy(db: Database, newPrimary: string, redundancy: Redundancy): string {
  const count = redundancy.replicas.length;
  const left =
    count === 0
      ? `no replica of ${newPrimary} left; ${replenishAdvice(db, newPrimary)}`
      : `${count} replica${count === 1 ? '' : 's'} of ${newPrimary} left (${redundancy.replicas.join(', ')})`;
  const bySource = new Map<string, StrandedReplica[]>();
  for (const s of redundancy.stranded) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);
  const strandedText = [...bySource.values()].map((group) => {
    const first = group[0] as StrandedReplica;
    const verb = group.length === 1 ? 'replicates' : 'replicate';
    return `${group.map((s) => s.member).join(', ')} still ${verb} from ${first.sourceFenced ? 'the fenced ' : ''}${first.source}`;
  });
  const rebuildAs =
    redundancy.stranded.length === 1
      ? `rebuild it as a replica of ${newPrimary} to fail over to it`
      : `rebuild them as replicas of ${newPrimary} to fail over to them`;
  const rebuild = strandedText.length > 0 ? ` — ${strandedText.join('; ')} (${rebuildAs})` : '';
  const unread =
    redundancy.unread.length > 0 ? `; not counted, RDS state unreadable: ${redundancy.unread.join(', ')}` : '';
  return `redundancy is lower: ${left}${rebuild}${unread}`;
}
