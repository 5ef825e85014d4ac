// The load balancer contract run against the in-memory target groups and the ELBv2 adapter over
// ELBv2's wire answers (aws-sdk-client-mock), one mocked client per region as the adapter keeps them.
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  TargetGroupNotFoundException,
  type TargetHealthDescription,
  type TargetHealthReasonEnum,
  type TargetHealthStateEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { Elbv2LoadBalancerAdapter } from '../../lambdas/adapters/aws/elbv2-load-balancer.adapter';
import { RegionalClients } from '../../lambdas/adapters/aws/regional-clients';
import { FaultInjector } from '../../lambdas/adapters/memory/faults';
import { MemoryLoadBalancer } from '../../lambdas/adapters/memory/memory-load-balancer';
import { loadBalancerContract } from './load-balancer.contract';

loadBalancerContract('in-memory cloud', async () => {
  const lb = new MemoryLoadBalancer(new FaultInjector());
  return {
    port: lb,
    register: (arn, targets) => {
      lb.addTargets(arn, targets);
      for (const t of targets) lb.setTargetHealth(arn, t.targetId, t.state, t.reason, t.description);
    },
  };
});

loadBalancerContract('ELBv2 adapter over aws-sdk-client-mock', async () => {
  // Target groups by ARN; a region's API knows only the groups whose ARN names that region.
  const groups = new Map<string, TargetHealthDescription[]>();
  const clientFor = (region: string) => {
    const client = new ElasticLoadBalancingV2Client({ region });
    mockClient(client)
      .on(DescribeTargetHealthCommand)
      .callsFake((input: { TargetGroupArn: string }) => {
        const group = groups.get(input.TargetGroupArn);
        if (!group || input.TargetGroupArn.split(':')[3] !== region) {
          throw new TargetGroupNotFoundException({
            message: `Target groups '${input.TargetGroupArn}' not found`,
            $metadata: { httpStatusCode: 400 },
          });
        }
        return { TargetHealthDescriptions: structuredClone(group) };
      });
    return client;
  };
  return {
    port: new Elbv2LoadBalancerAdapter(new RegionalClients(clientFor)),
    register: (arn, targets) =>
      groups.set(
        arn,
        targets.map((t) => ({
          Target: { Id: t.targetId, Port: t.port },
          HealthCheckPort: String(t.port),
          TargetHealth: {
            State: t.state as TargetHealthStateEnum,
            ...(t.reason !== undefined ? { Reason: t.reason as TargetHealthReasonEnum } : {}),
            ...(t.description !== undefined ? { Description: t.description } : {}),
          },
        })),
      ),
  };
});
