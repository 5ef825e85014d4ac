// Which handler executes which action kind. DNS actions are executed per record (dns.executor), so
// they are not here. Extension action kinds (region.*) register their handler in extensionHandlers.
import { regionActionHandlers } from '../region/region-executor';
import type { ExtensionAction, PlannedAction } from '../types';
import { executeFence } from './database-fence.executor';
import { executeAbandon, executePromote, executeRepoint } from './database.executor';
import { executeReadinessReport, executeTargetHealthReport } from './report.executor';
import { executeHealthCheckAttach } from './health-check-attachment.executor';
import type { ActionHandler } from './session';

/** Handlers of extension actions by exact kind (e.g. "region.promote-database"). */
const extensionHandlers: Record<string, ActionHandler<ExtensionAction>> = { ...regionActionHandlers };

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
    default: {
      const handler = extensionHandlers[action.kind];
      return handler ? (s) => handler(s, action) : undefined;
    }
  }
}
