// Parses and validates a topology: the schema first, then the checks that span several fields.
// Every problem is collected and reported at once, each with its JSON path.
import { isIP } from 'node:net';
import { z, type core } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors';
import { checkFence } from './fencing';
import { friendlyMessage } from './messages';
import { topologySchema, type Topology } from './schema';

/** Formats a path like `dns[1].targets[0].ip`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function issueFromZod(issue: core.$ZodIssue): ConfigIssue {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
  }
  return { path, message: issue.message };
}

/**
 * An invalid config made as whole as it can be, so the cross-field checks still run and every
 * problem is reported at once: each list element that passes the schema is parsed (defaults
 * filled in), one that fails is kept as written; a section that fails takes its default.
 */
function bestEffortParts(raw: Record<string, unknown>): Topology {
  const parts: Record<string, unknown> = {};
  for (const [key, fieldSchema] of Object.entries(topologySchema.shape) as [string, z.ZodType][]) {
    const value = raw[key];
    const whole = fieldSchema.safeParse(value);
    if (whole.success) parts[key] = whole.data;
    else if (Array.isArray(value)) parts[key] = value.map((element) => parsedOrAsWritten(fieldSchema, element));
    else parts[key] = fieldSchema.safeParse(undefined).data;
  }
  return parts as Topology;
}

function parsedOrAsWritten(listSchema: z.ZodType, element: unknown): unknown {
  const list = listSchema instanceof z.ZodDefault ? listSchema.unwrap() : listSchema;
  if (!(list instanceof z.ZodArray)) return element;
  const result = (list.element as z.ZodType).safeParse(element);
  return result.success ? result.data : withFieldDefaults(list.element as z.ZodType, element);
}

/** An element kept as written, with its own fields' defaults filled in (routing, ttl, …) so checks read what the schema would. */
function withFieldDefaults(elementSchema: z.ZodType, element: unknown): unknown {
  if (!(elementSchema instanceof z.ZodObject) || typeof element !== 'object' || element === null || Array.isArray(element)) {
    return element;
  }
  const filled: Record<string, unknown> = { ...(element as Record<string, unknown>) };
  for (const [key, fieldSchema] of Object.entries(elementSchema.shape) as [string, z.ZodType][]) {
    if (filled[key] !== undefined) continue;
    const fallback = fieldSchema.safeParse(undefined);
    if (fallback.success && fallback.data !== undefined) filled[key] = fallback.data;
  }
  return filled;
}

/** Cross-field issues of an invalid config, or none when what is left is too broken to check. */
function bestEffortCrossFieldIssues(raw: unknown): ConfigIssue[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  try {
    return crossFieldIssues(bestEffortParts(raw as Record<string, unknown>));
  } catch {
    // An element kept as written lacks a field the checks read; its schema issues say what.
    return [];
  }
}

