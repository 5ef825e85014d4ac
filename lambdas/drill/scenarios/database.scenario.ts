// The primary database dies: its listener closes and RDS reports it failed. The guard confirms,
// promotes the best replica and repoints the writer CNAME (seen by a real DNS query).
import type { Database, DatabaseMember } from '../../domain/config/schema';
import { expectOutcome, healthyStart, injectFault, list, type Scenario } from './scenario';

/** The replica the guard should choose when lags are equal: lowest promotion priority, then the primary's region. */
function expectedCandidate(db: Database): DatabaseMember | undefined {
  return [...db.replicas].sort(
    (a, b) =>
      a.promotionPriority - b.promotionPriority ||
      Number(b.region === db.primary.region) - Number(a.region === db.primary.region),
  )[0];
}

export const primaryDatabaseDown: Scenario = {
  name: 'primary-db-down',
  summary: 'kill the primary database: the best replica is promoted and the writer CNAME repointed',
  async run(session, recordResult) {
    const db = session.topology.databases[0];
    if (!db)
      throw new Error(`the drill topology "${session.topology.name}" has no database; add one to run this scenario`);
    const primary = db.primary;
    const candidate = expectedCandidate(db);
    const fault = `kill primary database ${primary.id}`;
    if (!candidate) throw new Error(`database "${db.id}" has no replica to promote; add one to run this scenario`);
    const notHealthy = await healthyStart(session, this.name, fault);
    if (notHealthy) return recordResult(notHealthy);
    const killedAt = await injectFault(
      session,
      `closed ${primary.id}'s listener and marked ${primary.identifier} failed in RDS`,
      async () => {
        await session.world.stop(primary.id);
        session.cloud.failInstance(primary.identifier, 'failed', primary.region);
      },
    );
    recordResult(
      await expectOutcome(session, {
        scenario: this.name,
        fault,
        expected: `${candidate.id} promoted, ${db.writerDns.name} → ${candidate.endpoint.host}`,
        faultAtMs: killedAt,
        detect: { targetIds: [primary.id], to: 'UNHEALTHY' },
        withinCycles: session.topology.checks.failureThreshold + 8,
        extraMs: session.cloud.database.timings.promotionMs,
        check: async () => {
          const writer = await session.query(db.writerDns.name, 'CNAME');
          const state = await session.cloud.database.describeInstance(candidate.region, candidate.identifier);
          const isPrimary =
            state !== undefined && state.replicaSourceIdentifier === undefined && state.status === 'available';
          return {
            met: isPrimary && writer.length === 1 && writer[0] === candidate.endpoint.host,
            seen: `${candidate.identifier} ${state ? `${state.status}${state.replicaSourceIdentifier ? `, replica of ${state.replicaSourceIdentifier}` : ', standalone'}` : 'missing'}; ${db.writerDns.name} CNAME ${list(writer)}`,
          };
        },
      }),
    );
  },
};
