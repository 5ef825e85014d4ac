// Scenario harness: a topology, the in-memory cloud on a fake clock, and a scripted probe whose
// endpoints are up or down as the test says. One cycle = runCycle, then the clock moves 10 s.
import { MemoryCloud, type StateReplicationOptions } from '../../lambdas/adapters/memory';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { Topology, TopologyInput } from '../../lambdas/domain/config/schema';
import { probeTargets } from '../../lambdas/domain/config/targets';
import type { Observation } from '../../lambdas/domain/observation';
import { runCycle, type CycleReport, type EngineOptions, type GuardContext } from '../../lambdas/engine';
import type { DnsPort } from '../../lambdas/ports/dns.port';

export const START = new Date('2025-03-01T12:00:00.000Z');
export const CYCLE_MS = 10_000;

/** Probe results by endpoint id; an endpoint not listed answers. */
class ScriptedProbe {
  private readonly down = new Map<string, string>();

  fail(endpoint: string, error = 'ETIMEDOUT'): void {
    this.down.set(endpoint, error);
  }

  recover(endpoint: string): void {
    this.down.delete(endpoint);
  }

  probeFor(now: () => Date, checker: string) {
    return async (topology: Topology): Promise<Observation[]> =>
      probeTargets(topology).map((t) => {
        const error = this.down.get(t.id);
        return {
          targetId: t.id,
          kind: t.probe.type,
          ok: !error,
          latencyMs: 5,
          at: now().toISOString(),
          checker,
          ...(error ? { error } : {}),
        };
      });
  }
}

export interface Harness {
  readonly topology: Topology;
  readonly cloud: MemoryCloud;
  readonly probe: ScriptedProbe;
  context(overrides?: Partial<GuardContext>): GuardContext;
  /** Runs `n` cycles (the clock moves CYCLE_MS after each); returns the last report. */
  cycles(n: number, overrides?: Partial<GuardContext>): Promise<CycleReport>;
  notifications(eventType?: string): ReturnType<MemoryCloud['notifier']['outbox']['filter']>;
}

/**
 * `stateReplication`: the state table as per-region replicas (last writer wins); each checker then
 * calls the state store from its own region. @default - one consistent data set
 */
export function harness(
  input: TopologyInput,
  options: EngineOptions = {},
  stateReplication?: StateReplicationOptions,
): Harness {
  const topology = parseTopology(input, 'scenario');
  const cloud = MemoryCloud.fromTopology(topology, {
    now: () => START,
    ...(stateReplication ? { stateReplication } : {}),
  });
  const probe = new ScriptedProbe();
  const context = (overrides: Partial<GuardContext> = {}): GuardContext => {
    const checker = overrides.checker ?? topology.regions[0]!.name;
    return {
      topology,
      checker,
      ports: cloud.ports(stateReplication ? checker : undefined),
      now: cloud.now,
      dryRun: false,
      probe: probe.probeFor(cloud.now, checker),
      options,
      readinessReads: cloud.readinessReads,
      ...overrides,
    };
  };
  return {
    topology,
    cloud,
    probe,
    context,
    async cycles(n, overrides) {
      let report: CycleReport | undefined;
      for (let i = 0; i < n; i += 1) {
        report = await runCycle(context(overrides));
        cloud.advance(CYCLE_MS);
      }
      return report as CycleReport;
    },
    notifications: (eventType) =>
      cloud.notifier.outbox.filter((n) => eventType === undefined || n.eventType === eventType),
  };
}

const server = (id: string, region: string, ip: string) => ({
  id,
  region,
  ip,
  probe: { type: 'http' as const, url: `http://${ip}:8080/healthz` },
});

/** Three servers in the primary region, one in the standby; the caller adds records and databases. */
export function webTopology(extra: Partial<TopologyInput> = {}): TopologyInput {
  return {
    name: 'shop',
    account: '123456789012',
    regions: [
      { name: 'eu-west-1', role: 'primary' },
      { name: 'eu-central-1', role: 'standby' },
    ],
    checks: { intervalSeconds: 10, timeoutMs: 2000, failureThreshold: 3, recoveryThreshold: 2 },
    servers: [
      server('web-a', 'eu-west-1', '10.0.0.1'),
      server('web-b', 'eu-west-1', '10.0.0.2'),
      server('web-c', 'eu-west-1', '10.0.0.3'),
      server('web-s', 'eu-central-1', '10.1.0.1'),
    ],
    guard: { cooldownSeconds: 0 },
    ...extra,
  };
}

export const ZONE = 'Z0123456789ABCDEFGHIJ';

export function ipSetRecord(extra: Record<string, unknown> = {}) {
  return {
    id: 'www',
    hostedZoneId: ZONE,
    name: 'www.shop.example.com',
    type: 'A' as const,
    routing: 'ip-set' as const,
    targets: [{ endpoint: 'web-a' }, { endpoint: 'web-b' }, { endpoint: 'web-c' }, { endpoint: 'web-s' }],
    ...extra,
  };
}

export function setRecord(routing: 'weighted' | 'multivalue', extra: Record<string, unknown> = {}) {
  return {
    id: 'origin',
    hostedZoneId: ZONE,
    name: 'origin.shop.example.com',
    type: 'A' as const,
    routing,
    regionMode: 'active-active' as const,
    targets: ['web-a', 'web-b', 'web-c'].map((endpoint) => ({
      endpoint,
      setIdentifier: endpoint,
      ...(routing === 'weighted' ? { weight: 50 } : {}),
    })),
    ...extra,
  };
}

/**
 * The DNS port of `dns`, running `interleave` once just before its first change batch is sent:
 * another actor's whole execution lands between this one's read of the record and its write.
 */
export function dnsInterleaved(dns: DnsPort, interleave: () => Promise<unknown>): DnsPort {
  let done = false;
  return {
    listRecordSets: (zoneId, name, type) => dns.listRecordSets(zoneId, name, type),
    changeRecordSets: async (zoneId, changes, comment) => {
      if (!done) {
        done = true;
        await interleave();
      }
      return dns.changeRecordSets(zoneId, changes, comment);
    },
    changeStatus: (changeId) => dns.changeStatus(changeId),
  };
}
