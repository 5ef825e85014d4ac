// SNS as it answers on the wire, for the aws-sdk-client-mock lane: Publish to one topic, refused as SNS
// refuses it (InvalidParameterException for a subject SNS does not accept or a message over 256 KB,
// NotFoundException for another topic), keeping every accepted message.
import {
  InvalidParameterException,
  NotFoundException,
  PublishCommand,
  type PublishCommandInput,
  SNSClient,
} from '@aws-sdk/client-sns';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';

const META = { httpStatusCode: 400, requestId: 'wire-model' };
const MESSAGE_LIMIT_BYTES = 256 * 1024;

export class SnsWireModel {
  /** A client of its own (the stub is per instance, so other lanes' clients stay real). */
  readonly client = new SNSClient({ region: 'eu-west-1' });
  readonly stub: AwsClientStub<SNSClient>;
  readonly published: PublishCommandInput[] = [];

  constructor(readonly topicArn: string) {
    this.stub = mockClient(this.client);
    this.stub.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      if (input.TopicArn !== this.topicArn)
        throw new NotFoundException({ message: 'Topic does not exist', $metadata: { ...META, httpStatusCode: 404 } });
      const subject = input.Subject;
      if (subject !== undefined && (subject.length === 0 || subject.length >= 100 || !/^[\x20-\x7e]+$/.test(subject))) {
        throw new InvalidParameterException({ message: 'Invalid parameter: Subject', $metadata: META });
      }
      const attributeBytes = Object.entries(input.MessageAttributes ?? {}).reduce(
        (sum, [name, value]) =>
          sum +
          Buffer.byteLength(name) +
          Buffer.byteLength(value.DataType ?? '') +
          Buffer.byteLength(value.StringValue ?? ''),
        0,
      );
      if (Buffer.byteLength(input.Message ?? '') + attributeBytes > MESSAGE_LIMIT_BYTES) {
        throw new InvalidParameterException({ message: 'Invalid parameter: Message too long', $metadata: META });
      }
      this.published.push(structuredClone(input));
      return { MessageId: `m-${this.published.length}` };
    });
  }
}
