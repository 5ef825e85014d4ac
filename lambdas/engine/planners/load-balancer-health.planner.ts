// Load balancer target health: the load balancer already routes around an unhealthy target; the
// guard tells, once per change of the unhealthy set (not every cycle).
import type { LbTargetHealth } from '../../ports/load-balancer.port';
import type { LoadBalancerReportAction, PlanAlert, SubPlanner } from '../types';

/** States in which a registered target cannot serve; initial, draining and unused are not failures. */
const FAILING_STATES = new Set(['unhealthy', 'unhealthy.draining', 'unavailable']);

function describeUnhealthyTargets(targets: readonly LbTargetHealth[]): string[] {
  return targets
    .filter((t) => FAILING_STATES.has(t.state))
    .map((t) => `${t.targetId}${t.port ? `:${t.port}` : ''} ${t.state}${t.reason ? ` (${t.reason})` : ''}`)
    .sort();
}

export const loadBalancerHealthPlanner: SubPlanner = (input) => {
  const actions: LoadBalancerReportAction[] = [];
  const alerts: PlanAlert[] = [];
  for (const lb of input.topology.loadBalancers) {
    for (const arn of lb.targetGroups) {
      const read = input.targetGroups[arn];
      if (!read) continue;
      if (!read.ok) {
        alerts.push({
          key: `load-balancer.read-failed:${arn}`,
          eventType: 'load-balancer.read-failed',
          severity: 'warning',
          resource: arn,
          region: lb.region,
          about: lb.id,
          reason: `cannot read target health of ${lb.id}: ${read.error}`,
        });
        continue;
      }
      const unhealthy = describeUnhealthyTargets(read.value);
      const before = input.guardState.reportedTargetHealth[arn] ?? [];
      if (unhealthy.join('\n') === before.join('\n')) continue;
      const recovered = unhealthy.length === 0;
      actions.push({
        kind: recovered ? 'load-balancer.targets-recovered' : 'load-balancer.targets-unhealthy',
        targetGroupArn: arn,
        unhealthy,
        reported: before,
        resource: arn,
        region: lb.region,
        reason: recovered
          ? `every target of ${lb.id} is healthy again`
          : `${lb.id} reports ${unhealthy.length} unhealthy target(s): ${unhealthy.join(', ')}; the load balancer routes around them`,
        before,
        after: unhealthy,
        key: `load-balancer:${arn}`,
      });
    }
  }
  return { actions, alerts };
};
