// A three-region shop for the region tests: eu-west-1 primary, eu-central-1 standby, and eu-north-1,
// a standby with no endpoints of its own whose checker is the third voice outside any region.
import { parseTopology } from '../../../lambdas/domain/config/load';
import type { Topology, TopologyInput } from '../../../lambdas/domain/config/schema';
import { probeTargets } from '../../../lambdas/domain/config/targets';
import type { CheckerView, HealthStatus, TargetHealth } from '../../../lambdas/domain/health/types';

export const PRIMARY = 'eu-west-1';
export const STANDBY = 'eu-central-1';
export const WITNESS = 'eu-north-1';
export const T0 = new Date('2025-03-01T12:00:00.000Z');

/** The region notifications of a whole automatic failover, in order (RegionHarness.regionEvents). */
export const AUTO_FAILOVER_EVENTS: readonly string[] = [
  'region.failover.start (announce)',
  'region.runbook.promote (promote-database)',
  'region.runbook.promote (promote-database)',
  'region.runbook.move-dns (move-dns)',
  'region.runbook.repoint-writer (repoint-writer)',
  'region.runbook.complete (announce-completion)',
];

const server = (id: string, region: string, ip: string) => ({
  id,
  region,
  ip,
  probe: { type: 'http' as const, url: `http://${ip}:8080/healthz` },
});

export function regionTopology(overrides: Partial<TopologyInput> = {}): Topology {
  const input: TopologyInput = {
    name: 'shop',
    account: '123456789012',
    regions: [
      { name: PRIMARY, role: 'primary' },
      { name: STANDBY, role: 'standby' },
      { name: WITNESS, role: 'standby' },
    ],
    checks: { intervalSeconds: 10, timeoutMs: 1000, failureThreshold: 2, recoveryThreshold: 2 },
    servers: [
      server('web-dub-a', PRIMARY, '10.10.1.11'),
      server('web-dub-b', PRIMARY, '10.10.2.11'),
      server('web-fra-a', STANDBY, '10.20.1.11'),
      server('web-fra-b', STANDBY, '10.20.2.11'),
    ],
    dns: [
      {
        id: 'www',
        hostedZoneId: 'Z0123456789ABC',
        name: 'www.shop.example.com',
        type: 'A',
        routing: 'ip-set',
        regionMode: 'active-passive',
        targets: [
          { endpoint: 'web-dub-a' },
          { endpoint: 'web-dub-b' },
          { endpoint: 'web-fra-a' },
          { endpoint: 'web-fra-b' },
        ],
      },
      {
        id: 'origin',
        hostedZoneId: 'Z0123456789ABC',
        name: 'origin.shop.example.com',
        type: 'A',
        routing: 'weighted',
        regionMode: 'active-passive',
        targets: [
          { endpoint: 'web-dub-a', setIdentifier: 'dub-a', weight: 100 },
          { endpoint: 'web-dub-b', setIdentifier: 'dub-b', weight: 100 },
          { endpoint: 'web-fra-a', setIdentifier: 'fra-a', weight: 100 },
          { endpoint: 'web-fra-b', setIdentifier: 'fra-b', weight: 100 },
        ],
      },
    ],
    databases: [
      {
        id: 'orders',
        engine: 'rds-instance',
        maxLagSeconds: 30,
        primary: {
          id: 'orders-dub-primary',
          region: PRIMARY,
          identifier: 'orders-primary',
          endpoint: { host: 'orders-primary.aaaa.eu-west-1.rds.amazonaws.com', port: 5432 },
        },
        replicas: [
          {
            id: 'orders-dub-replica',
            region: PRIMARY,
            identifier: 'orders-replica-1',
            promotionPriority: 0,
            endpoint: { host: 'orders-replica-1.aaaa.eu-west-1.rds.amazonaws.com', port: 5432 },
          },
          {
            id: 'orders-fra-replica',
            region: STANDBY,
            identifier: 'orders-replica-fra',
            promotionPriority: 1,
            endpoint: { host: 'orders-replica-fra.bbbb.eu-central-1.rds.amazonaws.com', port: 5432 },
          },
        ],
        writerDns: { hostedZoneId: 'Z0123456789ABC', name: 'db-writer.shop.example.com', ttl: 30 },
      },
    ],
    regionFailover: { mode: 'auto', regionFailureThreshold: 2, failbackHealthyMinutes: 10 },
    guard: { heartbeatStaleSeconds: 30, cooldownSeconds: 0 },
    ...overrides,
  };
  return parseTopology(input, 'region test topology');
}

/** Endpoint ids of one region. */
export function endpointsIn(topology: Topology, region: string): string[] {
  return probeTargets(topology)
    .filter((t) => t.region === region)
    .map((t) => t.id);
}

const health = (targetId: string, status: HealthStatus, at: Date): TargetHealth => ({
  targetId,
  status,
  consecutiveFailures: status === 'HEALTHY' ? 0 : 3,
  consecutiveSuccesses: status === 'HEALTHY' ? 3 : 0,
  since: at.toISOString(),
  recent: [],
});

/** A checker's view: every endpoint of the topology HEALTHY except those listed (UNHEALTHY by default). */
export function viewOf(
  topology: Topology,
  checker: string,
  at: Date,
  down: readonly string[] = [],
  downStatus: HealthStatus = 'UNHEALTHY',
): CheckerView {
  const entries = probeTargets(topology).map(
    (t) => [t.id, health(t.id, down.includes(t.id) ? downStatus : 'HEALTHY', at)] as const,
  );
  return { checker, at: at.toISOString(), health: Object.fromEntries(entries) };
}
