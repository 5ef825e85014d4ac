// Asynchronous (Event) invocations of a guard function: the checker hands plan hints to the actor, and
// a sharded region's shard 0 starts the other shards on a queued cycle, without waiting for either to
// run. Lambda answers 202 once the event is queued; a failed or expired event lands in the function's
// on-failure destination (the dead-letter queue).
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

export function asyncInvoker(client: LambdaClient, functionName: string): (payload: object) => Promise<void> {
  return async (payload) => {
    await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
  };
}
