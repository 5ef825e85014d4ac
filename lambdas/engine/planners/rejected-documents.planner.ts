// Stored documents that failed their check this cycle (damaged, of a newer guard, or foreign): each
// is reported once for every checker while it stays rejected, and nothing acts on it meanwhile.
import type { SubPlanner } from '../types';

export const rejectedDocumentsPlanner: SubPlanner = (input) => ({
  actions: [],
  alerts: (input.rejectedDocuments ?? []).map((rejection) => ({
    key: `state.document-rejected:${rejection.key}`,
    eventType: 'state.document-rejected' as const,
    severity: 'critical' as const,
    resource: `state document ${rejection.key}`,
    about: rejection.key,
    reason: `state document ${rejection.key} was rejected and is not acted on: ${rejection.issue}. Read it from the state table (pk/sk = ${rejection.key.replace('/', ' / ')}), then repair or delete it (see docs/operations.md, "A rejected state document")`,
    details: { document: rejection.key, issue: rejection.issue },
  })),
});
