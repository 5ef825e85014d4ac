// A warm adapter reuses what it decoded from an item of its last Query only while the item is exactly
// the same (the same stored bytes and version, under the same name, namespace and table); anything
// else is decoded afresh, and what it hands out can be changed by nobody.
import { gzipSync } from 'node:zlib';
import { DynamoDBClient, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbStateStoreAdapter } from '../../../lambdas/adapters/aws/dynamodb-state-store.adapter';

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'eu-west-1' });
const store = (tableName = 'failover-guard-state') => new DynamoDbStateStoreAdapter({ client, tableName });

afterEach(() => ddb.reset());

/** A view of `targets` targets all at `status`: over 1 KB as JSON, so stored gzip-compressed as the adapter writes it. */
function bigView(status: string, targets = 40) {
  return {
    checker: 'eu-west-1',
    health: Object.fromEntries(Array.from({ length: targets }, (_, i) => [`web-${i}`, { status }])),
  };
}

/** An item as a Query hands it over: fresh objects and fresh bytes every time, as the SDK decodes them. */
function item(name: string, value: unknown, version: number, namespace = 'view'): Record<string, AttributeValue> {
  const json = JSON.stringify(value);
  return {
    pk: { S: namespace },
    sk: { S: name },
    value: json.length > 1024 ? { B: Uint8Array.from(gzipSync(json)) } : { S: json },
    version: { N: String(version) },
  };
}

/** Each Query answers with the next of `pages` (items made afresh per answer), the last one from then on. */
function queriesAnswer(...pages: (() => Record<string, AttributeValue>[])[]) {
  let call = 0;
  ddb.on(QueryCommand).callsFake(() => ({ Items: pages[Math.min(call++, pages.length - 1)]!() }));
}

describe('DynamoDbStateStoreAdapter reuse of listed items', () => {
  it('decodes an item rewritten at the same version with other bytes afresh, never from its last decode', async () => {
    // Prepare: a replica that lost a write race may hold another value at the same version
    const adapter = store();
    queriesAnswer(
      () => [item('eu-west-1', bigView('HEALTHY'), 3)],
      () => [item('eu-west-1', bigView('UNHEALTHY'), 3)],
    );
    // Act
    await adapter.list('view');
    const [second] = await adapter.list('view');
    // Assess
    expect(second?.value).toEqual(bigView('UNHEALTHY'));
    expect(second?.version).toBe(3);
  });

  it('decodes a small (JSON text) item rewritten at the same version afresh', async () => {
    // Prepare
    const adapter = store();
    queriesAnswer(
      () => [item('eu-west-1#heartbeat', { at: '2025-01-01T00:00:10.000Z' }, 4)],
      () => [item('eu-west-1#heartbeat', { at: '2025-01-01T00:00:20.000Z' }, 4)],
    );
    // Act
    await adapter.list('view');
    const [second] = await adapter.list('view');
    // Assess
    expect(second?.value).toEqual({ at: '2025-01-01T00:00:20.000Z' });
  });

  it('decodes an item with the same bytes at another version afresh, with that version', async () => {
    // Prepare
    const adapter = store();
    queriesAnswer(
      () => [item('eu-west-1', bigView('HEALTHY'), 3)],
      () => [item('eu-west-1', bigView('HEALTHY'), 4)],
    );
    // Act
    const [first] = await adapter.list('view');
    const [second] = await adapter.list('view');
    // Assess
    expect(second?.version).toBe(4);
    expect(second?.value).toEqual(bigView('HEALTHY'));
    expect(second?.value).not.toBe(first?.value);
  });

  it('reuses the decode of an item read unchanged, frozen so nobody can change it, from its second read on', async () => {
    // Prepare
    const adapter = store();
    queriesAnswer(() => [item('eu-west-1', bigView('HEALTHY'), 3)]);
    // Act
    const [first] = await adapter.list('view');
    const [second] = await adapter.list('view');
    const [third] = await adapter.list('view');
    // Assess: the first read's value is the reader's own (an item rewritten every cycle is never frozen)
    expect(Object.isFrozen(first!.value)).toBe(false);
    expect(third?.value).toBe(second?.value);
    const target = (second!.value as ReturnType<typeof bigView>).health['web-0']!;
    expect(() => {
      target.status = 'UNHEALTHY';
    }).toThrow(TypeError);
    expect(third?.value).toEqual(bigView('HEALTHY'));
  });

  it('keeps names, namespaces and tables apart: the same bytes and version elsewhere are decoded there', async () => {
    // Prepare
    const dublinTable = store('state-dublin');
    const frankfurtTable = store('state-frankfurt');
    ddb
      .on(QueryCommand, { TableName: 'state-dublin', ExpressionAttributeValues: { ':pk': { S: 'view' } } })
      .callsFake(() => ({ Items: [item('eu-west-1', bigView('HEALTHY'), 3)] }))
      .on(QueryCommand, { TableName: 'state-dublin', ExpressionAttributeValues: { ':pk': { S: 'runbook' } } })
      .callsFake(() => ({ Items: [item('eu-west-1', bigView('SUSPECT'), 3, 'runbook')] }))
      .on(QueryCommand, { TableName: 'state-frankfurt' })
      .callsFake(() => ({
        Items: [item('eu-west-1', bigView('UNHEALTHY'), 3), item('eu-central-1', bigView('HEALTHY'), 3)],
      }));
    // Act
    const [dublinView] = await dublinTable.list('view');
    const [dublinRunbook] = await dublinTable.list('runbook');
    const frankfurtViews = await frankfurtTable.list('view');
    // Assess
    expect(dublinView?.value).toEqual(bigView('HEALTHY'));
    expect(dublinRunbook?.value).toEqual(bigView('SUSPECT'));
    expect(frankfurtViews.map((d) => [d.name, d.value])).toEqual([
      ['eu-west-1', bigView('UNHEALTHY')],
      ['eu-central-1', bigView('HEALTHY')],
    ]);
    expect(frankfurtViews[1]?.value).not.toBe(dublinView?.value);
  });

  it('still fails on a damaged item at every read, never answering with its last good decode', async () => {
    // Prepare
    const adapter = store();
    const damaged = () => [{ ...item('eu-west-1', bigView('HEALTHY'), 3), value: { S: '{"checker":' } }];
    queriesAnswer(() => [item('eu-west-1', bigView('HEALTHY'), 3)], damaged);
    // Act
    await adapter.list('view');
    // Assess
    await expect(adapter.list('view')).rejects.toThrow(SyntaxError);
    await expect(adapter.list('view')).rejects.toThrow(SyntaxError);
  });
});
