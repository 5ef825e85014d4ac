import { describe, expect, it } from 'vitest';
import { runCycle } from '../../lambdas/engine';
import { CYCLE_MS, harness, webTopology } from './engine-harness';

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef';
const withLoadBalancer = () =>
  webTopology({
    loadBalancers: [
      {
        id: 'alb-1',
        region: 'eu-west-1',
        targetGroups: [TG],
        probe: { type: 'https', url: 'https://alb.example.com/healthz' },
      },
    ],
  });

describe('load balancer target health', () => {
  it('reports unhealthy targets once per change, and their recovery', async () => {
    // Prepare
    const h = harness(withLoadBalancer());
    await h.cycles(1);
    h.cloud.setTargetHealth(TG, '10.0.0.2', 'unhealthy', 'Target.Timeout');
    // Act
    await h.cycles(3);
    h.cloud.setTargetHealth(TG, '10.0.0.2', 'healthy');
    await h.cycles(2);
    // Assess
    const unhealthy = h.notifications('load-balancer.targets-unhealthy');
    expect(unhealthy).toHaveLength(1);
    expect(unhealthy[0]?.reason).toContain('10.0.0.2:8080 unhealthy (Target.Timeout)');
    expect(unhealthy[0]?.severity).toBe('warning');
    expect(h.notifications('load-balancer.targets-recovered')).toHaveLength(1);
  });

  it('reports a change of target health once when two checkers see it in the same instant', async () => {
    // Prepare
    const h = harness(withLoadBalancer());
    await h.cycles(1);
    h.cloud.setTargetHealth(TG, '10.0.0.2', 'unhealthy', 'Target.Timeout');
    // Act
    for (let i = 0; i < 3; i += 1) {
      await Promise.all(['eu-west-1', 'eu-central-1'].map((checker) => runCycle(h.context({ checker }))));
      h.cloud.advance(CYCLE_MS);
    }
    // Assess
    expect(h.notifications('load-balancer.targets-unhealthy')).toHaveLength(1);
    expect(h.notifications().filter((n) => n.eventType.startsWith('load-balancer.'))).toHaveLength(1);
  });
});
