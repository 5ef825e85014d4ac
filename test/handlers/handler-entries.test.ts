// The real Lambda entry files (what NodejsFunction bundles), invoked as Lambda would: every AWS SDK
// client mocked, the topology in a topology.json where LAMBDA_TASK_ROOT points (as in the asset), and
// its endpoints served by loopback servers this test starts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { Topology } from '../../lambdas/domain/config/schema';
import { TOPOLOGY_FILE, topologyFileText } from '../../lambdas/contracts/bundled-topology';
import { GuardEnv } from '../../lambdas/contracts/telemetry-names';
import { captureOutput } from './handler-fixtures';

type Item = Record<string, AttributeValue>;
type Handler = (event: unknown, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>;

const ZONE = 'Z0TESTZONE42';
const RECORD = 'www.entries.example.com.';
/** As the Route 53 adapter writes names: no trailing dot. */
const RECORD_NAME = 'www.entries.example.com';
const lambdaContext = { getRemainingTimeInMillis: () => 70_000 };
const scheduledEvent = {
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  time: '2025-01-01T00:00:00Z',
  detail: {},
};
const queuedCycleEvent = { Records: [{ eventSource: 'aws:sqs', body: JSON.stringify({ cycleDelaySeconds: 10 }) }] };

/** A loopback HTTP server answering every request with `status`. */
async function healthServer(status: number): Promise<Server> {
  const server = createServer((_req, res) =>
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'down'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function topologyFor(upPort: number, downPort: number, shards?: number): Topology {
  const server = (id: string, ip: string, port: number) => ({
    id,
    region: 'eu-west-1',
    ip,
    probe: { type: 'http', url: `http://127.0.0.1:${port}/healthz` },
  });
  return parseTopology({
    name: 'entries',
    account: '123456789012',
    regions: [{ name: 'eu-west-1', role: 'primary' }],
    // One failed probe makes a target UNHEALTHY, so one cycle shows the whole path.
    checks: { intervalSeconds: 10, timeoutMs: 1_000, failureThreshold: 1 },
    servers: [server('web-up', '192.0.2.10', upPort), server('web-down', '192.0.2.20', downPort)],
    ...(shards !== undefined && { guard: { shards } }),
    dns: [
      {
        id: 'www',
        hostedZoneId: ZONE,
        name: RECORD,
        type: 'A',
        ttl: 60,
        targets: [{ endpoint: 'web-up' }, { endpoint: 'web-down' }],
      },
    ],
  });
}

// mockClient mocks every instance of the class, including those the handler modules create.
const dynamo = mockClient(DynamoDBClient);
const route53 = mockClient(Route53Client);
const lambda = mockClient(LambdaClient);
const sqs = mockClient(SQSClient);
const cloudwatch = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);

/** A DynamoDB table held in memory behind the mocked client: enough for views, leases and the audit log. */
function fakeTable() {
  const items = new Map<string, Item>();
  const keyOf = (key: Item) => `${key.pk?.S}|${key.sk?.S}`;
  dynamo.on(GetItemCommand).callsFake((input: { Key: Item }) => ({ Item: items.get(keyOf(input.Key)) }));
  dynamo.on(PutItemCommand).callsFake((input: { Item: Item }) => {
    items.set(keyOf(input.Item), input.Item);
    return {};
  });
  dynamo.on(DeleteItemCommand).callsFake((input: { Key: Item }) => {
    items.delete(keyOf(input.Key));
    return {};
  });
  dynamo.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Item }) => ({
    Items: [...items.values()]
      .filter((i) => i.pk?.S === input.ExpressionAttributeValues[':pk']?.S)
      .sort((a, b) => (a.sk?.S ?? '').localeCompare(b.sk?.S ?? '')),
  }));
  return items;
}

async function importHandler(name: 'checker' | 'actor'): Promise<Handler> {
  const module = (await import(`../../lambdas/handlers/${name}.handler.ts`)) as { handler: Handler };
  return module.handler;
}

