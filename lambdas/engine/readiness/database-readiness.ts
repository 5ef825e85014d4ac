// Readiness of each database's failover: a replica that could be promoted now (available, lag under
// maxLagSeconds, replicating from the current primary, not fenced), and, where the topology has a
// standby region, one there for a region failover. The same checks the failover planners make.
import type { Database, DatabaseMember } from '../../domain/config/schema';
import { databaseMembers } from '../../domain/config/targets';
import { effectivePrimary } from '../planners/database-failover.planner';
import { lagProblem, replicaSourceProblem } from '../planners/promotion-state';
import type { PlannerInput } from '../types';
import { ReadinessRule, type ReadinessRow } from '../../domain/readiness/readiness-report';
import { standbyRegionsNow, type Rule } from './readiness';

/** Why `member` could not be promoted over `writer` now; undefined when it could. */
function promotionProblem(input: PlannerInput, db: Database, member: DatabaseMember, writer: DatabaseMember) {
  if (input.guardState.fencedMembers[member.id]) return `${member.id} is fenced`;
  const snapshot = input.databases[db.id];
  const read = snapshot?.members[member.id];
  if (!read) return `${member.id} was not read`;
  if (!read.ok) return `${member.id} could not be read: ${read.error}`;
  if (!read.value.exists) return `${member.identifier} does not exist in ${member.region}`;
  if (read.value.status !== 'available') return `${member.id} is ${read.value.status ?? 'in an unknown state'}`;
  const source = replicaSourceProblem(db, read.value, writer);
  if (source) return `${member.id} ${source}`;
  if (db.engine === 'rds-instance' && read.value.isReplica === false) return `${member.id} is not a read replica`;
  const lag = db.allowDataLoss ? undefined : lagProblem(db, snapshot?.lags[member.id]);
  return lag ? `${member.id}: ${lag}` : undefined;
}

function lagOf(input: PlannerInput, db: Database, member: DatabaseMember): string {
  const lag = input.databases[db.id]?.lags[member.id];
  return lag?.ok && lag.value !== undefined ? `, lag ${lag.value}s` : '';
}

function replicaRow(
  input: PlannerInput,
  db: Database,
  members: readonly DatabaseMember[],
  resource: string,
  region: string | undefined,
): ReadinessRow {
  const where = region ? ` in ${region}` : '';
  const writer = effectivePrimary(db, input.guardState);
  const problems = members.map((m) => ({ member: m, problem: promotionProblem(input, db, m, writer) }));
  const fit = problems.find((p) => p.problem === undefined);
  const base = { rule: ReadinessRule.databaseReplica, resource, region: region ?? writer.region };
  if (fit)
    return {
      ...base,
      ready: true,
      why: `${fit.member.id} can be promoted${where} (available, replica of ${writer.id}${lagOf(input, db, fit.member)})`,
    };
  if (members.length === 0)
    return {
      ...base,
      ready: false,
      why: `no replica${where} to promote over ${writer.id}`,
      fix: `create a read replica of ${writer.identifier}${where} and add it to ${db.id}'s replicas`,
    };
  return {
    ...base,
    ready: false,
    why: `no replica${where} can be promoted: ${problems.map((p) => p.problem).join('; ')}`,
    fix: `wait for lag under maxLagSeconds (${db.maxLagSeconds}s) or fix the replica; rebuild replicas of ${writer.identifier} where they follow another instance`,
  };
}

export const databaseReadiness: Rule = ({ planner }) =>
  planner.topology.databases.flatMap((db) => {
    const writer = effectivePrimary(db, planner.guardState);
    const others = databaseMembers(db).filter((m) => m.id !== writer.id);
    const rows = [replicaRow(planner, db, others, db.id, undefined)];
    for (const region of standbyRegionsNow(planner).filter((r) => r !== writer.region)) {
      if (db.engine === 'aurora-cluster') {
        rows.push({
          rule: ReadinessRule.databaseReplica,
          resource: `${db.id}@${region}`,
          region,
          ready: false,
          why: `${db.id} is an aurora-cluster: its writer cannot move to ${region}`,
          fix: `make ${db.id} an aurora-global database with a secondary cluster in ${region}`,
        });
        continue;
      }
      const there = others.filter((m) => m.region === region);
      rows.push(replicaRow(planner, db, there, `${db.id}@${region}`, region));
    }
    return rows;
  });
