// The topologies of the docs' cost table: `count` HTTP servers over two regions plus a 3-member
// RDS database (primary and a replica in eu-west-1, a replica in eu-central-1).
import type { TopologyInput } from '../../../lambdas/domain/config/schema';
import { largeTopologyInput } from '../../fixtures/large-topology';

const member = (id: string, region: string) => ({
  id,
  region,
  identifier: id,
  endpoint: { host: `${id}.abc.${region}.rds.amazonaws.com`, port: 5432 },
});

export function costTopologyInput(count: number): TopologyInput {
  return {
    ...largeTopologyInput(count),
    databases: [
      {
        id: 'orders',
        engine: 'rds-instance',
        primary: member('orders-primary', 'eu-west-1'),
        replicas: [member('orders-r1', 'eu-west-1'), member('orders-fra', 'eu-central-1')],
        writerDns: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'db-writer.big.example.com' },
      },
    ],
  };
}
