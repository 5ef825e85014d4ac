// The planning shard reads every view every cycle through the DynamoDB adapter, which hands back the very
// (frozen) value it decoded last cycle while an item is byte for byte unchanged, and the engine then reuses
// that value's check. Whatever is reused, a read must see exactly what is stored now: a change at the same
// version, a heartbeat that moved alone, a rejection (noted at every read), and nothing a reader can change.
import { DynamoDBClient, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbStateStoreAdapter } from '../../../lambdas/adapters/aws/dynamodb-state-store.adapter';
import { encodeValue } from '../../../lambdas/adapters/aws/state-document-codec';
import type { CheckerView, TargetHealth } from '../../../lambdas/domain/health/types';
import { quorumVerdicts } from '../../../lambdas/domain/health/quorum';
import { readAllViews } from '../../../lambdas/engine';
import { freezeDeep } from '../../../lambdas/domain/frozen';
import { checkerViewSchema, viewHeartbeatSchema } from '../../../lambdas/engine/state/document-schemas';
import { checkDocument, takeRejections, versioned } from '../../../lambdas/engine/state/stored-documents';
import { heartbeatName, VIEW_NAMESPACE, type ViewHeartbeat } from '../../../lambdas/engine/state/views';

const ddb = mockClient(DynamoDBClient);
const DUBLIN = 'eu-west-1';
const T0 = '2025-01-01T00:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

afterEach(() => ddb.reset());

function health(status: TargetHealth['status'], targets = 30): Record<string, TargetHealth> {
  return Object.fromEntries(
    Array.from({ length: targets }, (_, i) => [
      `web-${i}`,
      { targetId: `web-${i}`, status, consecutiveFailures: 0, consecutiveSuccesses: 2, since: T0, recent: [] },
    ]),
  );
}

const dublinView = (status: TargetHealth['status']): CheckerView => ({
  checker: DUBLIN,
  at: T0,
  health: health(status),
});

/** A view or heartbeat item as the adapter writes it and a Query hands it back: fresh objects every time. */
function item(name: string, value: object, version: number): Record<string, AttributeValue> {
  return {
    pk: { S: VIEW_NAMESPACE },
    sk: { S: name },
    value: encodeValue(`${VIEW_NAMESPACE}/${name}`, versioned(value)),
    version: { N: String(version) },
  };
}

const heartbeat = (seconds: number, version = 1): ViewHeartbeat => ({
  view: DUBLIN,
  at: at(seconds),
  vouchesFor: { at: T0, version },
});

/** A store whose Queries of the views answer, in turn, with each of `reads`' items (the last from then on). */
function storeReading(...reads: (() => Record<string, AttributeValue>[])[]): DynamoDbStateStoreAdapter {
  let call = 0;
  ddb.on(QueryCommand).callsFake(() => ({ Items: reads[Math.min(call++, reads.length - 1)]!() }));
  return new DynamoDbStateStoreAdapter({ client: new DynamoDBClient({ region: DUBLIN }), tableName: 'state' });
}

