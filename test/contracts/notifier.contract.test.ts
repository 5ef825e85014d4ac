// The notifier contract run against each lane: the in-memory outbox, the SNS adapter over SNS's wire
// answers (aws-sdk-client-mock), and the SNS adapter over HTTP to moto, read back through an SQS queue.
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SnsNotifierAdapter } from '../../lambdas/adapters/aws/sns-notifier.adapter';
import { FaultInjector } from '../../lambdas/adapters/memory/faults';
import { MemoryNotifier } from '../../lambdas/adapters/memory/memory-notifier';
import { motoLane } from './lanes/moto-server';
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

/** An SNS notification as SQS holds it: SNS's JSON envelope around the message. */
interface Envelope {
  readonly Message: string;
  readonly MessageAttributes?: Record<string, { readonly Value: string }>;
}

motoLane('notifier contract', (server) => {
  let topics = 0;
  notifierContract('SNS adapter over moto', async () => {
    const config = server();
    const sns = new SNSClient(config);
    const sqs = new SQSClient(config);
    topics += 1;
    const topic = await sns.send(new CreateTopicCommand({ Name: `failover-guard-${topics}` }));
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `subscriber-${topics}` }));
    const queueArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: queueArn }));
    return {
      port: new SnsNotifierAdapter(sns, topic.TopicArn ?? ''),
      delivered: async () => {
        const received = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10 }),
        );
        return (received.Messages ?? []).map((m) => {
          const envelope = JSON.parse(m.Body ?? '{}') as Envelope;
          return {
            body: JSON.parse(envelope.Message) as Record<string, unknown>,
            attributes: Object.fromEntries(
              Object.entries(envelope.MessageAttributes ?? {}).map(([name, value]) => [name, value.Value]),
            ),
          };
        });
      },
    };
  });
});
