// Tells when readiness is lost and when it returns, once per change of the not-ready set (not every
// cycle). Evaluated in the cycles that carry readiness evidence (once per readinessCheckSeconds);
// only the designated checker reports, so checkers that see a little differently never take turns.
import { designatedActor } from '../planners/database-failover.planner';
import type { PlannerInput, ReadinessReportAction, SubPlanner } from '../types';
import { readinessRows } from './evaluate-readiness';
import {
  readinessFailures,
  readinessKey,
  sameFailures,
  type ReadinessFailure,
} from '../../domain/readiness/readiness-report';

function describe(failures: readonly ReadinessFailure[]): string {
  return failures.map((f) => `${f.rule} ${f.resource}: ${f.why}`).join('; ');
}

export const readinessPlanner: SubPlanner = (input: PlannerInput) => {
  if (!input.readiness || designatedActor(input) !== input.checker) return { actions: [], alerts: [] };
  const notReady = readinessFailures(readinessRows(input));
  const reported = input.guardState.readiness.notReady;
  if (sameFailures(notReady, reported)) return { actions: [], alerts: [] };
  const lost = notReady.length > 0;
  const back = reported.filter((r) => !notReady.some((n) => readinessKey(n) === readinessKey(r)));
  const action: ReadinessReportAction = {
    kind: lost ? 'readiness.lost' : 'readiness.restored',
    notReady,
    reported,
    resource: input.topology.name,
    region: input.checker,
    reason: lost
      ? `not ready: ${notReady.length} check(s) fail — ${describe(notReady)}${back.length > 0 ? `; ready again: ${back.map(readinessKey).join(', ')}` : ''}`
      : `ready again: every readiness check passes (${back.map(readinessKey).join(', ')} recovered)`,
    before: reported.map(readinessKey),
    after: notReady.map(readinessKey),
    key: 'readiness',
  };
  return { actions: [action], alerts: [] };
};
