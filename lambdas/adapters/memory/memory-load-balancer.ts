// In-memory ELBv2 target groups: target health as DescribeTargetHealth reports it, settable by tests.
import { CloudCallError } from '../../ports/errors';
import type { LbTargetHealth, LoadBalancerPort } from '../../ports/load-balancer.port';
import { awsError, type FaultInjector } from './faults';
import { StaleReads } from './stale-reads';

export class MemoryLoadBalancer implements LoadBalancerPort {
  private readonly groups = new Map<string, Map<string, LbTargetHealth>>();

  /** `staleReads`: target health that lags registration and health changes. @default - never stale */
  constructor(
    private readonly faults: FaultInjector,
    private readonly staleReads: StaleReads = new StaleReads(() => new Date()),
  ) {}

  /** Registers targets (healthy) in a target group, creating the group if needed. */
  addTargets(targetGroupArn: string, targets: readonly { targetId: string; port?: number }[]): void {
    const group = this.groups.get(targetGroupArn) ?? new Map<string, LbTargetHealth>();
    this.staleReads.changing('Elastic Load Balancing', targetGroupArn, () => [...group.values()]);
    this.groups.set(targetGroupArn, group);
    for (const t of targets) group.set(t.targetId, { ...t, state: 'healthy' });
  }

  /** Deregisters targets from a target group (gone at once: no deregistration delay). */
  removeTargets(targetGroupArn: string, targetIds: readonly string[]): void {
    const group = this.groups.get(targetGroupArn);
    if (!group) return;
    this.staleReads.changing('Elastic Load Balancing', targetGroupArn, () => [...group.values()]);
    for (const id of targetIds) group.delete(id);
  }

  setTargetHealth(
    targetGroupArn: string,
    targetId: string,
    state: string,
    reason?: string,
    description?: string,
  ): void {
    const group = this.groups.get(targetGroupArn);
    const current = group?.get(targetId);
    if (!group || !current)
      throw new Error(`in-memory cloud: target ${targetId} is not registered in ${targetGroupArn}`);
    this.staleReads.changing('Elastic Load Balancing', targetGroupArn, () => [...group.values()]);
    group.set(targetId, {
      targetId,
      ...(current.port !== undefined ? { port: current.port } : {}),
      state,
      ...(reason !== undefined ? { reason } : {}),
      ...(description !== undefined ? { description } : {}),
    });
  }

  /** The targets registered in a group, as an observer outside the guard sees them (no fault applies). */
  targetsOf(targetGroupArn: string): LbTargetHealth[] {
    return [...(this.groups.get(targetGroupArn)?.values() ?? [])].map((t) => ({ ...t }));
  }

  async describeTargetHealth(region: string, targetGroupArn: string): Promise<LbTargetHealth[]> {
    this.faults.check('describeTargetHealth', targetGroupArn, region);
    const group = this.groups.get(targetGroupArn);
    // Target group ARNs are regional: asking another region's API does not find them.
    if (!group || targetGroupArn.split(':')[3] !== region) {
      throw new CloudCallError(
        'describeTargetHealth',
        targetGroupArn,
        awsError('TargetGroupNotFoundException', `Target group '${targetGroupArn}' not found in ${region}`),
        false,
      );
    }
    return this.staleReads.read('Elastic Load Balancing', targetGroupArn, [...group.values()]).map((t) => ({ ...t }));
  }
}
