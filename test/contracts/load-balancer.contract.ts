// The load balancer port's contract: target health as ELBv2's DescribeTargetHealth reports it; run
// against each lane by load-balancer.contract.test.ts.
import { describe, expect, it } from 'vitest';
import { CloudCallError } from '../../lambdas/ports/errors';
import type { LoadBalancerPort } from '../../lambdas/ports/load-balancer.port';
import { type Differences, contractCase } from './lanes/differences';

export interface LoadBalancerLane {
  readonly port: LoadBalancerPort;
  /** Registers targets in a target group (creating it), with their health as the load balancer sees it. */
  register(
    targetGroupArn: string,
    targets: readonly { targetId: string; port: number; state: string; reason?: string; description?: string }[],
  ): void;
}

export type LoadBalancerCase =
  | 'reports each target with its port and state'
  | 'reports why a target is unhealthy'
  | 'fails on a target group that does not exist'
  | 'fails on a target group asked for in another region';

const TARGET_GROUP = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef';

/** Registers the load balancer contract's cases for one lane. */
export function loadBalancerContract(
  lane: string,
  open: () => Promise<LoadBalancerLane>,
  differences: Differences<LoadBalancerCase> = {},
): void {
  const test = (name: LoadBalancerCase, body: () => Promise<void>) => contractCase(it, name, differences, body);
  const byId = <T extends { targetId: string }>(targets: readonly T[]) =>
    [...targets].sort((a, b) => a.targetId.localeCompare(b.targetId));

  describe(`load balancer contract: ${lane}`, () => {
    test('reports each target with its port and state', async () => {
      const { port, register } = await open();
      register(TARGET_GROUP, [
        { targetId: '10.0.0.1', port: 443, state: 'healthy' },
        { targetId: '10.0.0.2', port: 443, state: 'healthy' },
      ]);
      expect(byId(await port.describeTargetHealth('eu-west-1', TARGET_GROUP))).toEqual([
        { targetId: '10.0.0.1', port: 443, state: 'healthy' },
        { targetId: '10.0.0.2', port: 443, state: 'healthy' },
      ]);
    });

    test('reports why a target is unhealthy', async () => {
      const { port, register } = await open();
      const failing = {
        targetId: '10.0.0.2',
        port: 443,
        state: 'unhealthy',
        reason: 'Target.Timeout',
        description: 'Request timed out',
      };
      register(TARGET_GROUP, [{ targetId: '10.0.0.1', port: 443, state: 'healthy' }, failing]);
      expect(byId(await port.describeTargetHealth('eu-west-1', TARGET_GROUP))).toEqual([
        { targetId: '10.0.0.1', port: 443, state: 'healthy' },
        failing,
      ]);
    });

    test('fails on a target group that does not exist', async () => {
      const { port, register } = await open();
      register(TARGET_GROUP, [{ targetId: '10.0.0.1', port: 443, state: 'healthy' }]);
      const missing = TARGET_GROUP.replace('/web/', '/gone/');
      await expect(port.describeTargetHealth('eu-west-1', missing)).rejects.toSatisfy(
        (e) => e instanceof CloudCallError && !e.retryable && /TargetGroupNotFound/.test(e.message),
      );
    });

    test('fails on a target group asked for in another region', async () => {
      const { port, register } = await open();
      register(TARGET_GROUP, [{ targetId: '10.0.0.1', port: 443, state: 'healthy' }]);
      await expect(port.describeTargetHealth('us-east-1', TARGET_GROUP)).rejects.toSatisfy(
        (e) => e instanceof CloudCallError && !e.retryable && /TargetGroupNotFound/.test(e.message),
      );
    });
  });
}
