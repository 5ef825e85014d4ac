// Planning read bench: what the planning shard spends each cycle on reading and judging every region's
// targets — every view (and heartbeat item) of every region listed and checked, a sharded region's views
// merged, every target judged by quorum — for 100, 1,000 and 10,000 endpoints in 2 guard regions, sharded
// as deployed. The in-memory store copies each document it lists, standing in for the DynamoDB adapter's
// decoding (bench/state-calls.bench.ts measures that over the SDK). Warm: 10 reads first, then the mean of
// 20. The cost model counts this once per region and cycle (lambdas/domain/config/checker-sizing.ts).
import { MemoryStateStore } from '../lambdas/adapters/memory/memory-state-store';
import { parseTopology } from '../lambdas/domain/config/load';
import { shardCount } from '../lambdas/domain/config/shards';
import { quorumVerdicts } from '../lambdas/domain/health/quorum';
import { readCheckerViews } from '../lambdas/engine';
import { saveView } from '../lambdas/engine/state/views';
import { largeTopologyInput } from '../test/fixtures/large-topology';
import { healthyShardView } from './checker-views';

const sizes = [100, 1_000, 10_000];
const REGIONS = ['eu-west-1', 'eu-central-1'];
const WARMUP_READS = 10;
const MEASURED_READS = 20;

console.log(`planning read: every region's views read, merged and judged; mean of ${MEASURED_READS} warm reads`);
for (const size of sizes) {
  const topology = parseTopology(largeTopologyInput(size));
  const count = shardCount(topology);
  const store = new MemoryStateStore({ now: () => new Date() });
  const at = new Date().toISOString();
  const serverIds = topology.servers.map((server) => server.id);
  for (const checker of REGIONS) {
    for (let index = 0; index < count; index += 1) {
      await saveView(store, healthyShardView(checker, serverIds, { index, count }, at), 0);
    }
  }
  const read = async () => {
    const now = new Date();
    return quorumVerdicts(await readCheckerViews(store, topology, now), now, topology.guard.heartbeatStaleSeconds);
  };
  for (let i = 0; i < WARMUP_READS; i += 1) await read();
  const cpu = process.cpuUsage();
  for (let i = 0; i < MEASURED_READS; i += 1) await read();
  const used = process.cpuUsage(cpu);
  const ms = (used.user + used.system) / 1000 / MEASURED_READS;
  const targetsRead = REGIONS.length * topology.servers.length;
  console.log(
    `  ${size.toLocaleString('en')} endpoints, ${count} shard(s) per region: ${ms.toFixed(1)} ms of CPU per planning read = ${((ms * 1000) / targetsRead).toFixed(1)} µs per target read`,
  );
}
