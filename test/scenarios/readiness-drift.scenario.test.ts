// Readiness drift, both ways: what was added to the account outside the topology (a server registered
// behind a topology load balancer, a value in a guarded record set, a read replica of a topology
// database) is reported once as drift and cleared once it is gone; a deletion is still reported; and
// an inventory the guard may not read is "could not check", never a failed cycle.
import { describe, expect, it } from 'vitest';
import { evaluateReadiness, gatherPlannerInput, type GuardContext } from '../../lambdas/engine';
import { readGuardState } from '../../lambdas/engine/state/guard-state';
import { AccessDeniedError } from '../../lambdas/ports/errors';
import { member, twoReplicaDb } from './database-fixtures';
import { harness, ipSetRecord, webTopology, ZONE, type Harness } from './engine-harness';
import { editSet, expectToldOnce, period, readinessNotices, readyWorld, story, TG } from './readiness-fixtures';

/** The not-ready drift rows a readiness cycle evaluates now. */
async function driftRows(h: Harness, overrides: Partial<GuardContext> = {}) {
  const input = await gatherPlannerInput(h.context(overrides), 'plan-readiness', undefined, { certificates: {} });
  return evaluateReadiness({ planner: input, evidence: input.readiness! })
    .filter((r) => r.rule === 'drift' && !r.ready)
    .map((r) => [r.resource, r.why]);
}

const INSTANCE = 'i-0a1b2c3d4e5f60789';

