// Readiness of the standby regions: what a region failover moves traffic to must be there and able
// to serve — load balancers with enough healthy targets, records and record sets that exist,
// targets that answer, certificates valid beyond the warning days.
import { healthCheckOwnerRegion, regionalSets } from '../../domain/config/data-plane';
import type { DnsRecord } from '../../domain/config/schema';
import { HealthStatus } from '../../domain/health/types';
import type { PlannerInput } from '../types';
import { ReadinessRule, type ReadinessEvidence, type ReadinessRow } from '../../domain/readiness/readiness-report';
import { endpointRegion } from '../planners/dns-healing.planner';
import { standbyRegionsNow, type Rule } from './readiness';

export const standbyLoadBalancerReadiness: Rule = ({ planner }) => {
  const standby = new Set(standbyRegionsNow(planner));
  return planner.topology.loadBalancers
    .filter((lb) => standby.has(lb.region))
    .flatMap((lb) =>
      lb.targetGroups.map((arn): ReadinessRow => {
        const base = { rule: ReadinessRule.standbyLoadBalancer, resource: `${lb.id} ${arn}`, region: lb.region };
        const read = planner.targetGroups[arn];
        if (!read?.ok)
          return {
            ...base,
            ready: false,
            why: `target health of ${lb.id} could not be read${read && !read.ok ? `: ${read.error}` : ''}`,
            fix: 'check that the target group exists and the guard role may call elasticloadbalancing:DescribeTargetHealth',
          };
        const healthy = read.value.filter((t) => t.state === 'healthy').length;
        const ready = healthy >= lb.minHealthyTargets;
        return {
          ...base,
          ready,
          why: `${healthy} of ${read.value.length} targets healthy (minHealthyTargets ${lb.minHealthyTargets})`,
          ...(ready
            ? {}
            : { fix: `register or repair targets of ${lb.id} in ${lb.region} until it has enough healthy` }),
        };
      }),
    );
};

/** The record's problems in `region`: missing sets of its targets there, and fewer HEALTHY targets than minHealthy. */
function recordProblems(planner: PlannerInput, record: DnsRecord, region: string): string[] {
  const there = record.targets.filter((t) => endpointRegion(planner.topology, t.endpoint) === region);
  const read = planner.records[record.id];
  const problems: string[] = [];
  if (!read) problems.push('the record was not read');
  else if (!read.ok) problems.push(`the record could not be read: ${read.error}`);
  else if (read.value.length === 0) problems.push('the record does not exist in its hosted zone');
  else if (record.routing !== 'ip-set') {
    const sets = new Set(read.value.map((s) => s.setIdentifier));
    const missing = there.filter((t) => !sets.has(t.setIdentifier ?? t.endpoint)).map((t) => t.endpoint);
    if (missing.length > 0) problems.push(`no record set for ${missing.join(', ')}`);
  }
  const healthy = there.filter((t) => planner.verdicts.get(t.endpoint)?.status === HealthStatus.HEALTHY);
  if (healthy.length < record.minHealthy)
    problems.push(
      `${healthy.length} HEALTHY target(s) there, under minHealthy ${record.minHealthy} (${there
        .map((t) => `${t.endpoint}: ${planner.verdicts.get(t.endpoint)?.status ?? 'UNKNOWN'}`)
        .join(', ')})`,
    );
  return problems;
}

export const standbyRecordReadiness: Rule = ({ planner }) => {
  return standbyRegionsNow(planner).flatMap((region) =>
    planner.topology.dns
      .filter((record) => record.targets.some((t) => endpointRegion(planner.topology, t.endpoint) === region))
      .map((record): ReadinessRow => {
        const problems = recordProblems(planner, record, region);
        const base = { rule: ReadinessRule.standbyRecord, resource: `${record.name}@${region}`, region };
        return problems.length === 0
          ? { ...base, ready: true, why: `record exists; its ${region} targets answer` }
          : {
              ...base,
              ready: false,
              why: problems.join('; '),
              fix: `restore the record (sets) in zone ${record.hostedZoneId} and the ${region} targets, or correct the topology`,
            };
      }),
  );
};

export const certificateReadiness: Rule = ({ planner, evidence }) => {
  const standby = new Set(standbyRegionsNow(planner));
  return [...planner.topology.servers, ...planner.topology.loadBalancers]
    .filter((e) => standby.has(e.region) && e.probe.type === 'https')
    .flatMap((e): ReadinessRow[] => {
      const base = { rule: ReadinessRule.certificate, resource: e.id, region: e.region };
      const certificate = evidence.certificates[e.id];
      if (!certificate) return [];
      const validTo = certificate.validTo.slice(0, 10);
      return [
        certificate.expiringSoon
          ? {
              ...base,
              ready: false,
              why: `the certificate expires in ${certificate.daysLeft} day(s) (${validTo}), within certificateWarningDays`,
              fix: `renew the certificate of ${e.id} before ${validTo}`,
            }
          : {
              ...base,
              ready: true,
              why: `the certificate is valid for ${certificate.daysLeft} more days (${validTo})`,
            },
      ];
    });
};

