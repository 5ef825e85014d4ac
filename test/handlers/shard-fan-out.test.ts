// The tick schedule of a sharded region through the real SQS queue and Lambda invoker over mocked
// clients: shard 0's tick queues one message per later cycle for the whole region, and shard 0 starts
// the other shards on each queued cycle (asynchronous Invokes of the checker itself, all at once, under
// a deadline) before its own cycle. A refused or unanswered Invoke never stops the others or shard 0's
// cycle, and fails the invocation at the end naming the shard and the cause.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { queuedCycleBody, shardCycleEvent, shardTickInput } from '../../lambdas/contracts/checker-shard';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { Topology } from '../../lambdas/domain/config/schema';
import { readAllViews } from '../../lambdas/engine';
import { asyncInvoker } from '../../lambdas/handlers/async-invoker';
import { createCheckerHandler } from '../../lambdas/handlers/checker';
import { sqsCycleQueue } from '../../lambdas/handlers/cycle-queue';
import { fanOutDeadlineMs } from '../../lambdas/handlers/shard-fan-out';
import { DeadlineExceededError } from '../../lambdas/ports/deadline';
import { exampleInput } from '../fixtures/guard-topologies';
import { captureOutput, fakeClock, powertools, tableProbe } from './handler-fixtures';

const REGION = 'eu-west-1';
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/cycles';
const CHECKER = 'failover-guard-shop-checker';
const lambdaContext = { getRemainingTimeInMillis: () => 70_000 };
const queuedCycle = (delaySeconds: number) => ({
  Records: [{ eventSource: 'aws:sqs', body: queuedCycleBody(delaySeconds) }],
});

const lambda = mockClient(LambdaClient);
const sqs = mockClient(SQSClient);

function topologyOf(shards: number, intervalSeconds = 10): Topology {
  const input = exampleInput();
  return parseTopology({
    ...input,
    checks: { ...input.checks, intervalSeconds },
    guard: { ...input.guard, regions: [REGION], schedule: 'tick', shards },
  });
}

const payloadOf = (input: { Payload?: unknown }) =>
  JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as unknown;

/** A deadline the test ends by hand (`expire`): no real waiting. */
function manualDeadlines() {
  const started: { ms: number; what: string; expire: () => void }[] = [];
  const startDeadline = (ms: number, what: string) => {
    const controller = new AbortController();
    started.push({
      ms,
      what,
      expire: () => controller.abort(new DeadlineExceededError(`no answer within the ${what} of ${ms / 1000} s`)),
    });
    return controller.signal;
  };
  return { started, startDeadline };
}

