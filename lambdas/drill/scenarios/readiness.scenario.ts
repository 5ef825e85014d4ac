// Readiness: the standby replica falls behind. Nothing is down, yet a region failover now could not
// promote it without losing writes: the guard says "not ready" once, and "ready again" once the lag is back.
import type { Notification } from '../../ports/notifier.port';
import type { DrillSession } from '../drill-session';
import { expectOutcome, healthyStart, injectFault, type Scenario, type Seen } from './scenario';

/** The first notice of `eventType` among those published after the first `after`. */
function noticeAfter(session: DrillSession, eventType: string, after: number): Notification | undefined {
  return session.cloud.notifier.outbox.slice(after).find((n) => n.eventType === eventType);
}

/** Met once a notice of `eventType` naming `resource` is published after the first `after`. */
function told(session: DrillSession, eventType: string, after: number, resource: string): Seen {
  const notice = noticeAfter(session, eventType, after);
  if (!notice) return { met: false, seen: `no ${eventType} notice yet` };
  return { met: notice.reason.includes(resource), seen: `${eventType}: ${notice.subject}` };
}

export const replicaLagging: Scenario = {
  name: 'replica-lagging',
  summary: "the standby's replica lags over maxLagSeconds: not ready for failover, then ready again",
  async run(session, recordResult) {
    const db = session.topology.databases[0];
    const primaryRegion = db?.primary.region;
    const replica = db?.replicas.find((m) => m.region !== primaryRegion);
    if (!db || !replica)
      throw new Error(
        `the drill topology "${session.topology.name}" has no database with a replica in another region; add one to run this scenario`,
      );
    const lagging = db.maxLagSeconds + 90;
    const fault = `${replica.id} lags ${lagging} s (maxLagSeconds ${db.maxLagSeconds})`;
    const notHealthy = await healthyStart(session, this.name, fault);
    if (notHealthy) return recordResult(notHealthy);
    const resource = `${db.id}@${replica.region}`;
    let before = session.cloud.notifier.outbox.length;
    const laggedAt = await injectFault(session, `${replica.identifier} now lags ${lagging} s in RDS`, () =>
      session.cloud.setLag(replica.identifier, lagging, replica.region),
    );
    recordResult(
      await expectOutcome(session, {
        scenario: this.name,
        fault,
        expected: `readiness.lost naming ${resource}`,
        faultAtMs: laggedAt,
        withinCycles: 4,
        check: async () => told(session, 'readiness.lost', before, resource),
      }),
    );
    before = session.cloud.notifier.outbox.length;
    const caughtUpAt = await injectFault(session, `${replica.identifier} caught up (lag 0 s)`, () =>
      session.cloud.setLag(replica.identifier, 0, replica.region),
    );
    recordResult(
      await expectOutcome(session, {
        scenario: this.name,
        fault: `${replica.id} caught up`,
        expected: 'readiness.restored: ready for failover again',
        faultAtMs: caughtUpAt,
        withinCycles: 4,
        check: async () => told(session, 'readiness.restored', before, resource),
      }),
    );
  },
};
