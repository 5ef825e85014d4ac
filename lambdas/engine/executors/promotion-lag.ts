// Lag is re-read right before any promotion call: a plan (or an approved region runbook) may have
// chosen its candidate minutes ago, and promoting a replica that fell behind since loses the writes
// it has not replayed. One GetMetricData call per promotion.
import type { Database, DatabaseMember } from '../../domain/config/schema';
import type { GuardPorts } from '../types';
import { errorMessage } from '../../domain/errors';

/**
 * Why `member` must not be promoted now, from its lag read this moment; undefined when it may.
 * `unknownLagBlocks`: the database planner never promotes on unknown lag; the region runbook's
 * standby choice accepts it (a replica of a dark primary may stop reporting).
 */
export async function lagProblemNow(
  ports: GuardPorts,
  db: Database,
  member: DatabaseMember,
  unknownLagBlocks: boolean,
): Promise<string | undefined> {
  if (db.allowDataLoss) return undefined;
  let lag: number | undefined;
  try {
    lag = await ports.database.replicaLagSeconds(member.region, member.identifier, db.engine);
  } catch (error) {
    return unknownLagBlocks
      ? `replica lag of ${member.id} could not be re-read before promoting it: ${errorMessage(error)}`
      : undefined;
  }
  if (lag === undefined)
    return unknownLagBlocks ? `replica lag of ${member.id} is unknown when re-read before promoting it` : undefined;
  return lag > db.maxLagSeconds
    ? `${member.id} lags ${lag} s when re-read before promoting it, over maxLagSeconds ${db.maxLagSeconds} (allowDataLoss is off)`
    : undefined;
}
