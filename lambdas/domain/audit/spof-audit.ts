// Single points of failure in the topology itself: what no amount of probing can fix, because
// there is nothing to fail over to (or failing over takes too long). Each finding says the fix.
import type { DnsRecord, Topology } from '../config/schema';
import { endpointAddresses } from '../config/addresses';
import { checkSettingsFor, guardRegions, primaryRegion, standbyRegions } from '../config/targets';
import { detectionSeconds, formatDuration, worstCaseFailoverSeconds } from './failover-time';

type AuditSeverity = 'high' | 'medium' | 'low';

export interface AuditFinding {
  /** Stable machine-readable name, e.g. RECORD_SINGLE_TARGET. */
  readonly code: string;
  readonly severity: AuditSeverity;
  /** What it concerns, e.g. `dns:www`, `region:eu-west-1`, `database:orders`. */
  readonly resource: string;
  readonly problem: string;
  readonly fix: string;
}

/** Worst-case failover times (detection + TTL) from which a slow failover is worth a finding. */
const slowFailoverSeconds = { low: 120, medium: 300, high: 900 } as const;

const severityRank: Readonly<Record<AuditSeverity, number>> = { high: 0, medium: 1, low: 2 };

function slowFailoverSeverity(seconds: number): AuditSeverity | undefined {
  if (seconds > slowFailoverSeconds.high) return 'high';
  if (seconds > slowFailoverSeconds.medium) return 'medium';
  if (seconds > slowFailoverSeconds.low) return 'low';
  return undefined;
}

/** The slowest detection among a record's targets: the one that decides the worst case. */
function recordDetection(topology: Topology, record: DnsRecord) {
  const overrides = new Map([...topology.servers, ...topology.loadBalancers].map((e) => [e.id, e.checks]));
  return record.targets
    .map((t) => checkSettingsFor(topology, overrides.get(t.endpoint)))
    .reduce(
      (slowest, checks) => (detectionSeconds(checks) > detectionSeconds(slowest) ? checks : slowest),
      topology.checks,
    );
}

function auditDnsRecords(topology: Topology): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const endpointRegion = new Map([...topology.servers, ...topology.loadBalancers].map((e) => [e.id, e.region]));
  for (const record of topology.dns) {
    const resource = `dns:${record.id}`;
    if (record.targets.length === 1) {
      findings.push({
        code: 'RECORD_SINGLE_TARGET',
        severity: 'high',
        resource,
        problem: `${record.name} has one target (${record.targets[0]!.endpoint}); when it fails there is nothing to fail over to`,
        fix: `add a second target (another load balancer or server, in another availability zone or region) to dns "${record.id}"`,
      });
    }
    const regions = new Set(record.targets.map((t) => endpointRegion.get(t.endpoint)));
    const standbys = standbyRegions(topology);
    if (record.regionMode === 'active-passive' && standbys.length > 0 && !standbys.some((r) => regions.has(r))) {
      findings.push({
        code: 'RECORD_NO_STANDBY_TARGET',
        severity: 'high',
        resource,
        problem: `${record.name} is active-passive but has no target in a standby region (${standbys.join(', ')}); a region failover cannot move it, so it keeps answering with the dark region's targets`,
        fix: `add targets in ${standbys.join(' or ')} to dns "${record.id}" (or make it active-active if it is not to move)`,
      });
    } else if (topology.regions.length > 1 && regions.size === 1) {
      const [region] = regions;
      findings.push({
        code: 'RECORD_SINGLE_REGION',
        severity: 'medium',
        resource,
        problem: `every target of ${record.name} is in ${region}; when that region goes dark the record has nowhere to move`,
        fix: `add targets in another region (${topology.regions
          .filter((r) => r.name !== region)
          .map((r) => r.name)
          .join(', ')}) to dns "${record.id}"`,
      });
    }
    const checks = recordDetection(topology, record);
    const worstCase = worstCaseFailoverSeconds(checks, record.ttl);
    const severity = slowFailoverSeverity(worstCase);
    if (severity) {
      findings.push({
        code: 'DNS_SLOW_FAILOVER',
        severity,
        resource,
        problem: `clients may reach a dead target of ${record.name} for up to ${formatDuration(worstCase)}: detection ${checks.intervalSeconds} s × ${checks.failureThreshold} = ${formatDuration(detectionSeconds(checks))}, then TTL ${formatDuration(record.ttl)} in resolver caches`,
        fix: `lower dns "${record.id}" ttl to 60 or less (and/or the check interval or failureThreshold) so the worst case stays within ${slowFailoverSeconds.low} s`,
      });
    }
  }
  return findings;
}

function auditLoadBalancers(topology: Topology): AuditFinding[] {
  return topology.regions.flatMap((region): AuditFinding[] => {
    const count = topology.loadBalancers.filter((lb) => lb.region === region.name).length;
    if (count > 1) return [];
    return [
      {
        code: count === 0 ? 'REGION_NO_LOAD_BALANCER' : 'REGION_SINGLE_LOAD_BALANCER',
        severity: 'medium',
        resource: `region:${region.name}`,
        problem:
          count === 0
            ? `${region.name} (${region.role}) has no load balancer in the topology; its traffic depends on single servers`
            : `${region.name} (${region.role}) has one load balancer; when it fails the region serves nothing`,
        fix: `run ${count === 0 ? 'two load balancers' : 'a second load balancer'} in ${region.name} and list each as a target of the region's DNS records`,
      },
    ];
  });
}