describe('the bundled Lambda entry files', () => {
  let servers: Server[];
  let topology: Topology;
  let taskRoot: string;
  /** The same topology sharded over 3 checker invocations. */
  let shardedTaskRoot: string;
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    servers = [await healthServer(200), await healthServer(503)];
    const [up, down] = servers.map((s) => (s.address() as AddressInfo).port);
    topology = topologyFor(up!, down!);
    taskRoot = mkdtempSync(join(tmpdir(), 'failover-guard-task-'));
    writeFileSync(join(taskRoot, TOPOLOGY_FILE), topologyFileText(topology));
    shardedTaskRoot = mkdtempSync(join(tmpdir(), 'failover-guard-sharded-task-'));
    writeFileSync(join(shardedTaskRoot, TOPOLOGY_FILE), topologyFileText(topologyFor(up!, down!, 3)));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  beforeEach(() => {
    output = captureOutput();
    vi.resetModules();
    vi.stubEnv('LAMBDA_TASK_ROOT', taskRoot);
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'failover-guard-entries-checker');
    vi.stubEnv(GuardEnv.tableName, 'failover-guard-entries');
    vi.stubEnv(GuardEnv.topicArn, 'arn:aws:sns:eu-west-1:123456789012:failover-guard-entries');
    vi.stubEnv(GuardEnv.actorFunction, 'failover-guard-entries-actor');
    vi.stubEnv(GuardEnv.schedule, 'tick');
    vi.stubEnv(GuardEnv.cycleQueueUrl, 'https://sqs.eu-west-1.amazonaws.com/123456789012/cycles');
    vi.stubEnv(GuardEnv.readinessAlarm, 'failover-guard-entries-eu-west-1-ReadinessFailures');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'failover-guard-entries');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'FailoverGuard');
    for (const client of [dynamo, route53, lambda, sqs, sns, cloudwatch]) client.reset();
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ StateValue: 'OK' }] });
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        { Name: RECORD, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }, { Value: '192.0.2.20' }] },
      ],
      IsTruncated: false,
    });
    route53
      .on(ChangeResourceRecordSetsCommand)
      .resolves({ ChangeInfo: { Id: '/change/C0TEST', Status: 'PENDING', SubmittedAt: new Date() } });
    route53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C0TEST', Status: 'INSYNC', SubmittedAt: new Date() } });
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });
  afterEach(() => {
    output.restore();
    vi.unstubAllEnvs();
  });

  it('checker, on the minute’s tick: queues the cycles at 10 … 50 s, probes, saves its view and hands the actor its plan', async () => {
    // Prepare
    const table = fakeTable();
    const handler = await importHandler('checker');
    // Act
    const result = await handler(scheduledEvent, lambdaContext);
    // Assess
    expect(result).toEqual({ cycles: 1, actorInvocations: 1, queuedCycles: 5 });
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cycles',
      Entries: [10, 20, 30, 40, 50].map((delay) => ({
        Id: `cycle-${delay}s`,
        DelaySeconds: delay,
        MessageBody: JSON.stringify({ cycleDelaySeconds: delay }),
      })),
    });
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'failover-guard-entries',
      Item: expect.objectContaining({ pk: { S: 'view' }, sk: { S: 'eu-west-1' } }),
    });
    const view = JSON.parse(table.get('view|eu-west-1')!.value!.S!) as { health: Record<string, { status: string }> };
    expect(view.health['web-up']?.status).toBe('HEALTHY');
    expect(view.health['web-down']?.status).toBe('UNHEALTHY');
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    const invoke = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(invoke).toMatchObject({ FunctionName: 'failover-guard-entries-actor', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(invoke.Payload as Uint8Array))).toMatchObject({
      checker: 'eu-west-1',
      checkerPlanId: expect.stringMatching(/^plan-/),
      actions: 1,
    });
    expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
  });

  it('checker, on a queued cycle: runs one cycle and queues nothing', async () => {
    fakeTable();
    const handler = await importHandler('checker');
    await expect(handler(queuedCycleEvent, lambdaContext)).resolves.toEqual({ cycles: 1, actorInvocations: 1 });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('checker, sharded, on the region’s queued cycle: starts shards 1 and 2 on it (asynchronous Invokes of itself), then runs shard 0’s cycle (its slice: nothing to hand the actor)', async () => {
    // Prepare
    vi.stubEnv('LAMBDA_TASK_ROOT', shardedTaskRoot);
    fakeTable();
    const handler = await importHandler('checker');
    // Act
    const result = await handler(queuedCycleEvent, lambdaContext);
    // Assess
    expect(result).toEqual({ cycles: 1, actorInvocations: 0, startedShards: 2 });
    const invokes = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(invokes).toEqual(
      [1, 2].map((shard) => ({
        FunctionName: 'failover-guard-entries-checker',
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ cycleDelaySeconds: 10, shard })),
      })),
    );
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      Item: expect.objectContaining({ pk: { S: 'view' }, sk: { S: 'eu-west-1#shard-0-of-3' } }),
    });
    // Both shards were started before shard 0 wrote anything (the view comes after its probes)
    expect(lambda.commandCalls(InvokeCommand)[1]!.calledBefore(dynamo.commandCalls(PutItemCommand)[0]!)).toBe(true);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('checker, sharded, on a fanned-out cycle: runs its shard’s cycle and starts nothing', async () => {
    vi.stubEnv('LAMBDA_TASK_ROOT', shardedTaskRoot);
    fakeTable();
    const handler = await importHandler('checker');
    await expect(handler({ cycleDelaySeconds: 10, shard: 2 }, lambdaContext)).resolves.toMatchObject({ cycles: 1 });
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      Item: expect.objectContaining({ pk: { S: 'view' }, sk: { S: 'eu-west-1#shard-2-of-3' } }),
    });
    expect(lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input.FunctionName)).not.toContain(
      'failover-guard-entries-checker',
    );
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('actor: pulls the dead server’s IP with one compare-and-swap batch (DELETE the set read, CREATE it without the IP) and notifies', async () => {
    // Prepare: the checker's cycle stores the evidence the actor re-plans from.
    fakeTable();
    const checker = await importHandler('checker');
    await checker(queuedCycleEvent, lambdaContext);
    const payload = JSON.parse(
      new TextDecoder().decode(lambda.commandCalls(InvokeCommand)[0]!.args[0].input.Payload as Uint8Array),
    ) as unknown;
    const actor = await importHandler('actor');
    // Act
    const result = (await actor(payload, lambdaContext)) as { planId: string };
    // Assess
    expect(result).toMatchObject({ actions: 1, execution: { leaseHeld: true, applied: 1, failed: 0 } });
    expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      ChangeBatch: {
        Comment: `failover-guard ${result.planId}: dns.pull web-down`,
        Changes: [
          {
            Action: 'DELETE',
            ResourceRecordSet: {
              Name: RECORD_NAME,
              Type: 'A',
              TTL: 60,
              ResourceRecords: [{ Value: '192.0.2.10' }, { Value: '192.0.2.20' }],
            },
          },
          {
            Action: 'CREATE',
            ResourceRecordSet: { Name: RECORD_NAME, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] },
          },
        ],
      },
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:failover-guard-entries',
    });
  });

  it('refuses to start without its topology file, naming the file and the fix', async () => {
    vi.stubEnv('LAMBDA_TASK_ROOT', mkdtempSync(join(tmpdir(), 'failover-guard-empty-task-')));
    await expect(importHandler('actor')).rejects.toThrow(
      /No topology file at .*failover-guard-empty-task-.*topology\.json \(ENOENT\)\. Deploy the function with the FailoverGuard construct \(cdk deploy\)/,
    );
  });
});
