// Which handler executes which action kind: one exhaustive switch over the action union, so a new
// kind does not compile until it has a handler. DNS actions are executed per record (dns.executor),
// so they have none here.
import { createRegionRunbook, heartbeatRestored, promoteStep, runRegionStep } from '../region/region-executor';
import type { PlannedAction } from '../types';
import { executeFence } from './database-fence.executor';
import { executeAbandon, executePromote, executeRepoint } from './database.executor';
import { executeReadinessReport, executeTargetHealthReport } from './report.executor';
import { executeHealthCheckAttach } from './health-check-attachment.executor';
import { unhandledAction, type ActionHandler } from './session';

export function handlerFor(action: PlannedAction): ActionHandler | undefined {
  switch (action.kind) {
    case 'database.promote':
      return (s) => executePromote(s, action);
    case 'database.repoint-writer':
      return (s) => executeRepoint(s, action);
    case 'database.abandon':
      return (s) => executeAbandon(s, action);
    case 'database.fence':
      return (s) => executeFence(s, action);
    case 'load-balancer.targets-unhealthy':
    case 'load-balancer.targets-recovered':
      return (s) => executeTargetHealthReport(s, action);
    case 'readiness.lost':
    case 'readiness.restored':
      return (s) => executeReadinessReport(s, action);
    case 'dns.attach-health-check':
      return (s) => executeHealthCheckAttach(s, action);
    case 'dns.pull':
    case 'dns.restore':
      return undefined;
    case 'region.failover.request-approval':
    case 'region.failover.start':
      return (s) => createRegionRunbook(s, action);
    case 'region.runbook.promote':
      return (s) => promoteStep(s, action);
    case 'region.heartbeat.restored':
      return (s) => heartbeatRestored(s, action);
    case 'region.failover.cancel':
    case 'region.runbook.abort':
    case 'region.runbook.announce':
    case 'region.runbook.move-dns':
    case 'region.runbook.repoint-writer':
    case 'region.runbook.complete':
      return (s) => runRegionStep(s, action);
    default:
      return unhandledAction(action);
  }
}
