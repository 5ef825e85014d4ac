// Puts a region's health check on one record set: one compare-and-swap batch that DELETEs exactly the set
// read and CREATEs it with the check. A set changed since it was read makes Route 53 refuse the batch, so a
// concurrent edit is never overwritten: the set is read again and, while it still carries no health check
// (a DNS healing edit of its weight came first), the batch is rebuilt from that read, a bounded number of times.
import type { RecordSet } from '../../ports/dns.port';
import { DnsConflictError } from '../../ports/errors';
import { attachmentChanges } from '../health-check-attachments';
import type { HealthCheckAttachAction } from '../types';
import { sessionTime, updateSessionGuard, withDnsChange, type ExecutionSession, type HandlerResult } from './session';

export async function executeHealthCheckAttach(
  session: ExecutionSession,
  action: HealthCheckAttachAction,
): Promise<HandlerResult> {
  const { dns } = session.ctx.ports;
  const { name, type } = action.before;
  const hostedZoneId = session.ctx.topology.dns.find((r) => r.id === action.recordId)?.hostedZoneId;
  if (hostedZoneId === undefined) throw new Error(`record "${action.recordId}" is no longer in the topology`);
  const where = `${name} ${type} "${action.setIdentifier}"`;
  const comment = `failover-guard ${session.plan.id}: attach health check ${action.healthCheckId} to ${action.setIdentifier}`;
  let before: RecordSet = action.before;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await dns.changeRecordSets(
        hostedZoneId,
        attachmentChanges({ before, after: { ...before, healthCheckId: action.healthCheckId } }),
        comment,
      );
      break;
    } catch (error) {
      if (!(error instanceof DnsConflictError)) throw error;
      const now = (await dns.listRecordSets(hostedZoneId, name, type)).find(
        (s) => s.setIdentifier === action.setIdentifier,
      );
      if (now?.healthCheckId === action.healthCheckId)
        return { outcome: 'skipped', detail: `${where} already carries ${action.healthCheckId}`, superseded: true };
      if (!now || now.healthCheckId !== undefined || attempt >= session.options.dnsConflictRetries) {
        const found = !now
          ? 'it is gone'
          : now.healthCheckId !== undefined
            ? `it now carries ${now.healthCheckId}`
            : 'it kept changing';
        throw new Error(
          `${where} changed since it was read and ${found} (${error.message}); left unchanged, re-planned next cycle`,
          {
            cause: error,
          },
        );
      }
      before = now;
    }
  }
  const windowSeconds = session.ctx.topology.guard.maxDnsChanges.windowSeconds;
  await updateSessionGuard(session, (s) => withDnsChange(s, sessionTime(session), windowSeconds));
  return {
    outcome: 'applied',
    detail: `${where} now carries health check ${action.healthCheckId} (compare-and-swap batch)`,
    details: { setIdentifier: action.setIdentifier, healthCheckId: action.healthCheckId },
  };
}