/** The guard's health check id per region: the directory's, and this stack's own share over it (its environment). */
function guardHealthCheckIds(planner: PlannerInput, evidence: ReadinessEvidence): Readonly<Record<string, string>> {
  const found = evidence.guardHealthChecks?.ok ? evidence.guardHealthChecks.ids : {};
  return { ...found, ...planner.regionHealthChecks };
}

/** Why the guard's check for `region` is not known: the directory could not be read, or holds none (or several). */
function unknownGuardCheck(planner: PlannerInput, evidence: ReadinessEvidence, region: string | undefined) {
  const directory = evidence.guardHealthChecks;
  if (directory && !directory.ok)
    return {
      why: `could not tell whether it is the guard's: the guard's health checks could not be listed: ${directory.error}`,
      fix: 'let the guard call route53:ListHealthChecks and route53:ListTagsForResources (the construct grants them; from a workstation, your own role)',
    };
  const owner = region ? healthCheckOwnerRegion(planner.topology, region) : undefined;
  const several = directory?.ok
    ? directory.problems.find((p) => region !== undefined && p.includes(` judge ${region} `))
    : undefined;
  return {
    why: several ?? `no guard health check for ${region ?? 'its region'} was found in the account`,
    fix: `deploy the guard's ${owner ?? region} stack (cdk deploy: it creates the check), then failover-guard attach <config> --apply`,
  };
}

/**
 * The sets of records whose failover runs in Route 53's data plane — those marked `dataPlaneFailover`
 * (failover or weighted) and every `failover` record — carry a health check, so Route 53 moves traffic
 * off a dark region with no API call (a set without one counts as healthy). A marked record's sets must
 * carry the guard's own check of their region (the one following its RegionDark alarm): another check
 * fails the set over on someone else's judgement, and the guard never overwrites it. An unmarked failover
 * record's checks are its owner's: any check will do. The sets and their regions are the attach
 * planner's (domain/config/data-plane).
 */
export const recordHealthCheckReadiness: Rule = ({ planner, evidence }) => {
  if (planner.topology.regions.length < 2) return [];
  const guardIds = guardHealthCheckIds(planner, evidence);
  return planner.topology.dns
    .filter((record) => record.dataPlaneFailover || record.routing === 'failover')
    .flatMap((record) => {
      const read = planner.records[record.id];
      if (!read?.ok) return [];
      return regionalSets(planner.topology, record).map(({ setIdentifier, region }): ReadinessRow => {
        const set = read.value.find((s) => s.setIdentifier === setIdentifier);
        const base = {
          rule: ReadinessRule.recordHealthCheck,
          resource: `${record.name} [${setIdentifier}]`,
          ...(region ? { region } : {}),
        };
        const attach = record.dataPlaneFailover
          ? `failover-guard attach <config> --apply (the deployed guard also attaches it on its next drift read)`
          : `mark the record "dataPlaneFailover": true and run failover-guard attach <config> --apply, or put a health check of your own on the set`;
        if (!set)
          return { ...base, ready: false, why: 'the set is not in the zone', fix: `create the set, then ${attach}` };
        const carried = set.healthCheckId;
        if (!carried)
          return {
            ...base,
            ready: false,
            why: 'no health check: Route 53 keeps serving this set while its region is dark',
            fix: attach,
          };
        const guards = region ? guardIds[region] : undefined;
        if (carried === guards)
          return { ...base, ready: true, why: `carries the guard's health check ${carried} for ${region}` };
        if (!record.dataPlaneFailover)
          return {
            ...base,
            ready: true,
            why: `carries health check ${carried} (its own: the record is not marked dataPlaneFailover)`,
          };
        if (guards)
          return {
            ...base,
            ready: false,
            why: `carries health check ${carried}, not the guard's ${guards} for ${region}: Route 53 fails this set over on that check, not on the guard's judgement`,
            fix: `remove ${carried} from the set, then failover-guard attach <config> --apply (attach never overwrites another check)`,
          };
        const unknown = unknownGuardCheck(planner, evidence, region);
        return { ...base, ready: false, why: `carries health check ${carried}; ${unknown.why}`, fix: unknown.fix };
      });
    });
};
