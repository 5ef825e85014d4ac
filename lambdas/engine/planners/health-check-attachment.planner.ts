// Keeps the region health checks on the sets of the records marked `dataPlaneFailover`, whenever their
// record sets are read (the drift read at the latest): a set without its check gets it, a set carrying
// another check is reported and left alone. Sets that are missing, unread or of a region whose check
// another guard region's stack holds are left to that stack and to readiness.
import { describeAttachmentSet, planHealthCheckAttachments } from '../health-check-attachments';
import type { HealthCheckAttachAction, PlanAlert, SubPlanner } from '../types';

export const healthCheckAttachmentPlanner: SubPlanner = (input) => {
  const actions: HealthCheckAttachAction[] = [];
  const alerts: PlanAlert[] = [];
  const healthChecks = input.regionHealthChecks ?? {};
  if (Object.keys(healthChecks).length === 0) return { actions, alerts };
  for (const attachment of planHealthCheckAttachments({
    topology: input.topology,
    records: input.records,
    healthChecks,
  })) {
    const resource = `${attachment.name} ${attachment.type}`;
    const region = attachment.region ?? '';
    if (attachment.status === 'attach') {
      actions.push({
        kind: 'dns.attach-health-check',
        resource,
        region,
        key: `attach:${attachment.recordId}:${attachment.setIdentifier}`,
        reason: `${describeAttachmentSet(attachment)} carries no health check; ${region}'s (${attachment.healthCheckId}) lets Route 53 move traffic off ${region} when it goes dark`,
        recordId: attachment.recordId,
        setIdentifier: attachment.setIdentifier,
        healthCheckId: attachment.healthCheckId,
        before: attachment.before,
        after: attachment.after,
      });
    } else if (attachment.status === 'foreign') {
      alerts.push({
        key: `health-check-foreign:${attachment.recordId}:${attachment.setIdentifier}:${attachment.foreignHealthCheckId}`,
        eventType: 'dns.health-check-foreign',
        severity: 'warning',
        resource,
        region,
        about: attachment.setIdentifier,
        reason: `${describeAttachmentSet(attachment)} carries health check ${attachment.foreignHealthCheckId}, not the guard's ${attachment.healthCheckId} for ${region}; left unchanged. Route 53 fails this set over on that check, not on the guard's judgement: remove it from the set (the guard then attaches its own), or unmark the record (dataPlaneFailover)`,
        details: {
          setIdentifier: attachment.setIdentifier,
          foreignHealthCheckId: attachment.foreignHealthCheckId,
          guardHealthCheckId: attachment.healthCheckId,
        },
      });
    }
  }
  return { actions, alerts };
};
