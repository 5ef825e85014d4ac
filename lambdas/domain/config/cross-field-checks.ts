// The checks no single field can make — references, uniqueness, roles, consistency, what Node and AWS
// will accept — one function per job, each adding issues with their JSON path.
import { isIP } from 'node:net';
import { errorMessage, type ConfigIssue } from '../errors';
import { dataPlaneIssues } from './data-plane';
import { closestName } from './did-you-mean';
import { checkFence } from './fencing';
import type { DnsRecord, Probe, Topology } from './schema';
import { MAX_SHARD_CAPACITY } from './shards';
import { probeTargets } from './targets';

/** What the validator knows of AWS regions: injected, so the domain needs no SDK (the CLI passes the SDK's partition data). */
export interface RegionCatalog {
  /** The partition of a region the catalog lists (aws, aws-cn, aws-us-gov, …), else undefined. */
  partitionOf(region: string): string | undefined;
  /** Every region the catalog lists, for "did you mean". */
  readonly regions: readonly string[];
}

interface CheckContext {
  readonly t: Topology;
  readonly add: (path: string, message: string) => void;
  readonly catalog?: RegionCatalog;
}

/** Every cross-field issue of a topology that passed the schema (or was made as whole as it could be). */
export function crossFieldIssues(t: Topology, catalog?: RegionCatalog): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const ctx: CheckContext = { t, add: (path, message) => issues.push({ path, message }), catalog };
  checkRegionList(ctx);
  checkRegionReferences(ctx);
  checkIds(ctx);
  checkDatabases(ctx);
  checkRecords(ctx);
  checkTimings(ctx);
  checkProbes(ctx);
  checkLoadBalancerArns(ctx);
  checkShards(ctx);
  issues.push(...dataPlaneIssues(t));
  return issues;
}

/** guard.shards: no shard may hold more endpoints than one invocation probes well inside an interval. */
function checkShards({ t, add }: CheckContext): void {
  if (t.guard.shards === undefined) return;
  const endpoints = probeTargets(t).length;
  const perShard = Math.ceil(endpoints / t.guard.shards);
  if (perShard > MAX_SHARD_CAPACITY) {
    add(
      'guard.shards',
      `${t.guard.shards} shard(s) would give each about ${perShard} endpoints, more than ${MAX_SHARD_CAPACITY} (what one invocation probes well inside an interval); use at least ${Math.ceil(endpoints / MAX_SHARD_CAPACITY)}`,
    );
  }
}

/** Regions: listed once, one primary, known to AWS. */
function checkRegionList({ t, add, catalog }: CheckContext): void {
  const extra = new Set(t.guard.extraRegions ?? []);
  const seen = new Set<string>();
  t.regions.forEach((r, i) => {
    if (seen.has(r.name)) add(`regions[${i}].name`, `region "${r.name}" is listed twice`);
    seen.add(r.name);
    if (catalog && !extra.has(r.name) && catalog.partitionOf(r.name) === undefined) {
      const suggestion = closestName(r.name, catalog.regions);
      add(
        `regions[${i}].name`,
        `"${r.name}" is not an AWS region this SDK knows${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; a region newer than the SDK goes in guard.extraRegions`,
      );
    }
  });
  const primaries = t.regions.filter((r) => r.role === 'primary');
  if (primaries.length !== 1)
    add('regions', `needs exactly one region with role "primary" (found ${primaries.length})`);
}

/** Every region named elsewhere is one of the topology's; each unknown one reported once, not per use. */
function checkRegionReferences({ t, add }: CheckContext): void {
  const regionNames = new Set(t.regions.map((r) => r.name));
  const references: [string, string][] = [
    ...t.servers.map((s, i) => [`servers[${i}].region`, s.region] as [string, string]),
    ...t.loadBalancers.map((lb, i) => [`loadBalancers[${i}].region`, lb.region] as [string, string]),
    ...t.databases.flatMap((db, i) => [
      [`databases[${i}].primary.region`, db.primary.region] as [string, string],
      ...db.replicas.map((r, j) => [`databases[${i}].replicas[${j}].region`, r.region] as [string, string]),
    ]),
    ...(t.guard.regions ?? []).map((r, i) => [`guard.regions[${i}]`, r] as [string, string]),
    ...Object.keys(t.guard.vpc ?? {}).map((r) => [`guard.vpc.${r}`, r] as [string, string]),
  ];
  const unknown = new Map<string, string[]>();
  for (const [path, region] of references) {
    if (!regionNames.has(region)) unknown.set(region, [...(unknown.get(region) ?? []), path]);
  }
  const listed = [...regionNames].join(', ');
  for (const [region, paths] of unknown) {
    const [first, ...rest] = paths as [string, ...string[]];
    const others =
      rest.length === 0
        ? ''
        : ` (and ${rest.length} more: ${rest.slice(0, 3).join(', ')}${rest.length > 3 ? ', …' : ''})`;
    add(first, `region "${region}" is not one of the topology's regions (${listed})${others}`);
  }
}