describe('reading views reused from the last cycle', () => {
  it('reads a view rewritten at the same version with other health as it is now, and quorum acts on that', async () => {
    // Prepare: a replica that lost a last-writer-wins race holds another view at the same version
    const store = storeReading(
      () => [item(DUBLIN, dublinView('HEALTHY'), 1)],
      () => [item(DUBLIN, dublinView('UNHEALTHY'), 1)],
    );
    await readAllViews(store);
    // Act
    const views = await readAllViews(store);
    // Assess
    expect(views.map((v) => v.health['web-0']?.status)).toEqual(['UNHEALTHY']);
    expect(quorumVerdicts(views, new Date(T0), 120).get('web-0')?.status).toBe('UNHEALTHY');
  });

  it('moves a view’s time with its heartbeat item while the view itself is unchanged', async () => {
    // Prepare
    const store = storeReading(
      () => [item(DUBLIN, dublinView('HEALTHY'), 1), item(heartbeatName(DUBLIN), heartbeat(60), 1)],
      () => [item(DUBLIN, dublinView('HEALTHY'), 1), item(heartbeatName(DUBLIN), heartbeat(120), 2)],
    );
    // Act
    const first = await readAllViews(store);
    const second = await readAllViews(store);
    // Assess
    expect(first.map((v) => v.at)).toEqual([at(60)]);
    expect(second.map((v) => v.at)).toEqual([at(120)]);
  });

  it('stops taking a heartbeat item’s time once it vouches for another view write', async () => {
    // Prepare: the heartbeat item moves on to vouch for version 2, which this replica has not received
    const store = storeReading(
      () => [item(DUBLIN, dublinView('HEALTHY'), 1), item(heartbeatName(DUBLIN), heartbeat(60), 1)],
      () => [item(DUBLIN, dublinView('HEALTHY'), 1), item(heartbeatName(DUBLIN), heartbeat(120, 2), 2)],
    );
    await readAllViews(store);
    // Act
    const views = await readAllViews(store);
    // Assess
    expect(views.map((v) => v.at)).toEqual([T0]);
  });

  it('rejects an unchanged damaged view at every read, and notes it every time', async () => {
    // Prepare
    const healthy = dublinView('HEALTHY');
    const damaged = {
      ...healthy,
      health: { ...healthy.health, 'web-0': { ...healthy.health['web-0'], status: 'BROKEN' } },
    };
    const store = storeReading(() => [item(DUBLIN, damaged, 1)]);
    const reads: { views: number; rejected: string[] }[] = [];
    // Act
    for (let cycle = 0; cycle < 3; cycle += 1) {
      const views = await readAllViews(store);
      reads.push({ views: views.length, rejected: takeRejections(store).map((r) => `${r.key}: ${r.issue}`) });
    }
    // Assess
    const once = { views: 0, rejected: [expect.stringMatching(/^view\/eu-west-1: health\.web-0\.status: [^;]*$/)] };
    expect(reads).toEqual([once, once, once]);
  });

  it('hands out the views it reuses frozen, so no reader can change what the next read gets', async () => {
    // Prepare: the second read of an unchanged item is the first one reused
    const store = storeReading(() => [item(DUBLIN, dublinView('HEALTHY'), 1)]);
    await readAllViews(store);
    const [reused] = await readAllViews(store);
    // Act
    const change = () => {
      (reused!.health['web-0'] as { status: string }).status = 'UNHEALTHY';
    };
    // Assess
    expect(change).toThrow(TypeError);
    const [next] = await readAllViews(store);
    expect(next?.health['web-0']?.status).toBe('HEALTHY');
    expect(next?.health).toBe(reused?.health);
  });
});

describe('checking a document again', () => {
  const stored = (name: string, value: unknown) => ({ namespace: VIEW_NAMESPACE, name, value, version: 1 });

  it('checks a value its store does not vouch for (not frozen) afresh every time', () => {
    // Prepare
    const value = { ...versioned(dublinView('HEALTHY')), health: { ...health('HEALTHY') } };
    const first = checkDocument(checkerViewSchema, stored(DUBLIN, value));
    // Act: a reader holding the value changes it
    value.health['web-0'] = { ...value.health['web-0']!, status: 'BROKEN' as TargetHealth['status'] };
    const second = checkDocument(checkerViewSchema, stored(DUBLIN, value));
    // Assess
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(false);
  });

  it('checks one frozen value by each schema it is read with, and names the document it is read as', () => {
    // Prepare
    const value = freezeDeep(versioned(dublinView('HEALTHY')));
    // Act
    const asView = checkDocument(checkerViewSchema, stored(DUBLIN, value));
    const asHeartbeat = checkDocument(viewHeartbeatSchema, stored(heartbeatName(DUBLIN), value));
    const asOtherView = checkDocument(viewHeartbeatSchema, stored('eu-central-1#heartbeat', value));
    // Assess
    expect(asView.ok && asView.value.health['web-0']?.status).toBe('HEALTHY');
    expect(asHeartbeat.ok ? 'accepted' : asHeartbeat.rejection.key).toBe('view/eu-west-1#heartbeat');
    expect(asOtherView.ok ? 'accepted' : asOtherView.rejection.key).toBe('view/eu-central-1#heartbeat');
  });
});
