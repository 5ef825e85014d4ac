// The database contract run against the in-memory cloud and against the RDS adapter over RDS's and
// CloudWatch's wire answers (aws-sdk-client-mock), one mocked client per region as the adapter keeps
// them. The moto lane is database.moto.test.ts (slow lane).
import { LAG_METRICS, RdsDatabaseAdapter } from '../../lambdas/adapters/aws/rds-database.adapter';
import { RegionalClients } from '../../lambdas/adapters/aws/regional-clients';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { databaseContract } from './database.contract';
import { RdsWireModel } from './lanes/rds-wire';

databaseContract('in-memory cloud', async () => {
  const cloud = new MemoryCloud({ now: () => new Date('2026-01-01T00:00:00Z') });
  const db = cloud.database;
  return {
    port: db,
    addInstance: async (region, identifier) => db.addInstance({ region, identifier }),
    addReplica: async (region, identifier, source) =>
      db.addInstance({ region, identifier, replicaOf: { region, identifier: source } }),
    addCluster: async (region, identifier, writer, readers) =>
      db.addCluster({
        region,
        identifier,
        members: [
          { instanceIdentifier: writer, isWriter: true },
          ...readers.map((r) => ({ instanceIdentifier: r, isWriter: false })),
        ],
      }),
    addGlobalCluster: async (identifier, primary, secondary) => {
      db.addCluster({
        region: primary.region,
        identifier: primary.cluster,
        members: [
          { instanceIdentifier: `${primary.cluster}-writer`, isWriter: true },
          { instanceIdentifier: `${primary.cluster}-reader`, isWriter: false },
        ],
      });
      db.addCluster({
        region: secondary.region,
        identifier: secondary.cluster,
        members: [{ instanceIdentifier: `${secondary.cluster}-reader`, isWriter: false }],
      });
      db.addGlobalCluster({
        identifier,
        members: [
          { region: primary.region, clusterIdentifier: primary.cluster, isWriter: true },
          { region: secondary.region, clusterIdentifier: secondary.cluster, isWriter: false },
        ],
      });
    },
    setLag: async (region, identifier, _engine, seconds) => db.setLag(identifier, seconds, region),
    advance: async (ms) => cloud.advance(ms),
  };
});

databaseContract('RDS adapter over aws-sdk-client-mock', async () => {
  const wire = new RdsWireModel();
  return {
    port: new RdsDatabaseAdapter({
      rds: new RegionalClients((region) => wire.rdsClient(region)),
      cloudWatch: new RegionalClients((region) => wire.cloudWatchClient(region)),
      now: wire.now,
    }),
    addInstance: async (region, identifier) => wire.addInstance(region, identifier),
    addReplica: async (region, identifier, source) => wire.addInstance(region, identifier, source),
    addCluster: async (region, identifier, writer, readers) =>
      wire.addCluster(region, identifier, [
        { instance: writer, writer: true },
        ...readers.map((r) => ({ instance: r, writer: false })),
      ]),
    addGlobalCluster: async (identifier, primary, secondary) => {
      wire.addCluster(primary.region, primary.cluster, [
        { instance: `${primary.cluster}-writer`, writer: true },
        { instance: `${primary.cluster}-reader`, writer: false },
      ]);
      wire.addCluster(secondary.region, secondary.cluster, [
        { instance: `${secondary.cluster}-reader`, writer: false },
      ]);
      wire.addGlobalCluster(identifier, [
        { region: primary.region, cluster: primary.cluster, writer: true },
        { region: secondary.region, cluster: secondary.cluster, writer: false },
      ]);
    },
    setLag: async (region, identifier, engine, seconds) => {
      const metric = LAG_METRICS[engine];
      wire.setMetric(region, metric.metricName, identifier, seconds / metric.unitSeconds);
    },
    advance: async (ms) => wire.advance(ms),
  };
});