/** Ids share one namespace: DNS targets and observations refer to them. */
function checkIds({ t, add }: CheckContext): void {
  const ids = new Map<string, string>();
  const claim = (path: string, value: string) => {
    const previous = ids.get(value);
    if (previous) add(path, `id "${value}" is already used at ${previous}`);
    else ids.set(value, path);
  };
  for (const [i, s] of t.servers.entries()) claim(`servers[${i}].id`, s.id);
  for (const [i, lb] of t.loadBalancers.entries()) claim(`loadBalancers[${i}].id`, lb.id);
  for (const [i, d] of t.dns.entries()) claim(`dns[${i}].id`, d.id);
  for (const [i, db] of t.databases.entries()) {
    claim(`databases[${i}].id`, db.id);
    claim(`databases[${i}].primary.id`, db.primary.id);
    for (const [j, r] of db.replicas.entries()) claim(`databases[${i}].replicas[${j}].id`, r.id);
  }
}

function checkDatabases({ t, add }: CheckContext): void {
  t.databases.forEach((db, i) => {
    db.replicas.forEach((r, j) => {
      if (r.identifier === db.primary.identifier) {
        add(
          `databases[${i}].replicas[${j}].identifier`,
          `"${r.identifier}" is the primary; a replica cannot also be the primary`,
        );
      }
    });
    if (db.engine !== 'rds-instance' && !db.clusterIdentifier)
      add(`databases[${i}].clusterIdentifier`, `is required for engine "${db.engine}"`);
    checkFence(db, `databases[${i}]`, add);
  });
}

/** Records: one entry per name and type, targets that exist and serve the record's family, set ids. */
function checkRecords({ t, add }: CheckContext): void {
  // Every address an endpoint can serve: a server's ip, a load balancer's ips (both families).
  const endpointIps = new Map<string, string[]>([
    ...t.servers.map((s) => [s.id, s.ip ? [s.ip] : []] as const),
    ...t.loadBalancers.map((lb) => [lb.id, lb.ips] as const),
  ]);
  const records = new Map<string, number>();
  t.dns.forEach((d, i) => {
    const key = `${d.name.toLowerCase().replace(/\.$/, '')} ${d.type}`;
    const previous = records.get(key);
    if (previous !== undefined)
      add(
        `dns[${i}]`,
        `${d.type} ${d.name} is already described by dns[${previous}]; two entries would fight over one record`,
      );
    else records.set(key, i);
    checkRecordTargets(d, i, endpointIps, add);
    if (d.minHealthy > d.targets.length)
      add(`dns[${i}].minHealthy`, `${d.minHealthy} is more than the record's ${d.targets.length} target(s)`);
  });
}

/**
 * One record's targets: each an endpoint of ours; an ip-set record's addresses of its family and
 * listed once; a routed record's set identifiers present and unique.
 */
function checkRecordTargets(
  d: DnsRecord,
  i: number,
  endpointIps: ReadonlyMap<string, readonly string[]>,
  add: CheckContext['add'],
): void {
  const family = d.type === 'A' ? 4 : 6;
  const setIds = new Set<string>();
  const values = new Set<string>();
  d.targets.forEach((target, j) => {
    const path = `dns[${i}].targets[${j}]`;
    const ips = endpointIps.get(target.endpoint);
    if (!ips) {
      add(`${path}.endpoint`, `"${target.endpoint}" is not the id of a server or load balancer`);
      return;
    }
    if (d.routing === 'ip-set') {
      if (target.ip !== undefined && isIP(target.ip) !== family) {
        add(`${path}.ip`, `"${target.ip}" is not an IPv${family} address (record type ${d.type})`);
        return;
      }
      const served = target.ip !== undefined ? [target.ip] : ips.filter((ip) => isIP(ip) === family);
      if (served.length === 0) {
        const has = ips.length > 0 ? `only ${ips.join(', ')}` : 'no ip';
        add(
          `${path}.ip`,
          `is required: endpoint "${target.endpoint}" has no IPv${family} address for this ${d.type} record (${has})`,
        );
      }
      for (const ip of served) {
        if (values.has(ip)) add(`${path}.ip`, `"${ip}" appears twice in record "${d.name}"`);
        values.add(ip);
      }
    } else if (!target.setIdentifier) {
      add(`${path}.setIdentifier`, `is required for ${d.routing} records (one record set per target)`);
    } else if (setIds.has(target.setIdentifier)) {
      add(`${path}.setIdentifier`, `"${target.setIdentifier}" appears twice in record "${d.name}"`);
    } else {
      setIds.add(target.setIdentifier);
    }
  });
}

