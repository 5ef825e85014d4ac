// `failover-guard readiness <config>` on the in-memory cloud: the table, --json, and the exit codes.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerReadinessCommand } from '../../lambdas/cli/commands/readiness.command';
import type { Topology } from '../../lambdas/domain/config/schema';
import type { ReadinessRow } from '../../lambdas/domain/readiness/readiness-report';
import { writeTopology } from '../engine/region/cli-context';
import { member, WRITER } from '../scenarios/database-fixtures';
import { harness, webTopology, ZONE, type Harness } from '../scenarios/engine-harness';
import { captureIo } from './capture-io';

function world(): Harness {
  const h = harness(
    webTopology({
      dns: [
        {
          id: 'www',
          hostedZoneId: ZONE,
          name: 'www.shop.example.com',
          type: 'A',
          targets: [{ endpoint: 'web-a' }, { endpoint: 'web-s' }],
        },
      ],
      databases: [
        {
          id: 'orders',
          engine: 'rds-instance',
          primary: member('orders-primary', 'eu-west-1', 'orders-primary'),
          replicas: [member('orders-fra', 'eu-central-1', 'orders-fra')],
          writerDns: { hostedZoneId: ZONE, name: WRITER, ttl: 30 },
        },
      ],
      guard: { regions: ['eu-west-1'] },
    }),
  );
  h.cloud.setLag('orders-fra', 3);
  return h;
}

async function readiness(h: Harness, ...extra: string[]) {
  const { io, result } = captureIo();
  const program = new Command('failover-guard')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerReadinessCommand(program, io, (topology: Topology) => ({ ...h.context(), topology }));
  await program.parseAsync(['readiness', writeTopology(h.topology), ...extra], { from: 'user' });
  return result();
}

describe('failover-guard readiness', () => {
  it('prints a row per check and "ready", exit 0, when every failover would succeed', async () => {
    // Prepare: the checker has run, so its heartbeat is fresh
    const h = world();
    await h.cycles(3);
    // Act
    const run = await readiness(h);
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^RULE +RESOURCE +READY +WHY$/m);
    expect(run.stdout).toMatch(
      /^database-replica +orders@eu-central-1 +yes +orders-fra can be promoted in eu-central-1 \(available, replica of orders-primary, lag 3s\)$/m,
    );
    expect(run.stdout).toMatch(/^guard-heartbeat +eu-west-1 +yes +heartbeat \d+s ago$/m);
    expect(run.stdout).toMatch(/^ready: all \d+ checks pass$/m);
  });

  it('says NOT READY with why and how to fix, exit 1, when the standby replica lags over its maximum', async () => {
    // Prepare
    const h = world();
    await h.cycles(3);
    h.cloud.setLag('orders-fra', 90);
    // Act
    const run = await readiness(h);
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'NO     no replica in eu-central-1 can be promoted: orders-fra: lag 90s is over maxLagSeconds 30',
    );
    expect(run.stdout).toContain('fix: wait for lag under maxLagSeconds (30s) or fix the replica');
    expect(run.stdout).toMatch(/^NOT READY: 2 of \d+ checks fail; a failover now may not succeed$/m);
  });

  it('prints the rows as JSON with --json', async () => {
    // Prepare
    const h = world();
    await h.cycles(3);
    h.cloud.failInstance('orders-fra', 'deleted');
    // Act
    const run = await readiness(h, '--json');
    // Assess
    const rows = JSON.parse(run.stdout) as ReadinessRow[];
    expect(run.exitCode).toBe(1);
    expect(rows).toContainEqual({
      rule: 'drift',
      resource: 'orders-fra',
      region: 'eu-central-1',
      ready: false,
      why: 'orders-fra is in the topology (orders) but not in RDS in eu-central-1',
      fix: 'remove orders-fra from orders, or recreate it',
    });
  });
});
