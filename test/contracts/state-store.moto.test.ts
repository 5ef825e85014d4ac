// The state store contract run against the DynamoDB adapter over HTTP to moto on loopback (slow lane).
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStateStoreAdapter } from '../../lambdas/adapters/aws/dynamodb-state-store.adapter';
import { motoLane } from './lanes/moto-server';
import { manualClock, stateStoreContract } from './state-store.contract';

const TABLE = 'failover-guard-state';

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
