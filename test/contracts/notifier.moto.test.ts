// The notifier contract run against the SNS adapter over HTTP to moto, read back through an SQS queue
// subscribed to the topic (slow lane).
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SnsNotifierAdapter } from '../../lambdas/adapters/aws/sns-notifier.adapter';
import { motoLane } from './lanes/moto-server';
import { notifierContract } from './notifier.contract';

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