describe('readiness drift: added outside the topology', () => {
  it('an EC2 instance registered behind a topology load balancer → not ready, told once → deregistered → ready', async () => {
    // Prepare: the instance exists in EC2 (the inventory lists its address)
    const h = readyWorld();
    h.cloud.inventory.addInstance('eu-central-1', {
      id: INSTANCE,
      state: 'running',
      name: 'web-new',
      privateIps: ['10.1.0.77'],
      publicIps: [],
      ipv6: [],
    });
    // Act
    const result = await story(
      h,
      () => h.cloud.loadBalancer.addTargets(TG, [{ targetId: INSTANCE, port: 8080 }]),
      () => h.cloud.loadBalancer.removeTargets(TG, [INSTANCE]),
    );
    // Assess
    expectToldOnce(
      result,
      'drift',
      `lb-fra ${INSTANCE}`,
      /^i-0a1b2c3d4e5f60789 \(10\.1\.0\.77\) is registered in target group web-fra of lb-fra but is no server of the topology: the guard never probes it$/,
    );
  });

  it('a value added to a guarded record set → not ready, told once → removed → ready', async () => {
    const h = readyWorld();
    const result = await story(
      h,
      () => editSet(h, 'fra', (s) => ({ ...s, values: [...s.values, '10.1.0.99'] })),
      () => editSet(h, 'fra', (s) => ({ ...s, values: s.values.filter((v) => v !== '10.1.0.99') })),
    );
    expectToldOnce(
      result,
      'drift',
      'origin.shop.example.com [fra] 10.1.0.99',
      /^10\.1\.0\.99 is served by origin\.shop\.example\.com \[fra\] but is in no target of the topology/,
    );
  });

  it('a read replica of a topology database created in RDS → not ready, told once → deleted → ready', async () => {
    const h = readyWorld();
    const result = await story(
      h,
      () =>
        h.cloud.database.addInstance({
          identifier: 'orders-r9',
          region: 'eu-west-1',
          replicaOf: { region: 'eu-west-1', identifier: 'orders-primary' },
        }),
      () => h.cloud.failInstance('orders-r9', 'deleted'),
    );
    expectToldOnce(
      result,
      'drift',
      'orders-r9@eu-west-1',
      /^orders-r9 replicates from orders-primary but is not in the topology: the guard never promotes it$/,
    );
  });

  it('a deletion is still reported: a topology replica deleted in RDS → not ready, named as in the topology', async () => {
    const h = readyWorld();
    const result = await story(
      h,
      () => h.cloud.failInstance('orders-r1', 'deleted'),
      () =>
        h.cloud.database.addInstance({
          identifier: 'orders-r1',
          region: 'eu-west-1',
          replicaOf: { region: 'eu-west-1', identifier: 'orders-primary' },
          lagSeconds: 2,
        }),
    );
    expectToldOnce(
      result,
      'drift',
      'orders-r1',
      /^orders-r1 is in the topology \(orders\) but not in RDS in eu-west-1$/,
    );
  });

  it('EC2 AccessDenied: "could not check" on the drift rule, the cycles go on, and nothing else is lost', async () => {
    // Prepare: an instance target (so the inventory is read), and EC2 refusing every read of two periods
    const h = readyWorld();
    h.cloud.loadBalancer.addTargets(TG, [{ targetId: INSTANCE, port: 8080 }]);
    const denied = new AccessDeniedError(
      'DescribeInstances',
      'eu-central-1',
      Object.assign(new Error('not authorized to perform ec2:DescribeInstances'), { name: 'UnauthorizedOperation' }),
      'EC2',
    );
    h.cloud.failNext('listInstancesById', 1_000, denied);
    // Act
    await period(h);
    await period(h);
    // Assess
    const notReady = (await readGuardState(h.cloud.store)).state.readiness.notReady;
    expect(notReady).toContainEqual({
      rule: 'drift',
      resource: 'instances@eu-central-1',
      why: `could not check the instances registered behind the topology's load balancers in eu-central-1: ${denied.message}`,
    });
    expect(readinessNotices(h).map((n) => n.eventType)).toEqual(['readiness.lost']);
    expect(h.notifications().filter((n) => n.severity === 'critical')).toEqual([]);
  });

  it('a value added to an ip-set record → drift naming the value', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    const [set] = await h.cloud.dns.listRecordSets(ZONE, 'www.shop.example.com', 'A');
    await h.cloud.dns.changeRecordSets(ZONE, [
      { action: 'DELETE', recordSet: set! },
      { action: 'CREATE', recordSet: { ...set!, values: [...set!.values, '192.0.2.50'] } },
    ]);
    expect(await driftRows(h)).toEqual([
      [
        'www.shop.example.com 192.0.2.50',
        '192.0.2.50 is served by www.shop.example.com but is in no target of the topology: the guard never probes or pulls it',
      ],
    ]);
  });

  it('an instance added to a topology Aurora cluster → drift naming it as a member the guard never fails over to', async () => {
    const h = harness(
      webTopology({
        databases: [
          twoReplicaDb({
            engine: 'aurora-cluster',
            clusterIdentifier: 'orders-cluster',
            replicas: [member('orders-r1', 'eu-west-1', 'orders-r1', 0)],
          }),
        ],
      }),
    );
    h.cloud.database.addCluster({
      region: 'eu-west-1',
      identifier: 'orders-cluster',
      members: [
        { instanceIdentifier: 'orders-primary', isWriter: true },
        { instanceIdentifier: 'orders-r1', isWriter: false },
        { instanceIdentifier: 'orders-r9', isWriter: false },
      ],
    });
    expect(await driftRows(h)).toEqual([
      [
        'orders-r9@eu-west-1',
        'orders-r9 is an instance of cluster orders-cluster but is not in the topology: the guard never promotes it',
      ],
    ]);
  });

  it('a secondary cluster added to a topology Aurora global database → drift naming it by the region its ARN gives', async () => {
    const h = harness(
      webTopology({
        databases: [
          twoReplicaDb({
            engine: 'aurora-global',
            clusterIdentifier: 'orders-global',
            primary: member('orders-dub', 'eu-west-1', 'orders-dub'),
            replicas: [member('orders-fra', 'eu-central-1', 'orders-fra')],
          }),
        ],
      }),
    );
    h.cloud.database.addCluster({
      region: 'eu-central-1',
      identifier: 'orders-fra-2',
      members: [{ instanceIdentifier: 'orders-fra-2-1', isWriter: false }],
    });
    h.cloud.database.addGlobalCluster({
      identifier: 'orders-global',
      members: [
        { region: 'eu-west-1', clusterIdentifier: 'orders-dub', isWriter: true },
        { region: 'eu-central-1', clusterIdentifier: 'orders-fra', isWriter: false },
        { region: 'eu-central-1', clusterIdentifier: 'orders-fra-2', isWriter: false },
      ],
    });
    expect(await driftRows(h)).toEqual([
      [
        'orders-fra-2@eu-central-1',
        'orders-fra-2 is a cluster of global database orders-global but is not in the topology: the guard never promotes it',
      ],
    ]);
  });

  it("without EC2 (the Lambda checker): an instance target is judged by the servers' instanceId", async () => {
    // Prepare: the standby group's targets are instances, web-s's (named by instanceId) and one more
    const webS = 'i-0fedcba9876543210';
    const h = harness(
      webTopology({
        servers: [
          {
            id: 'web-s',
            region: 'eu-central-1',
            ip: '10.1.0.1',
            instanceId: webS,
            probe: { type: 'http', url: 'http://10.1.0.1:8080/healthz' },
          },
        ],
        loadBalancers: [
          {
            id: 'lb-fra',
            region: 'eu-central-1',
            probe: { type: 'tcp', host: '10.1.0.9', port: 443 },
            targetGroups: [TG],
            ips: ['10.1.0.9'],
          },
        ],
      }),
    );
    h.cloud.loadBalancer.removeTargets(TG, ['10.1.0.1']);
    h.cloud.loadBalancer.addTargets(TG, [{ targetId: webS }, { targetId: INSTANCE }]);
    // Act: the deployed checker's readiness reads, no inventory
    const rows = await driftRows(h, { readinessReads: { healthChecks: h.cloud.healthChecks } });
    // Assess
    expect(rows).toEqual([
      [
        `lb-fra ${INSTANCE}`,
        `${INSTANCE} is registered in target group web-fra of lb-fra but is no server of the topology: the guard never probes it`,
      ],
    ]);
  });
});
