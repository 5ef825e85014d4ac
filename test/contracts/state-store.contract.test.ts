// The state store contract run against each lane: the in-memory fake, the DynamoDB adapter over
// DynamoDB's wire answers (aws-sdk-client-mock), and the DynamoDB adapter over HTTP to moto on loopback.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStateStoreAdapter } from '../../lambdas/adapters/aws/dynamodb-state-store.adapter';
import { MemoryStateStore } from '../../lambdas/adapters/memory/memory-state-store';
import { DynamoDbWireModel } from './lanes/dynamodb-wire';
import { motoLane } from './lanes/moto-server';
import { CONTRACT_START, stateStoreContract } from './state-store.contract';

const TABLE = 'failover-guard-state';

/** A clock the lane moves by hand. */
function manualClock() {
  let nowMs = CONTRACT_START;
  return {
    now: () => new Date(nowMs),
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

stateStoreContract('in-memory cloud', async () => {
  const clock = manualClock();
  return { port: new MemoryStateStore({ now: clock.now }), advance: clock.advance };
});

stateStoreContract('DynamoDB adapter over aws-sdk-client-mock', async () => {
  const clock = manualClock();
  const wire = new DynamoDbWireModel(TABLE);
  return {
    port: new DynamoDbStateStoreAdapter({ client: wire.client, tableName: TABLE, now: clock.now }),
    advance: clock.advance,
  };
});

motoLane('state store contract', (server) => {
  let tables = 0;
  let client: DynamoDBClient | undefined;
  stateStoreContract('DynamoDB adapter over moto', async () => {
    client ??= new DynamoDBClient(server());
    tables += 1;
    const tableName = `${TABLE}-${tables}`;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    const clock = manualClock();
    return { port: new DynamoDbStateStoreAdapter({ client, tableName, now: clock.now }), advance: clock.advance };
  });
});