/** True when one path is the other or contains it: a cross-field issue there repeats the schema's. */
function overlaps(a: string, b: string): boolean {
  const within = (inner: string, outer: string) =>
    inner === outer || (outer !== '' && (inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`)));
  return within(a, b) || within(b, a);
}

/** Parses a topology from JSON text; throws ConfigError naming every problem. */
export function parseTopologyText(text: string, source = 'config'): Topology {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(source, [{ path: '', message: `is not JSON: ${(cause as Error).message}` }], { cause });
  }
  return parseTopology(raw, source);
}

/** Validates an already-parsed value; throws ConfigError naming every problem. */
export function parseTopology(raw: unknown, source = 'config'): Topology {
  const result = topologySchema.safeParse(raw, { error: friendlyMessage });
  if (!result.success) {
    const schemaIssues = result.error.issues.map(issueFromZod);
    const extra = bestEffortCrossFieldIssues(raw).filter((c) => !schemaIssues.some((i) => overlaps(i.path, c.path)));
    throw new ConfigError(source, [...schemaIssues, ...extra]);
  }
  const issues = crossFieldIssues(result.data);
  if (issues.length > 0) throw new ConfigError(source, issues);
  return result.data;
}

/** The checks no single field can make: references, uniqueness, roles, consistency. */
export function crossFieldIssues(t: Topology): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const regionNames = new Set(t.regions.map((r) => r.name));

  const seenRegions = new Set<string>();
  t.regions.forEach((r, i) => {
    if (seenRegions.has(r.name)) add(`regions[${i}].name`, `region "${r.name}" is listed twice`);
    seenRegions.add(r.name);
  });
  const primaries = t.regions.filter((r) => r.role === 'primary');
  if (primaries.length !== 1) add('regions', `needs exactly one region with role "primary" (found ${primaries.length})`);

  const checkRegion = (path: string, region: string) => {
    if (!regionNames.has(region)) add(path, `region "${region}" is not one of the topology's regions (${[...regionNames].join(', ')})`);
  };

  // Ids share one namespace: DNS targets and observations refer to them.
  const ids = new Map<string, string>();
  const claimId = (path: string, value: string) => {
    const previous = ids.get(value);
    if (previous) add(path, `id "${value}" is already used at ${previous}`);
    else ids.set(value, path);
  };
  t.servers.forEach((s, i) => {
    claimId(`servers[${i}].id`, s.id);
    checkRegion(`servers[${i}].region`, s.region);
  });
  t.loadBalancers.forEach((lb, i) => {
    claimId(`loadBalancers[${i}].id`, lb.id);
    checkRegion(`loadBalancers[${i}].region`, lb.region);
  });
  t.dns.forEach((d, i) => claimId(`dns[${i}].id`, d.id));
  t.databases.forEach((db, i) => {
    claimId(`databases[${i}].id`, db.id);
    claimId(`databases[${i}].primary.id`, db.primary.id);
    checkRegion(`databases[${i}].primary.region`, db.primary.region);
    db.replicas.forEach((r, j) => {
      claimId(`databases[${i}].replicas[${j}].id`, r.id);
      checkRegion(`databases[${i}].replicas[${j}].region`, r.region);
      if (r.identifier === db.primary.identifier) {
        add(`databases[${i}].replicas[${j}].identifier`, `"${r.identifier}" is the primary; a replica cannot also be the primary`);
      }
    });
    if (db.engine !== 'rds-instance' && !db.clusterIdentifier) {
      add(`databases[${i}].clusterIdentifier`, `is required for engine "${db.engine}"`);
    }
    checkFence(db, `databases[${i}]`, add);
  });

  // Every address an endpoint can serve: a server's ip, a load balancer's ips (both families).
  const endpointIps = new Map<string, string[]>([
    ...t.servers.map((s) => [s.id, s.ip ? [s.ip] : []] as const),
    ...t.loadBalancers.map((lb) => [lb.id, lb.ips] as const),
  ]);
  t.dns.forEach((d, i) => {
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
          add(`${path}.ip`, `is required: endpoint "${target.endpoint}" has no IPv${family} address for this ${d.type} record (${has})`);
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
    if (d.minHealthy > d.targets.length) {
      add(`dns[${i}].minHealthy`, `${d.minHealthy} is more than the record's ${d.targets.length} target(s)`);
    }
  });

  const effective = (overrides: Partial<Topology['checks']> | undefined) => ({ ...t.checks, ...overrides });
  const checkTimings = (path: string, overrides: Partial<Topology['checks']> | undefined) => {
    const c = effective(overrides);
    if (c.timeoutMs >= c.intervalSeconds * 1000) {
      add(path, `timeoutMs (${c.timeoutMs}) must be below the interval (${c.intervalSeconds * 1000} ms)`);
    }
  };
  checkTimings('checks', undefined);
  t.servers.forEach((s, i) => s.checks && checkTimings(`servers[${i}].checks`, s.checks));
  t.loadBalancers.forEach((lb, i) => lb.checks && checkTimings(`loadBalancers[${i}].checks`, lb.checks));
  t.databases.forEach((db, i) => {
    if (db.primary.checks) checkTimings(`databases[${i}].primary.checks`, db.primary.checks);
    db.replicas.forEach((r, j) => r.checks && checkTimings(`databases[${i}].replicas[${j}].checks`, r.checks));
  });

  (t.guard.regions ?? []).forEach((r, i) => checkRegion(`guard.regions[${i}]`, r));
  Object.keys(t.guard.vpc ?? {}).forEach((r) => checkRegion(`guard.vpc.${r}`, r));
  return issues;
}
