// The notifier contract run against the in-memory outbox and the SNS adapter over SNS's wire answers
// (aws-sdk-client-mock). The moto lane is notifier.moto.test.ts (slow lane).
import { SnsNotifierAdapter } from '../../lambdas/adapters/aws/sns-notifier.adapter';
import { FaultInjector } from '../../lambdas/adapters/memory/faults';
import { MemoryNotifier } from '../../lambdas/adapters/memory/memory-notifier';
import { SnsWireModel } from './lanes/sns-wire';
import { notifierContract } from './notifier.contract';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:failover-guard';
const attributesOf = (n: { severity: string; eventType: string }) => ({ severity: n.severity, eventType: n.eventType });

notifierContract('in-memory cloud', async () => {
  const notifier = new MemoryNotifier(new FaultInjector());
  return {
    port: notifier,
    delivered: async () => notifier.outbox.map((n) => ({ body: { ...n }, attributes: attributesOf(n) })),
  };
});

notifierContract('SNS adapter over aws-sdk-client-mock', async () => {
  const wire = new SnsWireModel(TOPIC);
  return {
    port: new SnsNotifierAdapter(wire.client, TOPIC),
    delivered: async () =>
      wire.published.map((p) => ({
        body: JSON.parse(p.Message ?? '{}') as Record<string, unknown>,
        attributes: Object.fromEntries(
          Object.entries(p.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? '']),
        ),
      })),
  };
});
