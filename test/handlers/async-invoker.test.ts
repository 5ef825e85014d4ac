import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { asyncActorInvoker } from '../../lambdas/handlers/actor-invoker';

const lambda = mockClient(LambdaClient);

describe('asyncActorInvoker', () => {
  afterEach(() => lambda.reset());

  it('invokes the actor asynchronously (Event) with the request as JSON', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const request = { checkerPlanId: 'plan-20250101T000000Z-abcd1234', checker: 'eu-west-1', actions: 1, alerts: 0 };
    await asyncActorInvoker(new LambdaClient({ region: 'eu-west-1' }), 'shop-actor')(request);
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, { FunctionName: 'shop-actor', InvocationType: 'Event' });
    const payload = lambda.commandCalls(InvokeCommand)[0]!.args[0].input.Payload as Uint8Array;
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(request);
  });

  it('lets an invocation failure reach the checker cycle', async () => {
    lambda.on(InvokeCommand).rejects(new Error('Rate exceeded'));
    await expect(
      asyncActorInvoker(
        new LambdaClient({ region: 'eu-west-1' }),
        'shop-actor',
      )({ checkerPlanId: 'p', checker: 'eu-west-1', actions: 1, alerts: 0 }),
    ).rejects.toThrow('Rate exceeded');
  });
});
