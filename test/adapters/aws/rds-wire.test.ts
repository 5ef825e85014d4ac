// RDS answers in its query protocol with its own error codes (DBInstanceNotFound, not the SDK's
// DBInstanceNotFoundFault class name): a real client over a scripted HTTP handler (no network) shows
// the adapter reads them as AWS sends them.
import { Readable } from 'node:stream';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { RdsDatabaseAdapter } from '../../../lambdas/adapters/aws/rds-database.adapter';
import { RegionalClients } from '../../../lambdas/adapters/aws/regional-clients';
import { CloudCallError } from '../../../lambdas/ports/errors';

const RDS_NS = 'http://rds.amazonaws.com/doc/2014-10-31/';

const rdsError = (code: string, message: string) =>
  `<ErrorResponse xmlns="${RDS_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;

function adapterAnswering(status: number, body: string) {
  const requestHandler = {
    handle: async () => ({
      response: {
        statusCode: status,
        reason: '',
        headers: { 'content-type': 'text/xml' },
        body: Readable.from([Buffer.from(body)]),
      },
    }),
  };
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
  return new RdsDatabaseAdapter({
    rds: new RegionalClients((region) => new RDSClient({ region, maxAttempts: 1, credentials, requestHandler })),
    cloudWatch: new RegionalClients((region) => new CloudWatchClient({ region, credentials })),
  });
}

describe('RdsDatabaseAdapter against RDS wire answers', () => {
  it('reads the DBInstanceNotFound error code (HTTP 404) as an instance that does not exist', async () => {
    const adapter = adapterAnswering(404, rdsError('DBInstanceNotFound', 'DBInstance orders-gone not found.'));
    expect(await adapter.describeInstance('eu-west-1', 'orders-gone')).toBeUndefined();
  });

  it('reports InvalidDBInstanceState as retryable, naming the instance', async () => {
    const adapter = adapterAnswering(
      400,
      rdsError('InvalidDBInstanceState', 'Instance orders-replica-1 is not in available state.'),
    );
    await expect(adapter.promoteReadReplica('eu-west-1', 'orders-replica-1')).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError &&
        e.retryable &&
        /PromoteReadReplica on orders-replica-1 failed: InvalidDBInstanceStateFault/.test(e.message),
    );
  });

  it('keeps a cross-region replica a replica: its source is the primary ARN, as RDS names a source in another region', async () => {
    const sourceArn = 'arn:aws:rds:eu-west-1:123456789012:db:orders-primary';
    const body =
      `<DescribeDBInstancesResponse xmlns="${RDS_NS}"><DescribeDBInstancesResult><DBInstances><DBInstance>` +
      '<DBInstanceIdentifier>orders-replica-fra</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus>' +
      `<ReadReplicaSourceDBInstanceIdentifier>${sourceArn}</ReadReplicaSourceDBInstanceIdentifier><ReadReplicaDBInstanceIdentifiers/>` +
      '<StatusInfos><DBInstanceStatusInfo><StatusType>read replication</StatusType><Normal>true</Normal><Status>replicating</Status></DBInstanceStatusInfo></StatusInfos>' +
      '</DBInstance></DBInstances></DescribeDBInstancesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeDBInstancesResponse>';
    const state = await adapterAnswering(200, body).describeInstance('eu-central-1', 'orders-replica-fra');
    expect(state).toEqual({
      identifier: 'orders-replica-fra',
      region: 'eu-central-1',
      status: 'available',
      replicaIdentifiers: [],
      replicaSourceIdentifier: sourceArn,
      replicationStatus: 'replicating',
    });
  });
});
