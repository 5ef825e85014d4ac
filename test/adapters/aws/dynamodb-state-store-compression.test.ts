import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbStateStoreAdapter } from '../../../lambdas/adapters/aws/dynamodb-state-store.adapter';
import { StateDocumentTooLargeError } from '../../../lambdas/adapters/aws/state-document-codec';
import { itemSizeBytes, syntheticViews } from '../../../bench/checker-views';

const ddb = mockClient(DynamoDBClient);
const TABLE = 'failover-guard-state';
const NOW_MS = Date.parse('2025-01-01T00:00:00Z');
const NOW_S = NOW_MS / 1000;
const store = () =>
  new DynamoDbStateStoreAdapter({
    client: new DynamoDBClient({ region: 'eu-west-1' }),
    tableName: TABLE,
    now: () => new Date(NOW_MS),
  });
const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

afterEach(() => ddb.reset());

/** The item of the one PutItem sent. */
function putItem(): Record<string, AttributeValue> {
  return ddb.commandCalls(PutItemCommand)[0]!.args[0].input.Item!;
}

describe('DynamoDbStateStoreAdapter compression', () => {
  it('stores a value of 1 KB or less as JSON text', async () => {
    // Prepare
    ddb.on(PutItemCommand).resolves({});
    const small = { note: 'x'.repeat(1000) };
    // Act
    await store().put('guard', 'state', small, 3);
    // Assess
    expect(putItem()['value']).toEqual({ S: JSON.stringify(small) });
  });

  it('stores a larger value gzip-compressed as binary, with the usual condition', async () => {
    // Prepare
    ddb.on(PutItemCommand).resolves({});
    const large = {
      health: Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`web-${i}`, { status: 'HEALTHY', since: '2025-01-01T00:00:00.000Z' }]),
      ),
    };
    const json = JSON.stringify(large);
    // Act
    expect(await store().put('view', 'eu-west-1', large, 7)).toBe(8);
    // Assess
    expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: TABLE,
      Item: { pk: { S: 'view' }, sk: { S: 'eu-west-1' }, value: { B: gzipSync(json) }, version: { N: '8' } },
      ConditionExpression: '#version = :expected AND (attribute_not_exists(#expiresAt) OR #expiresAt > :now)',
      ExpressionAttributeNames: { '#expiresAt': 'expiresAt', '#version': 'version' },
      ExpressionAttributeValues: { ':now': { N: String(NOW_S) }, ':expected': { N: '7' } },
    });
    expect(gunzipSync(putItem()['value']!.B!).toString('utf8')).toBe(json);
    expect(putItem()['value']!.B!.length).toBeLessThan(json.length / 5);
  });

  it('reads compressed and plain documents alike with get and list', async () => {
    // Prepare
    const value = { big: 'y'.repeat(5000) };
    ddb.on(GetItemCommand).resolves({
      Item: { pk: { S: 'view' }, sk: { S: 'a' }, value: { B: gzipSync(JSON.stringify(value)) }, version: { N: '2' } },
    });
    ddb.on(QueryCommand).resolves({
      Items: [
        { pk: { S: 'view' }, sk: { S: 'a' }, value: { B: gzipSync(JSON.stringify(value)) }, version: { N: '2' } },
        { pk: { S: 'view' }, sk: { S: 'b' }, value: { S: '{"small":1}' }, version: { N: '5' } },
      ],
    });
    // Act
    const got = await store().get('view', 'a');
    const listed = await store().list('view');
    // Assess
    expect(got).toEqual({ namespace: 'view', name: 'a', value, version: 2 });
    expect(listed.map((d) => d.value)).toEqual([value, { small: 1 }]);
  });

  it('refuses a value still over 350 KB compressed, naming the document and its size, and sends nothing', async () => {
    // Prepare
    ddb.on(PutItemCommand).resolves({});
    const incompressible = { blob: randomBytes(400 * 1024).toString('base64') };
    // Act
    const write = store().put('view', 'eu-west-1', incompressible, 1);
    // Assess
    await expect(write).rejects.toBeInstanceOf(StateDocumentTooLargeError);
    await expect(write).rejects.toThrow(
      /state document view\/eu-west-1 is \d+\.\d KB gzip-compressed \(\d+\.\d KB as JSON\), over the 350\.0 KB/,
    );
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it.each([
    { targets: 5000, unhealthyShare: 0 },
    { targets: 5000, unhealthyShare: 0.1 },
  ])(
    'round-trips a $targets-target view ($unhealthyShare unhealthy) in one item under the 400 KB limit',
    async ({ targets, unhealthyShare }) => {
      // Prepare
      const view = syntheticViews({ checker: 'eu-west-1', targets, unhealthyShare, cycles: 5 }).at(-1)!;
      ddb.on(PutItemCommand).resolves({});
      await store().put('view', 'eu-west-1', view, 1);
      ddb.on(GetItemCommand).resolves({ Item: putItem() });
      // Act
      const read = await store().get('view', 'eu-west-1');
      // Assess
      expect(read?.value).toEqual(view);
      expect(itemSizeBytes(putItem())).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES);
    },
  );
});