/** A probe's timeout must end before the next probe starts, with every per-target override applied. */
function checkTimings({ t, add }: CheckContext): void {
  const check = (path: string, overrides: Partial<Topology['checks']> | undefined) => {
    const c = { ...t.checks, ...overrides };
    if (c.timeoutMs >= c.intervalSeconds * 1000)
      add(path, `timeoutMs (${c.timeoutMs}) must be below the interval (${c.intervalSeconds * 1000} ms)`);
  };
  check('checks', undefined);
  for (const [i, s] of t.servers.entries()) if (s.checks) check(`servers[${i}].checks`, s.checks);
  for (const [i, lb] of t.loadBalancers.entries()) if (lb.checks) check(`loadBalancers[${i}].checks`, lb.checks);
  for (const [i, db] of t.databases.entries()) {
    if (db.primary.checks) check(`databases[${i}].primary.checks`, db.primary.checks);
    for (const [j, r] of db.replicas.entries()) if (r.checks) check(`databases[${i}].replicas[${j}].checks`, r.checks);
  }
}

/** What the probe would hand to Node: a URL of its own scheme with a real port, a body regex that compiles. */
function probeProblems(probe: Probe): { field: string; message: string }[] {
  if (probe.type === 'tcp') return [];
  const problems: { field: string; message: string }[] = [];
  let url: URL | undefined;
  try {
    url = new URL(probe.url);
  } catch {
    return [{ field: 'url', message: `${JSON.stringify(probe.url)} is not a URL` }];
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== probe.type)
    problems.push({
      field: 'url',
      message: `is an ${scheme}:// URL but the probe type is "${probe.type}"; make them agree`,
    });
  if (url.port === '0')
    problems.push({ field: 'url', message: 'port 0 cannot be probed; name the port the endpoint listens on' });
  const regex = probe.bodyMatch && 'regex' in probe.bodyMatch ? probe.bodyMatch.regex : undefined;
  if (regex !== undefined) {
    try {
      new RegExp(regex);
    } catch (error) {
      // Without this, every probe fails and a healthy server is pulled from DNS for a typo.
      problems.push({
        field: 'bodyMatch.regex',
        message: `does not compile: ${errorMessage(error)}`,
      });
    }
  }
  return problems;
}

function checkProbes({ t, add }: CheckContext): void {
  const endpoints: [string, Probe][] = [
    ...t.servers.map((s, i) => [`servers[${i}].probe`, s.probe] as [string, Probe]),
    ...t.loadBalancers.map((lb, i) => [`loadBalancers[${i}].probe`, lb.probe] as [string, Probe]),
  ];
  for (const [path, probe] of endpoints) for (const p of probeProblems(probe)) add(`${path}.${p.field}`, p.message);
}

/** arn:partition:elasticloadbalancing:region:account:resource — for this topology's account and the load balancer's region. */
function checkLoadBalancerArns({ t, add, catalog }: CheckContext): void {
  t.loadBalancers.forEach((lb, i) => {
    const arns: [string, string, string][] = [
      ...(lb.arn !== undefined
        ? [[`loadBalancers[${i}].arn`, lb.arn, 'loadbalancer/'] as [string, string, string]]
        : []),
      ...lb.targetGroups.map(
        (arn, j) => [`loadBalancers[${i}].targetGroups[${j}]`, arn, 'targetgroup/'] as [string, string, string],
      ),
    ];
    for (const [path, arn, resourcePrefix] of arns) {
      const parts = arn.split(':');
      const [prefix, partition, service, region, account, ...resource] = parts;
      if (
        prefix !== 'arn' ||
        parts.length < 6 ||
        service !== 'elasticloadbalancing' ||
        !resource.join(':').startsWith(resourcePrefix)
      ) {
        add(
          path,
          `"${arn}" is not an Elastic Load Balancing ${resourcePrefix.slice(0, -1)} ARN (arn:aws:elasticloadbalancing:<region>:<account>:${resourcePrefix}…)`,
        );
        continue;
      }
      if (/^\d{12}$/.test(t.account ?? '') && account !== t.account)
        add(path, `belongs to account ${account}, not the topology's account ${t.account}`);
      if (region !== lb.region) add(path, `is in ${region}, but load balancer "${lb.id}" is in ${lb.region}`);
      const expectedPartition = catalog?.partitionOf(lb.region);
      if (expectedPartition && partition !== expectedPartition)
        add(path, `is in partition "${partition}", but ${lb.region} is in "${expectedPartition}"`);
    }
  });
}
