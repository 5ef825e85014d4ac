// Fan-out Invoke bench: the CPU shard 0 spends starting the other shards of a sharded `tick` region on
// each queued cycle — one asynchronous Lambda Invoke per shard through the AWS SDK, as deployed (the
// checker's client settings, the deadline-following client, asyncInvoker). Lambda is a loopback HTTP
// server in another process answering 202 as Lambda does for an Event invocation, so only the client's
// work (serialising, SigV4 signing, HTTP) counts here. Cold: the first call of a fresh client. Warm: 50
// calls first, then the mean of 300 one at a time, and of 100 fan-outs of 9 parallel Invokes (K = 10).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { awsClientConfig, followDeadline } from '../lambdas/adapters/aws';
import { shardCycleEvent } from '../lambdas/contracts/checker-shard';
import { asyncInvoker } from '../lambdas/handlers/async-invoker';

const WARMUP_CALLS = 50;
const MEASURED_CALLS = 300;
const MEASURED_FAN_OUTS = 100;
const SHARDS = 10;

/** Lambda's Invoke API on loopback: 202 and an empty body, as for InvocationType Event. */
const SERVER = `
const server = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(202, { 'content-type': 'application/json', 'x-amzn-requestid': 'bench' }).end());
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const [line] = (await once(server.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const client = followDeadline(
    new LambdaClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
      ...awsClientConfig(),
    }),
  );
  const startShard = asyncInvoker(client, 'failover-guard-shop-checker');
  const fanOut = () =>
    Promise.all(Array.from({ length: SHARDS - 1 }, (_, i) => startShard(shardCycleEvent(20, i + 1))));

  const cold = process.cpuUsage();
  await startShard(shardCycleEvent(10, 1));
  const coldMs = cpuMs(cold);
  for (let i = 0; i < WARMUP_CALLS; i += 1) await startShard(shardCycleEvent(10, 1));

  const single = process.cpuUsage();
  const singleBegan = performance.now();
  for (let i = 0; i < MEASURED_CALLS; i += 1) await startShard(shardCycleEvent(10, 1));
  const singleMs = cpuMs(single) / MEASURED_CALLS;
  const singleWallMs = (performance.now() - singleBegan) / MEASURED_CALLS;

  for (let i = 0; i < 10; i += 1) await fanOut();
  const fanned = process.cpuUsage();
  const fannedBegan = performance.now();
  for (let i = 0; i < MEASURED_FAN_OUTS; i += 1) await fanOut();
  const fanOutMs = cpuMs(fanned) / MEASURED_FAN_OUTS;
  const fanOutWallMs = (performance.now() - fannedBegan) / MEASURED_FAN_OUTS;

  console.log(
    `fan-out Invoke: asyncInvoker over the AWS SDK to a loopback 202 server (another process), node ${process.version}`,
  );
  console.log(`  cold (a fresh client's first Invoke): ${coldMs.toFixed(1)} ms CPU`);
  console.log(
    `  warm, one at a time: ${singleMs.toFixed(2)} ms CPU and ${singleWallMs.toFixed(2)} ms wall per Invoke (mean of ${MEASURED_CALLS})`,
  );
  console.log(
    `  warm, a fan-out of ${SHARDS - 1} parallel Invokes (K = ${SHARDS}): ${fanOutMs.toFixed(2)} ms CPU (${(fanOutMs / (SHARDS - 1)).toFixed(2)} ms per Invoke), ${fanOutWallMs.toFixed(2)} ms wall (mean of ${MEASURED_FAN_OUTS})`,
  );
} finally {
  server.kill();
}
