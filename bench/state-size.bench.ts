// State size bench: how large a checker view is stored (JSON, and as the DynamoDB adapter writes it,
// gzip-compressed above 1 KB), what one write costs in write request units (1 KB each), and how
// often the engine writes a view, and its heartbeat item, at idle and during an outage (one checker,
// 10 s interval, one hour).
import { encodeValue } from '../lambdas/adapters/aws/state-document-codec';
import { MemoryStateStore } from '../lambdas/adapters/memory/memory-state-store';
import { parseTopology } from '../lambdas/domain/config/load';
import { probeTargets } from '../lambdas/domain/config/targets';
import type { Observation } from '../lambdas/domain/observation';
import { observe, VIEW_NAMESPACE, type GuardPorts } from '../lambdas/engine';
import { heartbeatName } from '../lambdas/engine/state/views';
import { itemSizeBytes, syntheticViews } from './checker-views';

const sizes = [100, 1_000, 5_000];
const unhealthyShares = [0, 0.1];
const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;
const INTERVAL_SECONDS = 10;

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function storedItemBytes(name: string, value: unknown): number {
  return itemSizeBytes({
    pk: { S: VIEW_NAMESPACE },
    sk: { S: name },
    value: encodeValue(`${VIEW_NAMESPACE}/${name}`, value),
    version: { N: '123456' },
  });
}

interface HourOfWrites {
  readonly views: number;
  readonly heartbeats: number;
  /** The largest heartbeat item written, as stored. */
  readonly heartbeatBytes: number;
}

/** View and heartbeat item writes of one checker in an hour of `INTERVAL_SECONDS` cycles, with `unhealthyShare` of its targets failing. */
async function viewWritesPerHour(targets: number, unhealthyShare: number): Promise<HourOfWrites> {
  const topology = parseTopology(
    {
      name: 'bench',
      account: '123456789012',
      regions: [
        { name: 'eu-west-1', role: 'primary' },
        { name: 'eu-central-1', role: 'standby' },
      ],
      checks: { intervalSeconds: INTERVAL_SECONDS, timeoutMs: 2000, failureThreshold: 3, recoveryThreshold: 2 },
      servers: Array.from({ length: targets }, (_, i) => ({
        id: `web-${i}`,
        region: 'eu-west-1',
        ip: `10.0.${i >> 8}.${i & 255}`,
        probe: { type: 'tcp', host: `10.0.${i >> 8}.${i & 255}`, port: 443 },
      })),
    },
    'bench',
  );
  let nowMs = Date.parse('2025-01-01T00:00:00.000Z');
  const now = () => new Date(nowMs);
  const store = new MemoryStateStore({ now });
  let writes = { views: 0, heartbeats: 0, heartbeatBytes: 0 };
  const put = store.put.bind(store);
  store.put = (namespace, name, value, expectedVersion, ttlSeconds) => {
    if (name === heartbeatName('eu-west-1')) {
      const bytes = Math.max(writes.heartbeatBytes, storedItemBytes(name, value));
      writes = { ...writes, heartbeats: writes.heartbeats + 1, heartbeatBytes: bytes };
    } else if (namespace === VIEW_NAMESPACE) writes = { ...writes, views: writes.views + 1 };
    return put(namespace, name, value, expectedVersion, ttlSeconds);
  };
  const failing = Math.round(targets * unhealthyShare);
  const probe = async (): Promise<Observation[]> =>
    probeTargets(topology).map((t, i) => ({
      targetId: t.id,
      kind: 'tcp',
      ok: i >= failing,
      latencyMs: 3,
      at: now().toISOString(),
      ...(i < failing ? { error: 'ETIMEDOUT' } : {}),
    }));
  const ports = { store } as unknown as GuardPorts;
  const ctx = { topology, checker: 'eu-west-1', ports, now, dryRun: true, probe };
  // A warm-up of 10 cycles brings the failing targets to UNHEALTHY, then one hour is counted.
  for (let i = 0; i < 10; i += 1, nowMs += INTERVAL_SECONDS * 1000) await observe(ctx);
  writes = { views: 0, heartbeats: 0, heartbeatBytes: 0 };
  for (let i = 0; i < 3600 / INTERVAL_SECONDS; i += 1, nowMs += INTERVAL_SECONDS * 1000) await observe(ctx);
  return writes;
}

console.log(
  `checker view, stored size (after 6 cycles of ${INTERVAL_SECONDS} s; failing targets time out or are refused)`,
);
console.log('targets  unhealthy  JSON        stored item  WRU/write  under 400 KB');
for (const targets of sizes) {
  for (const share of unhealthyShares) {
    const view = syntheticViews({ checker: 'eu-west-1', targets, unhealthyShare: share, cycles: 6 }).at(-1)!;
    const json = Buffer.byteLength(JSON.stringify(view));
    const item = storedItemBytes(view.checker, view);
    console.log(
      `${String(targets).padStart(7)}  ${`${share * 100}%`.padStart(9)}  ${kb(json).padStart(10)}  ${kb(item).padStart(11)}  ${String(Math.ceil(item / 1024)).padStart(9)}  ${item < DYNAMODB_ITEM_LIMIT_BYTES ? 'yes' : 'NO'}`,
    );
  }
}

console.log(
  `\nwrites per checker-hour (${INTERVAL_SECONDS} s interval, heartbeatStaleSeconds 120 → heartbeat refreshed every 60 s)`,
);
console.log('targets  unhealthy  views/hour  heartbeat items/hour  heartbeat item  WRU each');
for (const targets of [100, 1_000]) {
  for (const share of unhealthyShares) {
    const hour = await viewWritesPerHour(targets, share);
    console.log(
      `${String(targets).padStart(7)}  ${`${share * 100}%`.padStart(9)}  ${String(hour.views).padStart(10)}  ${String(hour.heartbeats).padStart(20)}  ${`${hour.heartbeatBytes} B`.padStart(14)}  ${String(Math.ceil(hour.heartbeatBytes / 1024)).padStart(8)}`,
    );
  }
}
