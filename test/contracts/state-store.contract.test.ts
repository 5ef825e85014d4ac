// The state store contract run against the in-memory fake and the DynamoDB adapter over DynamoDB's wire
// answers (aws-sdk-client-mock). The moto lane is state-store.moto.test.ts (slow lane).
import { DynamoDbStateStoreAdapter } from '../../lambdas/adapters/aws/dynamodb-state-store.adapter';
import { MemoryStateStore } from '../../lambdas/adapters/memory/memory-state-store';
import { DynamoDbWireModel } from './lanes/dynamodb-wire';
import { manualClock, stateStoreContract } from './state-store.contract';

const TABLE = 'failover-guard-state';

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
