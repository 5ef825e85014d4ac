// Readiness of the guard itself and of the topology it works from: a fresh heartbeat from every
// guard region (a region failover needs a checker outside the dark region), and no drift between
// the topology and the account (a record, record set, instance or replica deleted or added).
import { guardRegions } from '../../domain/config/targets';
import { heartbeats, runningSince } from '../region/heartbeats';
import { databaseMembers } from '../../domain/config/targets';
import type { PlannerInput } from '../types';
import { ReadinessRule, type ReadinessRow } from '../../domain/readiness/readiness-report';
import type { Rule } from './readiness';

/**
 * A fresh heartbeat from every guard region. A region never seen is judged only once this checker has
 * run for heartbeatStaleSeconds: a fresh deployment's other regions get their first cycle first.
 */
export const guardHeartbeatReadiness: Rule = ({ planner }) => {
  const now = new Date(planner.now);
  const staleSeconds = planner.topology.guard.heartbeatStaleSeconds;
  const ownStart = runningSince(planner.views.find((v) => v.checker === planner.checker));
  const judgeUnseen = ownStart !== undefined && now.getTime() - ownStart.getTime() >= staleSeconds * 1000;
  return heartbeats(guardRegions(planner.topology), planner.views, now, staleSeconds)
    .filter((beat) => beat.lastSeen !== undefined || judgeUnseen)
    .map((beat): ReadinessRow => {
      const base = { rule: ReadinessRule.guardHeartbeat, resource: beat.checker, region: beat.checker };
      if (beat.live) return { ...base, ready: true, why: `heartbeat ${beat.ageSeconds ?? 0}s ago` };
      return {
        ...base,
        ready: false,
        why: beat.lastSeen
          ? `heartbeat ${beat.ageSeconds}s old, over heartbeatStaleSeconds ${planner.topology.guard.heartbeatStaleSeconds}`
          : 'no heartbeat ever written: the guard does not run there',
        fix: `deploy the guard to ${beat.checker} (cdk deploy) or see its HeartbeatMissing alarm`,
      };
    });
};

function drifted(resource: string, region: string | undefined, why: string, fix: string): ReadinessRow {
  return { rule: ReadinessRule.drift, resource, ...(region ? { region } : {}), ready: false, why, fix };
}

/** Records deleted from their zone, and record sets the account holds that the topology does not name. */
function recordDrift(planner: PlannerInput): ReadinessRow[] {
  return planner.topology.dns.flatMap((record) => {
    const read = planner.records[record.id];
    if (!read?.ok) return [];
    if (read.value.length === 0)
      return [
        drifted(
          record.name,
          undefined,
          `${record.name} ${record.type} is in the topology but not in zone ${record.hostedZoneId}`,
          'recreate the record, or remove it from the topology',
        ),
      ];
    if (record.routing === 'ip-set') return [];
    const named = new Set(record.targets.map((t) => t.setIdentifier ?? t.endpoint));
    return read.value
      .filter((s) => s.setIdentifier !== undefined && !named.has(s.setIdentifier))
      .map((s) =>
        drifted(
          `${record.name} [${s.setIdentifier}]`,
          undefined,
          `record set ${s.setIdentifier} is in the zone but not in the topology: the guard never pulls or moves it`,
          "add it to the record's targets, or delete it from the zone",
        ),
      );
  });
}

/** Database members deleted in RDS, and read replicas RDS lists that the topology does not name. */
function databaseDrift(planner: PlannerInput): ReadinessRow[] {
  return planner.topology.databases.flatMap((db) => {
    const snapshot = planner.databases[db.id];
    if (!snapshot) return [];
    const members = databaseMembers(db);
    const known = new Set(members.map((m) => `${m.region}/${m.identifier}`));
    return members.flatMap((m) => {
      const read = snapshot.members[m.id];
      if (!read?.ok) return [];
      if (!read.value.exists)
        return [
          drifted(
            m.id,
            m.region,
            `${m.identifier} is in the topology (${db.id}) but not in RDS in ${m.region}`,
            `remove ${m.id} from ${db.id}, or recreate it`,
          ),
        ];
      return (read.value.replicas ?? [])
        .filter((r) => !known.has(`${r.region}/${r.identifier}`))
        .map((r) =>
          drifted(
            `${r.identifier}@${r.region}`,
            r.region,
            `${r.identifier} replicates from ${m.identifier} but is not in the topology: the guard never promotes it`,
            `add it to ${db.id}'s replicas, or delete it`,
          ),
        );
    });
  });
}

export const driftReadiness: Rule = ({ planner }) => {
  const rows = [...recordDrift(planner), ...databaseDrift(planner)];
  if (rows.length > 0) return rows;
  return [
    {
      rule: ReadinessRule.drift,
      resource: planner.topology.name,
      ready: true,
      why: 'every record, record set and database member of the topology is in the account, and no unknown one',
    },
  ];
};
