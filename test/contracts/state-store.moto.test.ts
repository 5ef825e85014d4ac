// The state store contract run against the DynamoDB adapter over HTTP to moto on loopback (slow lane).
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStateStoreAdapter } from '../../lambdas/adapters/aws/dynamodb-state-store.adapter';
import { stateTableDefinition } from '../fixtures/state-table-definition';
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
    await client.send(new CreateTableCommand(stateTableDefinition(tableName)));
    const clock = manualClock();
    return { port: new DynamoDbStateStoreAdapter({ client, tableName, now: clock.now }), advance: clock.advance };
  });
});
