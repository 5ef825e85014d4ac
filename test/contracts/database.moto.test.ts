// The database contract run against the RDS adapter over HTTP to moto's server on loopback (RDS and
// CloudWatch), moto reset before each case. Where moto answers differently from RDS, the case names
// the difference (see lanes/differences.ts) instead of bending the adapter.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBInstanceReadReplicaCommand,
  CreateGlobalClusterCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { LAG_METRICS, RdsDatabaseAdapter } from '../../lambdas/adapters/aws/rds-database.adapter';
import { RegionalClients } from '../../lambdas/adapters/aws/regional-clients';
import { databaseContract } from './database.contract';
import { motoLane } from './lanes/moto-server';

const CREDENTIALS = { MasterUsername: 'guard', MasterUserPassword: 'contract-password-1' };

motoLane('database contract', (server) => {
  databaseContract(
    'RDS adapter over moto',
    async () => {
      const config = server();
      await fetch(`${config.endpoint}/moto-api/reset`, { method: 'POST' });
      const rds = new RegionalClients((region) => new RDSClient({ ...config, region }));
      const cloudWatch = new RegionalClients((region) => new CloudWatchClient({ ...config, region }));
      const addAuroraCluster = async (region: string, identifier: string, globalIdentifier?: string) =>
        rds.get(region).send(
          new CreateDBClusterCommand({
            DBClusterIdentifier: identifier,
            Engine: 'aurora-postgresql',
            ...CREDENTIALS,
            ...(globalIdentifier ? { GlobalClusterIdentifier: globalIdentifier } : {}),
          }),
        );
      const addAuroraInstance = async (region: string, cluster: string, identifier: string) =>
        rds.get(region).send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: identifier,
            DBClusterIdentifier: cluster,
            Engine: 'aurora-postgresql',
            DBInstanceClass: 'db.r6g.large',
          }),
        );
      return {
        port: new RdsDatabaseAdapter({ rds, cloudWatch }),
        addInstance: async (region, identifier) => {
          await rds.get(region).send(
            new CreateDBInstanceCommand({
              DBInstanceIdentifier: identifier,
              Engine: 'postgres',
              DBInstanceClass: 'db.t3.micro',
              AllocatedStorage: 20,
              BackupRetentionPeriod: 1,
              ...CREDENTIALS,
            }),
          );
        },
        addReplica: async (region, identifier, source) => {
          await rds.get(region).send(
            new CreateDBInstanceReadReplicaCommand({
              DBInstanceIdentifier: identifier,
              SourceDBInstanceIdentifier: source,
            }),
          );
        },
        addCluster: async (region, identifier, writer, readers) => {
          await addAuroraCluster(region, identifier);
          for (const instance of [writer, ...readers]) await addAuroraInstance(region, identifier, instance);
        },
        addGlobalCluster: async (identifier, primary, secondary) => {
          // An empty global database first, then its clusters: moto marks the first cluster added this way
          // as the writer (a global database made from an existing cluster lists that cluster as a reader).
          await rds
            .get(primary.region)
            .send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: identifier, Engine: 'aurora-postgresql' }));
          await addAuroraCluster(primary.region, primary.cluster, identifier);
          await addAuroraInstance(primary.region, primary.cluster, `${primary.cluster}-writer`);
          await addAuroraInstance(primary.region, primary.cluster, `${primary.cluster}-reader`);
          await addAuroraCluster(secondary.region, secondary.cluster, identifier);
          await addAuroraInstance(secondary.region, secondary.cluster, `${secondary.cluster}-reader`);
        },
        setLag: async (region, identifier, engine, seconds) => {
          const metric = LAG_METRICS[engine];
          await cloudWatch.get(region).send(
            new PutMetricDataCommand({
              Namespace: 'AWS/RDS',
              MetricData: [
                {
                  MetricName: metric.metricName,
                  Dimensions: [{ Name: metric.dimension, Value: identifier }],
                  Value: seconds / metric.unitSeconds,
                  // A minute old, as RDS's datapoints are: moto leaves out one at the query's own second.
                  Timestamp: new Date(Date.now() - 60_000),
                },
              ],
            }),
          );
        },
        // moto finishes every change at once: there is nothing to wait for.
        advance: async () => {},
        finishesAtOnce: true,
      };
    },
    {
      'links a read replica and its source both ways':
        "moto gives a read replica no StatusInfos, so no 'read replication' status (RDS reports replicating)",
      'shows a promotion under way right after the call':
        'moto promotes at once: the replica stays available, where RDS shows it modifying, then rebooting',
      'ends a promotion standalone, and the old source no longer lists it':
        'moto keeps ReadReplicaSourceDBInstanceIdentifier on a promoted replica, and its old source still lists it',
      'refuses to promote an instance that is not a read replica':
        'moto accepts PromoteReadReplica on an instance that is not a replica and changes nothing',
      'fails to promote an instance that does not exist, naming it':
        'moto answers HTTP 500 (an internal KeyError) where RDS answers DBInstanceNotFound',
      'shows a cluster failover under way right after the call':
        'moto fails a cluster over at once: the cluster stays available, where RDS shows it failing-over',
      'reports a global cluster that does not exist as absent':
        'moto ignores GlobalClusterIdentifier in DescribeGlobalClusters and lists every global cluster',
      'fails a global cluster over with data loss allowed': 'moto does not implement FailoverGlobalCluster (HTTP 500)',
      'switches a global cluster over without data loss': 'moto does not implement FailoverGlobalCluster (HTTP 500)',
      'shows a global failover under way right after the call':
        'moto does not implement FailoverGlobalCluster (HTTP 500)',
      'refuses a global failover to a cluster that is not a member, naming it':
        'moto does not implement FailoverGlobalCluster (HTTP 500)',
      'fails to fail over a global cluster that does not exist, naming it':
        'moto does not implement FailoverGlobalCluster (HTTP 500)',
      'stops an available instance: stopping, then stopped':
        'moto stops an instance at once: it is stopped, never stopping, when StopDBInstance returns',
    },
  );
});
