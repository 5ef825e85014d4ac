import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetChangeCommand, Route53Client } from '@aws-sdk/client-route-53';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  awsClientConfig,
  awsClientSettings,
  createAwsPorts,
  regionOfArn,
  ROUTE53_MAX_ATTEMPTS,
} from '../../../lambdas/adapters/aws/aws-ports';
import { isRetryable } from '../../../lambdas/adapters/aws/cloud-errors';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { withDeadline } from '../../../lambdas/ports/deadline';
import { CloudCallError } from '../../../lambdas/ports/errors';

const r53 = mockClient(Route53Client);
const rds = mockClient(RDSClient);
const sns = mockClient(SNSClient);
const ddb = mockClient(DynamoDBClient);

afterEach(() => {
  for (const m of [r53, rds, sns, ddb]) m.reset();
});

/** The client a mocked call was sent through, to read its resolved configuration. */
function clientOf(mock: { send: { getCall(n: number): { thisValue: unknown } } }, n = 0) {
  return mock.send.getCall(n).thisValue as {
    config: { region: () => Promise<string>; maxAttempts: () => Promise<number> };
  };
}

describe('createAwsPorts', () => {
  const ports = () =>
    createAwsPorts({
      region: 'eu-west-1',
      tableName: 'guard-state',
      topicArn: 'arn:aws:sns:eu-central-1:123456789012:guard',
      clientConfig: { maxAttempts: 4 },
    });

  it('sends Route 53 calls to us-east-1 with more attempts than the others', async () => {
    r53.on(GetChangeCommand).resolves({ ChangeInfo: { Id: 'C1', Status: 'INSYNC', SubmittedAt: new Date() } });
    await createAwsPorts({
      region: 'eu-west-1',
      tableName: 't',
      topicArn: 'arn:aws:sns:eu-west-1:1:t',
    }).dns.changeStatus('C1');
    expect(await clientOf(r53).config.region()).toBe('us-east-1');
    expect(await clientOf(r53).config.maxAttempts()).toBe(ROUTE53_MAX_ATTEMPTS);
  });

  it('calls RDS in the region asked, the table in the guard region and SNS in the topic region, with the settings given', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    ddb.on(GetItemCommand).resolves({});
    sns.on(PublishCommand).resolves({});
    const guard = ports();
    await guard.database.describeInstance('ap-southeast-2', 'db');
    await guard.store.get('guard', 'state');
    await guard.notifier.publish({
      eventType: 'e',
      severity: 'info',
      subject: 's',
      resource: 'r',
      reason: 'x',
      dryRun: true,
      at: '2025-01-01T00:00:00Z',
    });
    expect(await clientOf(rds).config.region()).toBe('ap-southeast-2');
    expect(await clientOf(ddb).config.region()).toBe('eu-west-1');
    expect(await clientOf(sns).config.region()).toBe('eu-central-1');
    expect(await clientOf(rds).config.maxAttempts()).toBe(4);
    expect(await clientOf(ddb).config.maxAttempts()).toBe(4);
    expect(ddb).toHaveReceivedCommandWith(GetItemCommand, { TableName: 'guard-state' });
  });
});

describe('AWS call bounds', () => {
  const ports = () =>
    createAwsPorts({
      region: 'eu-west-1',
      tableName: 'guard-state',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:guard',
    });

  it('gives every client a connect and a request timeout that fails the attempt, the retry mode and the attempts from guard.aws', () => {
    const topology = parseTopology(
      {
        name: 'shop',
        account: '123456789012',
        regions: [{ name: 'eu-west-1', role: 'primary' }],
        guard: { aws: { connectTimeoutSeconds: 1.5, requestTimeoutSeconds: 4, maxAttempts: 2, retryMode: 'adaptive' } },
      },
      'test',
    );
    expect(awsClientConfig(awsClientSettings(topology))).toEqual({
      maxAttempts: 2,
      retryMode: 'adaptive',
      requestHandler: { connectionTimeout: 1500, requestTimeout: 4000, throwOnRequestTimeout: true },
    });
  });

  it("defaults to 3 s to connect and 5 s a request, far below the SDK's minutes", () => {
    expect(awsClientConfig().requestHandler).toEqual({
      connectionTimeout: 3000,
      requestTimeout: 5000,
      throwOnRequestTimeout: true,
    });
  });

  it('sends every call with the current deadline as its abort signal, so the SDK stops the request and its retries', async () => {
    ddb.on(GetItemCommand).resolves({});
    const deadline = new AbortController().signal;
    await withDeadline(deadline, () => ports().store.get('guard', 'state'));
    expect((ddb.send.getCall(0).args as unknown[])[1]).toEqual({ abortSignal: deadline });
  });

  it('fails a call still unanswered at the deadline with a retryable error naming the service', async () => {
    r53.on(GetChangeCommand).callsFake(() => new Promise(() => {}));
    const controller = new AbortController();
    const call = withDeadline(controller.signal, () => ports().dns.changeStatus('C1'));
    controller.abort();
    await expect(call).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError &&
        e.retryable &&
        /^Route 53 changeStatus on C1 failed: DeadlineExceeded: /.test(e.message),
    );
  });
});

describe('regionOfArn', () => {
  it.each([
    ['arn:aws:sns:eu-central-1:123456789012:guard', 'eu-central-1'],
    ['arn:aws:rds::123456789012:global-cluster:g', undefined],
  ])('reads the region of %s', (arn, region) => {
    expect(regionOfArn(arn)).toBe(region);
  });
});

describe('isRetryable', () => {
  it.each([
    ['Throttling', { name: 'Throttling' }, true],
    ['PriorRequestNotComplete', { name: 'PriorRequestNotComplete' }, true],
    ['InvalidDBInstanceStateFault', { name: 'InvalidDBInstanceStateFault' }, true],
    ['a 503 of any name', { name: 'Whatever', $metadata: { httpStatusCode: 503 } }, true],
    ['a server fault', { name: 'Whatever', $fault: 'server' }, true],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['AccessDenied', { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }, false],
    ['DBInstanceNotFoundFault', { name: 'DBInstanceNotFoundFault', $metadata: { httpStatusCode: 404 } }, false],
  ])('classifies %s', (_, error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});