/** One shard's checker (its own Lambda instance) over the memory cloud, its schedule through the real SQS and Lambda clients. */
function shardChecker(topology: Topology) {
  const clock = fakeClock();
  const cloud = MemoryCloud.fromTopology(topology, { now: () => new Date(clock.nowMs()) });
  const deadlines = manualDeadlines();
  const startSelf = asyncInvoker(new LambdaClient({ region: REGION }), CHECKER);
  /** The shards whose Invoke was answered, and waiters for a number of them. */
  const started: number[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const startedCount = (count: number) =>
    new Promise<void>((resolve) => (started.length >= count ? resolve() : waiters.push({ count, resolve })));
  const handler = createCheckerHandler({
    topology,
    region: REGION,
    ports: cloud.ports(REGION),
    probe: tableProbe(clock).probe,
    invokeActor: async () => {},
    ...powertools(topology.name),
    clock,
    schedule: {
      mode: 'tick',
      queueCycles: sqsCycleQueue(new SQSClient({ region: REGION }), QUEUE_URL),
      startShardCycle: async (shard, delaySeconds) => {
        await startSelf(shardCycleEvent(delaySeconds, shard));
        started.push(shard);
        for (const w of waiters.filter((w) => started.length >= w.count)) w.resolve();
      },
    },
    startDeadline: deadlines.startDeadline,
  });
  return { handler, cloud, deadlines, startedCount };
}

describe('the tick schedule of a sharded region', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
    lambda.reset();
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  });
  afterEach(() => output.restore());

  it('shard 0’s tick sends one SendMessageBatch of one message per later cycle for the whole region, naming no shard', async () => {
    const { handler } = shardChecker(topologyOf(4));
    await expect(handler(shardTickInput(0), lambdaContext)).resolves.toMatchObject({ queuedCycles: 5 });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: [10, 20, 30, 40, 50].map((delay) => ({
        Id: `cycle-${delay}s`,
        DelaySeconds: delay,
        MessageBody: JSON.stringify({ cycleDelaySeconds: delay }),
      })),
    });
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
  });

  it('another shard’s tick queues nothing and starts nothing: it runs its own cycle', async () => {
    const { handler } = shardChecker(topologyOf(4));
    await expect(handler(shardTickInput(2), lambdaContext)).resolves.toEqual({ cycles: 1, actorInvocations: 0 });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
  });

  it('a queued cycle starts shards 1 … K−1 all at once (K−1 Invokes of the checker itself, Event, naming shard and cycle), then runs shard 0’s cycle', async () => {
    // Prepare: each Invoke answers only once all three were sent, so a one-at-a-time fan-out would never finish
    const { handler, cloud } = shardChecker(topologyOf(4));
    let release: () => void = () => {};
    const allSent = new Promise<void>((resolve) => {
      release = resolve;
    });
    lambda.on(InvokeCommand).callsFake(async () => {
      if (lambda.commandCalls(InvokeCommand).length === 3) release();
      await allSent;
      return { StatusCode: 202 };
    });
    // Act
    const result = await handler(queuedCycle(30), lambdaContext);
    // Assess
    expect(result).toMatchObject({ cycles: 1, startedShards: 3 });
    expect(lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input)).toEqual(
      [1, 2, 3].map((shard) => ({
        FunctionName: CHECKER,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ cycleDelaySeconds: 30, shard })),
      })),
    );
    expect((await readAllViews(cloud.store)).map((v) => v.shard)).toEqual([{ index: 0, count: 4 }]);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('a refused Invoke: the other shards are still started, shard 0’s cycle still runs, and the invocation fails at the end naming the shard and the cause', async () => {
    // Prepare: Lambda throttles the start of shard 2
    const { handler, cloud } = shardChecker(topologyOf(4));
    lambda.on(InvokeCommand).callsFake(async (input: { Payload: Uint8Array }) => {
      if ((payloadOf(input) as { shard: number }).shard === 2)
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
      return { StatusCode: 202 };
    });
    // Act
    const outcome = handler(queuedCycle(20), lambdaContext);
    // Assess
    await expect(outcome).rejects.toThrow(
      `Could not start checker shard 2 of 4 in ${REGION} on the queued cycle at 20 s (shard 2: TooManyRequestsException: Rate exceeded); the other shards and shard 0's own cycle ran.`,
    );
    expect(lambda.commandCalls(InvokeCommand).map((c) => payloadOf(c.args[0].input))).toEqual([
      { cycleDelaySeconds: 20, shard: 1 },
      { cycleDelaySeconds: 20, shard: 2 },
      { cycleDelaySeconds: 20, shard: 3 },
    ]);
    expect((await readAllViews(cloud.store)).map((v) => v.shard)).toEqual([{ index: 0, count: 4 }]);
    expect(output.logs('checker.fan-out-failed')).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        shardsNotStarted: [2],
        error: expect.objectContaining({ name: 'ShardFanOutError' }),
      }),
    ]);
    expect(output.logs('checker.cycle')).toHaveLength(1);
  });

  it('an Invoke that never answers ends at the fan-out’s deadline (a quarter of the interval): the others were started, shard 0’s cycle runs', async () => {
    // Prepare: the start of shard 3 hangs until its deadline passes
    const { handler, cloud, deadlines, startedCount } = shardChecker(topologyOf(4));
    lambda.on(InvokeCommand).callsFake(async (input: { Payload: Uint8Array }) => {
      if ((payloadOf(input) as { shard: number }).shard !== 3) return { StatusCode: 202 };
      // The deadline passes once the other two were answered (and their answers taken: every pending microtask has run)
      void startedCount(2).then(() =>
        setImmediate(() => deadlines.started.find((d) => d.what === "shard fan-out's deadline")?.expire()),
      );
      return new Promise(() => {});
    });
    // Act
    const outcome = handler(queuedCycle(10), lambdaContext);
    // Assess
    await expect(outcome).rejects.toThrow(
      `Could not start checker shard 3 of 4 in ${REGION} on the queued cycle at 10 s (shard 3: Lambda Invoke on checker shard 3 failed: DeadlineExceeded: no answer within the shard fan-out's deadline of 2.5 s)`,
    );
    expect(deadlines.started[0]).toMatchObject({ ms: 2_500, what: "shard fan-out's deadline" });
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 3);
    expect((await readAllViews(cloud.store)).map((v) => v.shard)).toEqual([{ index: 0, count: 4 }]);
  });

  it('an unsharded region’s queued cycle starts nothing', async () => {
    const { handler } = shardChecker(topologyOf(1));
    await expect(handler(queuedCycle(10), lambdaContext)).resolves.toEqual({ cycles: 1, actorInvocations: 0 });
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
  });

  it.each([
    [10, 2_500],
    [3, 750],
    [60, 10_000],
  ])(
    'the fan-out may hold shard 0’s cycle a quarter of a %s s interval, at most the cycle deadline: %i ms',
    (interval, ms) => {
      expect(fanOutDeadlineMs(topologyOf(4, interval))).toBe(ms);
    },
  );
});
