// Planning read bench: what the planning shard spends each cycle on reading and judging every region's
// targets — every view (and heartbeat item) of every region listed and checked, a sharded region's views
// merged, every target judged by quorum — for 100, 1,000 and 10,000 endpoints in 2 guard regions, sharded
// as deployed. The read goes through the DynamoDB adapter, as deployed: its Query answers with the items
// as the adapter stored them (gzip-compressed views, fresh objects and bytes every call, as the SDK hands
// them over), so each item's decode is counted; the SDK's own HTTP and unmarshalling are not (moto's
// bench/state-calls.bench.ts measures those). Printed per size, each the mean of 20 warm reads after 10: a
// read where every view was rewritten since the last (each decoded and checked afresh: the most a cycle
// can spend) and an idle read (nothing changed since the last cycle: each view's decode and check reused,
// see lambdas/adapters/aws/listed-values.ts). The cost model counts this once per region and cycle
// (lambdas/domain/config/checker-sizing.ts).
import { type AttributeValue, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbStateStoreAdapter } from '../lambdas/adapters/aws/dynamodb-state-store.adapter';
import { encodeValue } from '../lambdas/adapters/aws/state-document-codec';
import { parseTopology } from '../lambdas/domain/config/load';
import { shardCount } from '../lambdas/domain/config/shards';
import { quorumVerdicts } from '../lambdas/domain/health/quorum';
import { readCheckerViews } from '../lambdas/engine';
import { versioned } from '../lambdas/engine/state/stored-documents';
import { VIEW_NAMESPACE, viewName } from '../lambdas/engine/state/views';
import { largeTopologyInput } from '../test/fixtures/large-topology';
import { healthyShardView } from './checker-views';

const sizes = [100, 1_000, 10_000];
const REGIONS = ['eu-west-1', 'eu-central-1'];
const WARMUP_READS = 10;
const MEASURED_READS = 20;

type Item = Record<string, AttributeValue>;

/** An item as a Query hands it over: new objects, and a new buffer for a compressed value. */
function asQueried(item: Item): Item {
  const value = item['value'];
  return { ...item, value: value?.B !== undefined ? { B: Uint8Array.from(value.B) } : { S: value?.S ?? 'null' } };
}

/** CPU (user + system) in ms of `runs` calls of `read`. */
async function cpuMs(read: () => Promise<unknown>, runs: number): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i += 1) await read();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / runs;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const client = new DynamoDBClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});
const table = mockClient(client);
console.log(
  `planning read: every region's views read through the DynamoDB adapter, merged and judged; mean of ${MEASURED_READS} warm reads`,
);
for (const size of sizes) {
  const topology = parseTopology(largeTopologyInput(size));
  const count = shardCount(topology);
  const serverIds = topology.servers.map((server) => server.id);
  // Two generations of every view (written 10 s apart, versions 1 and 2): alternating them rewrites every view.
  const generations: Item[][] = [1, 2].map((version) =>
    REGIONS.flatMap((checker) =>
      Array.from({ length: count }, (_, index) => {
        const view = healthyShardView(
          checker,
          serverIds,
          { index, count },
          new Date(Date.now() + version * 10_000).toISOString(),
        );
        const name = viewName(checker, view.shard);
        return {
          pk: { S: VIEW_NAMESPACE },
          sk: { S: name },
          value: encodeValue(`${VIEW_NAMESPACE}/${name}`, versioned(view)),
          version: { N: String(version) },
        };
      }),
    ),
  );
  let queries = 0;
  let rewriteEveryRead = true;
  table.reset();
  table.on(QueryCommand).callsFake(() => {
    queries += rewriteEveryRead ? 1 : 0;
    return { Items: (generations[queries % 2] ?? []).map(asQueried) };
  });
  const store = new DynamoDbStateStoreAdapter({ client, tableName: `failover-guard-state-${size}` });
  const read = async () => {
    const now = new Date();
    return quorumVerdicts(await readCheckerViews(store, topology, now), now, topology.guard.heartbeatStaleSeconds);
  };
  await cpuMs(read, WARMUP_READS);
  const rewritten = await cpuMs(read, MEASURED_READS);
  rewriteEveryRead = false;
  await cpuMs(read, WARMUP_READS);
  const idle = await cpuMs(read, MEASURED_READS);
  const targetsRead = REGIONS.length * topology.servers.length;
  const perTarget = (ms: number) => `${((ms * 1000) / targetsRead).toFixed(2)} µs per target read`;
  console.log(
    `  ${size.toLocaleString('en')} endpoints, ${count} shard(s) per region: every view rewritten ${rewritten.toFixed(1)} ms of CPU (${perTarget(rewritten)}), idle ${idle.toFixed(1)} ms (${perTarget(idle)})`,
  );
}
