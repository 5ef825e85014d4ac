import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { Elbv2LoadBalancerAdapter } from '../../../lambdas/adapters/aws/elbv2-load-balancer.adapter';
import { RegionalClients } from '../../../lambdas/adapters/aws/regional-clients';
import { CloudCallError } from '../../../lambdas/ports/errors';

const elb = mockClient(ElasticLoadBalancingV2Client);
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef';
const adapter = () =>
  new Elbv2LoadBalancerAdapter(new RegionalClients((region) => new ElasticLoadBalancingV2Client({ region })));

afterEach(() => elb.reset());

describe('Elbv2LoadBalancerAdapter', () => {
  it('reports each target with its state, reason and description', async () => {
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: '10.0.0.1', Port: 8080 }, TargetHealth: { State: 'healthy' } },
        {
          Target: { Id: 'i-0abc', Port: 80 },
          TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' },
        },
      ],
    });
    expect(await adapter().describeTargetHealth('eu-west-1', TG)).toEqual([
      { targetId: '10.0.0.1', port: 8080, state: 'healthy' },
      { targetId: 'i-0abc', port: 80, state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' },
    ]);
    expect(elb.commandCalls(DescribeTargetHealthCommand)[0]!.args[0].input).toEqual({ TargetGroupArn: TG });
  });

  it('names the target group when it is not found', async () => {
    elb.on(DescribeTargetHealthCommand).rejects(
      new TargetGroupNotFoundException({
        message: 'One or more target groups not found',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(adapter().describeTargetHealth('eu-west-1', TG)).rejects.toSatisfy(
      (e) => e instanceof CloudCallError && !e.retryable && e.resource === TG && /TargetGroupNotFound/.test(e.message),
    );
  });
});
