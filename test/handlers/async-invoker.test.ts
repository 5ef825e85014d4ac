import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { asyncInvoker } from '../../lambdas/handlers/async-invoker';

const lambda = mockClient(LambdaClient);

describe('asyncInvoker', () => {
  afterEach(() => lambda.reset());

  it('invokes the function asynchronously (Event) with the payload as JSON', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const request = { checkerPlanId: 'plan-20250101T000000Z-abcd1234', checker: 'eu-west-1', actions: 1, alerts: 0 };
    await asyncInvoker(new LambdaClient({ region: 'eu-west-1' }), 'shop-actor')(request);
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: 'shop-actor',
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(request)),
    });
  });

  it('lets an invocation failure reach the caller', async () => {
    lambda.on(InvokeCommand).rejects(new Error('Rate exceeded'));
    await expect(
      asyncInvoker(
        new LambdaClient({ region: 'eu-west-1' }),
        'shop-actor',
      )({ checkerPlanId: 'p', checker: 'eu-west-1', actions: 1, alerts: 0 }),
    ).rejects.toThrow('Rate exceeded');
  });
});
