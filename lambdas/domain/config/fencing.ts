// How a database's old primary is fenced after a failover, and the config checks that go with it.
import type { Database } from './schema';

export type FenceMode = 'stop' | 'isolate' | 'none';

/**
 * The fence a database gets. rds-instance: "stop" unless configured — it needs nothing more than
 * the instance (RDS restarts a stopped instance after 7 days; the guard stops it again). Aurora:
 * "none" — a cluster failover demotes the old writer to a reader, and a global failover's old
 * primary cluster is rebuilt as a secondary by Aurora when its region returns.
 */
export function fenceMode(db: Database): FenceMode {
  return db.fence ?? (db.engine === 'rds-instance' ? 'stop' : 'none');
}

/** The members whose regions need an isolation security group, for the error message. */
function memberRegions(db: Database): string[] {
  return [...new Set([db.primary, ...db.replicas].map((m) => m.region))];
}

export function checkFence(db: Database, path: string, add: (path: string, message: string) => void): void {
  if (db.engine !== 'rds-instance' && db.fence !== undefined && db.fence !== 'none') {
    add(
      `${path}.fence`,
      `"${db.fence}" applies to rds-instance databases only; ${db.engine} needs "none" (Aurora demotes the old writer itself)`,
    );
    return;
  }
  if (fenceMode(db) === 'isolate') {
    const missing = memberRegions(db).filter((region) => !db.isolationSecurityGroups?.[region]);
    if (missing.length > 0)
      add(
        `${path}.isolationSecurityGroups`,
        `needs a security group for ${missing.join(', ')} (fence "isolate" swaps the old primary's groups for it)`,
      );
  } else if (db.isolationSecurityGroups !== undefined) {
    add(
      `${path}.isolationSecurityGroups`,
      `is used only with fence "isolate" (this database's fence is "${fenceMode(db)}")`,
    );
  }
}
