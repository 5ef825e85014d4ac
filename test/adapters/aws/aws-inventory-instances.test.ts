// listInstancesById, the readiness drift read: only the instances registered behind the topology's target
// groups, by an instance-id filter (an id that no longer exists is left out, not an error), 200 ids a filter,
// every page of each; a refused call is an AccessDeniedError the readiness read reports as "could not check".
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsInventoryAdapter } from '../../../lambdas/adapters/aws/aws-inventory.adapter';
import { RegionalClients } from '../../../lambdas/adapters/aws/regional-clients';
import { AccessDeniedError } from '../../../lambdas/ports/errors';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const adapter = () =>
  new AwsInventoryAdapter({
    route53: new Route53Client({ region: 'us-east-1' }),
    elb: new RegionalClients((region) => new ElasticLoadBalancingV2Client({ region })),
    ec2: new RegionalClients((region) => new EC2Client({ region, maxAttempts: 1 })),
    rds: new RegionalClients((region) => new RDSClient({ region })),
  });

const LIVE = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] };
const idOf = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;

describe('AwsInventoryAdapter.listInstancesById', () => {
  it('asks for exactly those ids (instance-id filter, live states), every page, and maps their addresses', async () => {
    // Prepare: two pages
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          {
            Instances: [
              {
                InstanceId: 'i-0a1b2c3d4e5f60789',
                State: { Name: 'running' },
                PrivateIpAddress: '10.1.0.77',
                PublicIpAddress: '54.0.0.77',
                Tags: [{ Key: 'Name', Value: 'web-new' }],
              },
            ],
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Reservations: [{ Instances: [{ InstanceId: 'i-0fedcba9876543210', State: { Name: 'stopped' } }] }],
      });
    // Act
    const instances = await adapter().listInstancesById('eu-central-1', ['i-0a1b2c3d4e5f60789', 'i-0fedcba9876543210']);
    // Assess
    const ids = { Name: 'instance-id', Values: ['i-0a1b2c3d4e5f60789', 'i-0fedcba9876543210'] };
    expect(ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { Filters: [ids, LIVE], MaxResults: 1000 },
      { Filters: [ids, LIVE], MaxResults: 1000, NextToken: 'page-2' },
    ]);
    expect(instances).toEqual([
      {
        id: 'i-0a1b2c3d4e5f60789',
        state: 'running',
        name: 'web-new',
        privateIps: ['10.1.0.77'],
        publicIps: ['54.0.0.77'],
        ipv6: [],
      },
      { id: 'i-0fedcba9876543210', state: 'stopped', privateIps: [], publicIps: [], ipv6: [] },
    ]);
  });

  it('splits more than 200 ids into filters of 200', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const ids = Array.from({ length: 201 }, (_, n) => idOf(n));
    await adapter().listInstancesById('eu-west-1', ids);
    expect(ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { Filters: [{ Name: 'instance-id', Values: ids.slice(0, 200) }, LIVE], MaxResults: 1000 },
      { Filters: [{ Name: 'instance-id', Values: ids.slice(200) }, LIVE], MaxResults: 1000 },
    ]);
  });

  it('raises AccessDeniedError, naming EC2 and the region, when the caller may not describe instances', async () => {
    const refused = Object.assign(new Error('You are not authorized to perform this operation.'), {
      name: 'UnauthorizedOperation',
      $metadata: { httpStatusCode: 403 },
    });
    ec2.on(DescribeInstancesCommand).rejects(refused);
    await expect(adapter().listInstancesById('eu-west-1', ['i-0a1b2c3d4e5f60789'])).rejects.toSatisfy(
      (e) => e instanceof AccessDeniedError && e.service === 'EC2' && e.resource === 'eu-west-1',
    );
  });
});