function auditDatabases(topology: Topology): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const multiRegion = topology.regions.length > 1;
  for (const db of topology.databases) {
    const resource = `database:${db.id}`;
    if (db.replicas.length === 0) {
      findings.push({
        code: 'DATABASE_NO_REPLICA',
        severity: 'high',
        resource,
        problem: `${db.primary.identifier} has no replica; when the primary fails there is nothing to promote`,
        fix: `create a read replica (preferably one in another region) and list it under databases "${db.id}" replicas`,
      });
    } else if (db.replicas.every((r) => r.region === db.primary.region)) {
      findings.push({
        code: 'DATABASE_NO_CROSS_REGION_REPLICA',
        severity: multiRegion ? 'high' : 'medium',
        resource,
        problem: `every replica of ${db.primary.identifier} is in ${db.primary.region}; a regional outage takes the writer and all its replicas`,
        fix: `create a cross-region read replica${
          multiRegion
            ? ` in ${topology.regions
                .filter((r) => r.name !== db.primary.region)
                .map((r) => r.name)
                .join(' or ')}`
            : ' in a second region'
        }`,
      });
    }
    const checks = checkSettingsFor(topology, db.primary.checks);
    const worstCase = worstCaseFailoverSeconds(checks, db.writerDns.ttl);
    const severity = slowFailoverSeverity(worstCase);
    if (severity) {
      findings.push({
        code: 'WRITER_DNS_SLOW_FAILOVER',
        severity,
        resource: `${resource}.writerDns`,
        problem: `applications may keep writing to the failed primary through ${db.writerDns.name} for up to ${formatDuration(worstCase)} plus the promotion: detection ${formatDuration(detectionSeconds(checks))}, then TTL ${formatDuration(db.writerDns.ttl)}`,
        fix: `lower databases "${db.id}" writerDns.ttl to 30 or less`,
      });
    }
  }
  return findings;
}

function auditRegions(topology: Topology): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const multiRegion = topology.regions.length > 1;
  if (!multiRegion) {
    findings.push({
      code: 'SINGLE_REGION',
      severity: 'high',
      resource: 'regions',
      problem: `the system runs in ${primaryRegion(topology)} only; a regional outage takes all of it`,
      fix: 'add a standby region with its own load balancers, servers and a cross-region database replica',
    });
  }
  // guard.regions must be topology regions, so a one-region system is already SINGLE_REGION.
  const guard = guardRegions(topology);
  if (multiRegion && guard.length < 2) {
    findings.push({
      code: 'GUARD_SINGLE_REGION',
      severity: 'high',
      resource: 'guard.regions',
      problem: `the guard runs in ${guard[0]} only; when that region fails nothing is left to detect it or fail over`,
      fix: `list every region in guard.regions (or leave it out: the guard then runs in all ${topology.regions.length})`,
    });
  }
  if (multiRegion && topology.regionFailover.mode === 'off') {
    findings.push({
      code: 'REGION_FAILOVER_OFF',
      severity: 'medium',
      resource: 'regionFailover.mode',
      problem: 'a region going dark only raises an alert; moving to the standby waits for a person',
      fix: 'set regionFailover.mode to "approval" (one command to run the runbook) or "auto"',
    });
  }
  return findings;
}

/** Endpoints the deployed checkers could not reach: a loopback (drill) topology, private addresses with no VPC. */
function auditReachability(topology: Topology): AuditFinding[] {
  const addresses = endpointAddresses(topology);
  if (addresses.length > 0 && addresses.every((a) => a.addressClass === 'loopback')) {
    return [
      {
        code: 'LOOPBACK_TOPOLOGY',
        severity: 'high',
        resource: 'topology',
        problem:
          'every endpoint is on loopback (127.x or localhost): deployed, each checker would probe its own Lambda sandbox and read every target UNHEALTHY',
        fix: 'give the endpoints their real addresses; keep loopback topologies for `failover-guard drill`',
      },
    ];
  }
  const privateEndpoints = addresses.filter((a) => a.addressClass === 'private');
  if (privateEndpoints.length === 0) return [];
  const shown = privateEndpoints
    .slice(0, 3)
    .map((a) => `${a.id} ${a.host}`)
    .join(', ');
  const more = privateEndpoints.length > 3 ? ` and ${privateEndpoints.length - 3} more` : '';
  // Every guard region's checker probes every endpoint, so each one needs a way into the private networks.
  return guardRegions(topology)
    .filter((region) => !topology.guard.vpc?.[region])
    .map((region) => ({
      code: 'PRIVATE_TARGETS_WITHOUT_VPC',
      severity: 'high' as const,
      resource: `guard.vpc.${region}`,
      problem: `${privateEndpoints.length} endpoint${privateEndpoints.length === 1 ? ' has a private address' : 's have private addresses'} (${shown}${more}), but the checker in ${region} runs outside any VPC: it would read them UNHEALTHY`,
      fix: `add guard.vpc["${region}"] (a VPC, subnets and a security group that reach every private endpoint, across regions through peering or a transit gateway), or probe public addresses`,
    }));
}

/** Every single point of failure found in the topology, most severe first. */
export function auditTopology(topology: Topology): AuditFinding[] {
  const findings = [
    ...auditReachability(topology),
    ...auditRegions(topology),
    ...auditDnsRecords(topology),
    ...auditLoadBalancers(topology),
    ...auditDatabases(topology),
  ];
  // Array sort is stable: within one severity, findings keep the order they were found in.
  return findings.sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
}
