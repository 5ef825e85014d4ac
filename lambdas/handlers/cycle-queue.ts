// The tick schedule's queue: shard 0's minute tick sends one delayed SQS message per later cycle for
// the whole region; the queue's event source mapping invokes the checker (shard 0) for each, one cycle
// per invocation, and a sharded region's shard 0 starts the other shards on it (./shard-fan-out.ts).
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queuedCycleBody } from '../contracts/checker-shard';

/** SQS takes at most ten messages per SendMessageBatch. */
const BATCH_LIMIT = 10;

export function sqsCycleQueue(
  client: SQSClient,
  queueUrl: string,
): (delaysSeconds: readonly number[]) => Promise<void> {
  return async (delaysSeconds) => {
    for (let start = 0; start < delaysSeconds.length; start += BATCH_LIMIT) {
      const batch = delaysSeconds.slice(start, start + BATCH_LIMIT);
      const result = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((delay) => ({
            Id: `cycle-${delay}s`,
            DelaySeconds: delay,
            MessageBody: queuedCycleBody(delay),
          })),
        }),
      );
      const failed = result.Failed ?? [];
      if (failed.length > 0) {
        const reasons = failed.map((f) => `${f.Id}: ${f.Code ?? 'unknown'} ${f.Message ?? ''}`.trim()).join('; ');
        throw new Error(
          `SQS refused ${failed.length} of ${batch.length} queued checker cycles on ${queueUrl} (${reasons}); check the queue exists and the checker may sqs:SendMessage to it.`,
        );
      }
    }
  };
}
