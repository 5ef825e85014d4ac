// Probes every endpoint (and DNS record) of a topology concurrently, under a concurrency limit.
import type { Topology } from '../domain/config/schema';
import { probeTargets, type ProbeTarget } from '../domain/config/targets';
import type { Observation } from '../domain/observation';
import { mapConcurrently } from './concurrency-limit';
import { dnsQueries, type TopologyDnsQuery } from './dns-queries';
import { probeDns } from './dns.probe';
import { probeHttp } from './http.probe';
import { probeTcp } from './tcp.probe';

const defaultConcurrency = 256;

export interface ProbeOptions {
  /** Probes in flight at once. @default - 256 */
  readonly concurrency?: number;
  /** Region of the checker, recorded on every observation. @default - not recorded */
  readonly checker?: string;
  /** Probe only the targets (endpoints and DNS queries, by target id) this accepts: a shard's slice. @default - all */
  readonly only?: (targetId: string) => boolean;
}

/** Probes one endpoint with its own probe and timeout. Never throws. */
function probeTarget(target: ProbeTarget, checker?: string): Promise<Observation> {
  const run = { targetId: target.id, timeoutMs: target.checks.timeoutMs, checker };
  return target.probe.type === 'tcp'
    ? probeTcp(run, target.probe)
    : probeHttp(run, target.probe, target.checks.certificateWarningDays);
}

/** One observation per target, in the targets' order. */
export function probeTargetsConcurrently(
  targets: readonly ProbeTarget[],
  options: ProbeOptions = {},
): Promise<Observation[]> {
  return mapConcurrently(targets, options.concurrency ?? defaultConcurrency, (target) =>
    probeTarget(target, options.checker),
  );
}

type TopologyProbe = { readonly endpoint: ProbeTarget } | { readonly dns: TopologyDnsQuery };

/**
 * Every endpoint of the topology, then every DNS record at each of its nameservers
 * (target id `<record id>@<nameserver>`, the topology's timeout), all under one limit.
 */
export function probeTopology(topology: Topology, options: ProbeOptions = {}): Promise<Observation[]> {
  const only = options.only ?? (() => true);
  const probes: TopologyProbe[] = [
    ...probeTargets(topology)
      .filter((endpoint) => only(endpoint.id))
      .map((endpoint) => ({ endpoint })),
    ...dnsQueries(topology)
      .filter((dns) => only(dns.targetId))
      .map((dns) => ({ dns })),
  ];
  const dnsTimeoutMs = topology.checks.timeoutMs;
  return mapConcurrently(probes, options.concurrency ?? defaultConcurrency, (probe) =>
    'endpoint' in probe
      ? probeTarget(probe.endpoint, options.checker)
      : probeDns({ targetId: probe.dns.targetId, timeoutMs: dnsTimeoutMs, checker: options.checker }, probe.dns),
  );
}
