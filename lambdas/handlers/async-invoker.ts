// Hands a plan hint to the actor function: an asynchronous (Event) invocation, so the checker's
// loop never waits for an action to finish; failures land in the actor's on-failure queue.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ActorRequest } from './checker';

export function asyncActorInvoker(
  client: LambdaClient,
  functionName: string,
): (request: ActorRequest) => Promise<void> {
  return async (request) => {
    await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(request)),
      }),
    );
  };
}
