// State calls bench: the CPU a checker spends on its cycle's state-table calls through the AWS SDK,
// which the scale bench leaves out (its store is in memory). The DynamoDB adapter talks HTTP to moto on
// loopback (moto is another process, so only the client's work counts here): a Query of the views (2
// regions' views of N targets each) by a new adapter instance, which decodes and decompresses every view,
// and by a warm one while no view changed (it reuses its last decode of each, lambdas/adapters/aws/
// listed-values.ts), a GetItem of the guard state, a Query of the runbooks (none), and a view write.
// Warm: 50 calls first, then the mean of 200. The cost model's warm cycle adds three reads (docs/scale.md#checker-memory).
// Without moto for python3 it says so and exits 0.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStateStoreAdapter } from '../lambdas/adapters/aws/dynamodb-state-store.adapter';
import { VIEW_NAMESPACE } from '../lambdas/engine';
import { motoUnavailable, startMoto } from '../test/contracts/lanes/moto-process';
import { stateTableDefinition } from '../test/fixtures/state-table-definition';
import { syntheticViews } from './checker-views';

const sizes = [50, 1_000, 5_000];
const WARMUP_CALLS = 50;
const MEASURED_CALLS = 200;
const TABLE = 'failover-guard-state';

/** Mean CPU (user + system) and wall time of one call, in ms, after warming up. */
async function measure(call: () => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number }> {
  for (let i = 0; i < WARMUP_CALLS; i += 1) await call();
  const cpu = process.cpuUsage();
  const began = performance.now();
  for (let i = 0; i < MEASURED_CALLS; i += 1) await call();
  const used = process.cpuUsage(cpu);
  return {
    cpuMs: (used.user + used.system) / 1000 / MEASURED_CALLS,
    wallMs: (performance.now() - began) / MEASURED_CALLS,
  };
}

const missing = motoUnavailable();
if (missing) {
  console.log(`state calls: skipped, ${missing} (pip install "moto[server]")`);
} else {
  const moto = await startMoto();
  try {
    const client = new DynamoDBClient(moto.config);
    console.log(`state calls: DynamoDB adapter over HTTP to moto on loopback; mean of ${MEASURED_CALLS} warm calls`);
    for (const [index, targets] of sizes.entries()) {
      const tableName = `${TABLE}-${index}`;
      await client.send(new CreateTableCommand(stateTableDefinition(tableName)));
      const store = new DynamoDbStateStoreAdapter({ client, tableName });
      const views = ['eu-west-1', 'eu-central-1'].map(
        (checker) => syntheticViews({ checker, targets, unhealthyShare: 0, cycles: 3 }).at(-1)!,
      );
      for (const view of views) await store.put(VIEW_NAMESPACE, view.checker, view, 0);
      await store.put('guard', 'state', { schemaVersion: 1 }, 0);
      let version = 1;
      const rows = [
        [
          `Query of the views (2 × ${targets} targets), each decoded`,
          await measure(() => new DynamoDbStateStoreAdapter({ client, tableName }).list(VIEW_NAMESPACE)),
        ],
        [`Query of the views (2 × ${targets} targets), unchanged`, await measure(() => store.list(VIEW_NAMESPACE))],
        ['GetItem of the guard state', await measure(() => store.get('guard', 'state'))],
        ['Query of the runbooks (none)', await measure(() => store.list('runbook'))],
        [
          `PutItem of a view (${targets} targets)`,
          await measure(async () => {
            version = await store.put(VIEW_NAMESPACE, views[0]!.checker, views[0], version);
          }),
        ],
      ] as const;
      for (const [call, { cpuMs, wallMs }] of rows)
        console.log(`  ${call}: ${cpuMs.toFixed(2)} ms CPU, ${wallMs.toFixed(2)} ms wall`);
    }
  } finally {
    await moto.stop();
  }
}
