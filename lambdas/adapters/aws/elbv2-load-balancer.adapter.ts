// LoadBalancerPort over ELBv2: target health as the load balancer sees it.
import {
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LbTargetHealth, LoadBalancerPort } from '../../ports/load-balancer.port';
import { callAws } from './cloud-errors';
import type { RegionalClients } from './regional-clients';

export class Elbv2LoadBalancerAdapter implements LoadBalancerPort {
  constructor(private readonly clients: RegionalClients<ElasticLoadBalancingV2Client>) {}

  async describeTargetHealth(region: string, targetGroupArn: string): Promise<LbTargetHealth[]> {
    const result = await callAws('Elastic Load Balancing', 'DescribeTargetHealth', targetGroupArn, () =>
      this.clients.get(region).send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
    );
    return (result.TargetHealthDescriptions ?? []).map((d) => ({
      targetId: d.Target?.Id ?? '',
      ...(d.Target?.Port !== undefined ? { port: d.Target.Port } : {}),
      state: d.TargetHealth?.State ?? 'unavailable',
      ...(d.TargetHealth?.Reason !== undefined ? { reason: d.TargetHealth.Reason } : {}),
      ...(d.TargetHealth?.Description !== undefined ? { description: d.TargetHealth.Description } : {}),
    }));
  }
}
