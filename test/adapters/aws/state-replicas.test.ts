// createAwsPorts with several deciding replicas: every deciding call goes to the home replica's region,
// the next replica takes over while the home cannot be reached, and the audit log stays local.
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsPorts } from '../../../lambdas/adapters/aws/aws-ports';
import { CloudCallError, StateConflictError } from '../../../lambdas/ports/errors';

const ddb = mockClient(DynamoDBClient);
const TABLE = 'failover-guard-shop';

afterEach(() => ddb.reset());

/** A checker in Frankfurt whose home replica is in Dublin; one attempt per call, so a failure shows at once. */
const frankfurtStore = () =>
  createAwsPorts({
    region: 'eu-central-1',
    tableName: TABLE,
    stateRegions: ['eu-west-1', 'eu-central-1'],
    topicArn: 'arn:aws:sns:eu-central-1:123456789012:guard',
    clientConfig: { maxAttempts: 1 },
  }).store;

type Call = { thisValue: unknown; args: [{ input: unknown }] };
const regionOf = (call: Call) => (call.thisValue as { config: { region: () => Promise<string> } }).config.region();
const regionsOf = (calls: Call[]) => Promise.all(calls.map(regionOf));

const unavailable = () =>
  Object.assign(new Error('Service Unavailable'), {
    name: 'ServiceUnavailable',
    $fault: 'server',
    $metadata: { httpStatusCode: 503 },
  });
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
const guardItem = {
  Item: { pk: { S: 'guard' }, sk: { S: 'state' }, value: { S: '{"paused":false}' }, version: { N: '3' } },
};

/** Makes every call sent to `region`'s replica fail with `error`, the others answer `answer`. */
function failIn(region: string, command: 'GetItem' | 'PutItem', error: () => Error, answer: object) {
  const fake = async (_input: unknown, getClient: () => DynamoDBClient) => {
    if ((await getClient().config.region()) === region) throw error();
    return answer;
  };
  if (command === 'GetItem') ddb.on(GetItemCommand).callsFake(fake);
  else ddb.on(PutItemCommand).callsFake(fake);
}

describe('the state store with a home replica', () => {
  it('reads and writes the guard state in the home replica (Dublin) from Frankfurt, with the exact inputs', async () => {
    ddb.on(GetItemCommand).resolves(guardItem);
    ddb.on(PutItemCommand).resolves({});
    const store = frankfurtStore();
    await store.get('guard', 'state');
    await store.put('guard', 'state', { paused: true }, 3);
    expect(await regionsOf(ddb.commandCalls(GetItemCommand) as Call[])).toEqual(['eu-west-1']);
    expect(await regionsOf(ddb.commandCalls(PutItemCommand) as Call[])).toEqual(['eu-west-1']);
    expect(ddb.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'guard' }, sk: { S: 'state' } },
      ConsistentRead: true,
    });
    expect(ddb.commandCalls(PutItemCommand)[0]!.args[0].input).toMatchObject({
      TableName: TABLE,
      Item: { pk: { S: 'guard' }, sk: { S: 'state' }, value: { S: '{"paused":true}' }, version: { N: '4' } },
      ExpressionAttributeValues: { ':expected': { N: '3' } },
    });
  });

  it('takes the lease in the home replica too', async () => {
    ddb.on(PutItemCommand).resolves({});
    expect(await frankfurtStore().acquireLease('actor:eu-central-1', 'eu-central-1/run-1', 60_000)).toBe(true);
    expect(await regionsOf(ddb.commandCalls(PutItemCommand) as Call[])).toEqual(['eu-west-1']);
    expect(ddb.commandCalls(PutItemCommand)[0]!.args[0].input).toMatchObject({
      Item: { pk: { S: 'lease' }, sk: { S: 'actor:eu-central-1' }, owner: { S: 'eu-central-1/run-1' } },
    });
  });

  it('reads from the next replica when the home is unreachable, then decides there until the hold ends', async () => {
    failIn('eu-west-1', 'GetItem', unavailable, guardItem);
    ddb.on(PutItemCommand).resolves({});
    const store = frankfurtStore();
    expect((await store.get('guard', 'state'))?.version).toBe(3);
    await store.put('guard', 'state', { paused: true }, 3);
    expect(await regionsOf(ddb.commandCalls(GetItemCommand) as Call[])).toEqual(['eu-west-1', 'eu-central-1']);
    expect(await regionsOf(ddb.commandCalls(PutItemCommand) as Call[])).toEqual(['eu-central-1']);
  });

  it('does not retry a failed write in another replica: it may have been applied, so the caller re-reads', async () => {
    failIn('eu-west-1', 'PutItem', unavailable, {});
    const store = frankfurtStore();
    await expect(store.put('runbook', 'rb-1', { step: 1 }, 0)).rejects.toBeInstanceOf(CloudCallError);
    expect(await regionsOf(ddb.commandCalls(PutItemCommand) as Call[])).toEqual(['eu-west-1']);
  });

  it('stays with the home replica when it throttles (a throttle is not an outage)', async () => {
    failIn('eu-west-1', 'GetItem', throttled, guardItem);
    await expect(frankfurtStore().get('guard', 'state')).rejects.toThrow(
      /GetItem on failover-guard-shop\/guard\/state failed: ThrottlingException/,
    );
    expect(await regionsOf(ddb.commandCalls(GetItemCommand) as Call[])).toEqual(['eu-west-1']);
  });

  it('reports a lost compare-and-swap in the home replica as a conflict, without trying another replica', async () => {
    ddb.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(frankfurtStore().put('guard', 'state', {}, 3)).rejects.toBeInstanceOf(StateConflictError);
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(1);
  });

  it('writes and reads the audit log in the local replica', async () => {
    ddb.on(PutItemCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    const store = frankfurtStore();
    await store.appendAudit({
      id: 'a1',
      at: '2025-01-01T00:00:00.000Z',
      checker: 'eu-central-1',
      action: 'dns.pull',
      resource: 'www',
      outcome: 'applied',
      reason: 'down',
    });
    await store.listAudit();
    expect(await regionsOf(ddb.commandCalls(PutItemCommand) as Call[])).toEqual(['eu-central-1']);
    expect(await regionsOf(ddb.commandCalls(QueryCommand) as Call[])).toEqual(['eu-central-1']);
  });

  it('uses the local replica alone when it is the only deciding one (a strongly consistent table)', async () => {
    ddb.on(GetItemCommand).resolves(guardItem);
    const ports = createAwsPorts({
      region: 'eu-central-1',
      tableName: TABLE,
      stateRegions: ['eu-central-1'],
      topicArn: 'arn:aws:sns:eu-central-1:1:t',
    });
    await ports.store.get('guard', 'state');
    expect(await regionsOf(ddb.commandCalls(GetItemCommand) as Call[])).toEqual(['eu-central-1']);
  });
});
