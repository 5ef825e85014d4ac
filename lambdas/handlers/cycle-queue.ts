// The tick schedule's queue: the minute's tick sends one delayed SQS message per later cycle; the
// queue's event source mapping invokes the checker for each, one cycle per invocation. A shard's
// messages name the shard, so each queued cycle runs the same slice as the tick that queued it.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queuedCycleBody } from '../contracts/checker-shard';

/** SQS takes at most ten messages per SendMessageBatch. */
const BATCH_LIMIT = 10;

export function sqsCycleQueue(
  client: SQSClient,
  queueUrl: string,
): (delaysSeconds: readonly number[], shard: number) => Promise<void> {
  return async (delaysSeconds, shard) => {
    for (let start = 0; start < delaysSeconds.length; start += BATCH_LIMIT) {
      const batch = delaysSeconds.slice(start, start + BATCH_LIMIT);
      const result = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((delay) => ({
            Id: `cycle-${delay}s`,
            DelaySeconds: delay,
            MessageBody: queuedCycleBody(delay, shard),
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
