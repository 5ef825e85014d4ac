// The servers and load balancers of a draft: found by address or DNS name in what was read, drafted
// once each (with an id unique in the draft), their probes proposed from the load balancer's own checks.
import { isIP } from 'node:net';
import type { TopologyInput } from '../../domain/config/schema';
import type {
  InventoryInstance,
  InventoryLoadBalancer,
  InventoryTarget,
  InventoryTargetGroup,
} from '../../ports/account-inventory.port';
import { normaliseDnsName } from '../../ports/record-sets';
import type { AccountInventory } from './read-inventory';

type ServerInput = NonNullable<TopologyInput['servers']>[number];
type LoadBalancerInput = NonNullable<TopologyInput['loadBalancers']>[number];
type ProbeInput = ServerInput['probe'];

/** What a draft says beside it: each guess to check, and each thing it found but could not map. */
export interface DraftNotes {
  readonly guesses: string[];
  readonly unmapped: string[];
}

interface Located<T> {
  readonly region: string;
  readonly item: T;
}

/** An id the schema accepts, unique among the ids handed out so far. */
export class DraftIds {
  private readonly used = new Set<string>();

  claim(preferred: string): string {
    const base =
      preferred
        .replace(/\*/g, 'wildcard')
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, 56) || 'item';
    let id = base;
    for (let n = 2; this.used.has(id); n += 1) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

const withPort = (ip: string) => (isIP(ip) === 6 ? `[${ip}]` : ip);

/** The endpoints of the regions read, by address and DNS name, drafted into servers and load balancers on first use. */
export class DraftEndpoints {
  readonly servers: ServerInput[] = [];
  readonly loadBalancers: LoadBalancerInput[] = [];
  private readonly lbByAddress = new Map<string, Located<InventoryLoadBalancer>>();
  private readonly lbByDnsName = new Map<string, Located<InventoryLoadBalancer>>();
  private readonly instanceByIp = new Map<string, Located<InventoryInstance>>();
  private readonly instanceById = new Map<string, Located<InventoryInstance>>();
  private readonly draftedLb = new Map<string, string>();
  private readonly draftedServer = new Map<string, string>();

  constructor(
    inventory: AccountInventory,
    private readonly ids: DraftIds,
    private readonly notes: DraftNotes,
  ) {
    for (const { region, loadBalancers = [], instances = [] } of inventory.regions) {
      for (const lb of loadBalancers) {
        this.lbByDnsName.set(lb.dnsName, { region, item: lb });
        for (const address of lb.addresses) this.lbByAddress.set(address, { region, item: lb });
      }
      for (const instance of instances) {
        this.instanceById.set(`${region}/${instance.id}`, { region, item: instance });
        for (const ip of [...instance.privateIps, ...instance.publicIps, ...instance.ipv6])
          this.instanceByIp.set(ip, { region, item: instance });
      }
    }
  }

  /** The id of the endpoint serving this address (a load balancer's static IP first, then an instance's), drafting it. */
  byAddress(ip: string): { id: string; region: string } | undefined {
    const lb = this.lbByAddress.get(ip);
    if (lb) return { id: this.loadBalancer(lb), region: lb.region };
    const instance = this.instanceByIp.get(ip);
    if (instance) return { id: this.server(instance.region, instance.item, ip), region: instance.region };
    return undefined;
  }

  /** Whether an address is a load balancer's or an instance's in the regions read. */
  knows(ip: string): boolean {
    return this.lbByAddress.has(ip) || this.instanceByIp.has(ip);
  }

  /** The id of the load balancer an alias names ("dualstack." prefix and trailing dot ignored), drafting it. */
  byAliasName(dnsName: string): { id: string; region: string } | undefined {
    const lb = this.lbByDnsName.get(normaliseDnsName(dnsName).replace(/^dualstack\./, ''));
    return lb ? { id: this.loadBalancer(lb), region: lb.region } : undefined;
  }

  /** The address a drafted server was given (undefined for a load balancer: it serves all of its own). */
  addressOf(id: string): string | undefined {
    return this.servers.find((s) => s.id === id)?.ip;
  }

  /** Drafts every load balancer read, with the servers behind it. */
  draftEveryLoadBalancer(): void {
    for (const lb of new Set(this.lbByDnsName.values())) this.loadBalancer(lb);
  }

  private loadBalancer({ region, item: lb }: Located<InventoryLoadBalancer>): string {
    const drafted = this.draftedLb.get(lb.arn);
    if (drafted !== undefined) return drafted;
    const id = this.ids.claim(lb.name);
    this.draftedLb.set(lb.arn, id);
    const listener = lb.listeners[0];
    const host = lb.addresses.find((a) => isIP(a) === 4) ?? lb.dnsName;
    if (!listener) this.notes.guesses.push(`load balancer ${id}: no listener; its probe is TCP on port 80`);
    this.loadBalancers.push({
      id,
      region,
      arn: lb.arn,
      targetGroups: lb.targetGroups.map((g) => g.arn),
      ips: [...lb.addresses],
      probe: { type: 'tcp', host, port: listener?.port ?? 80 },
    });
    for (const group of lb.targetGroups) this.targetsOf(region, group);
    return id;
  }

  private targetsOf(region: string, group: InventoryTargetGroup): void {
    if (group.targetType !== 'instance' && group.targetType !== 'ip') {
      if (group.targets.length > 0)
        this.notes.unmapped.push(
          `target group ${group.name}: its ${group.targetType} targets are not servers the guard probes`,
        );
      return;
    }
    for (const target of group.targets) {
      const instance =
        group.targetType === 'instance'
          ? this.instanceById.get(`${region}/${target.id}`)
          : this.instanceByIp.get(target.id);
      if (instance) this.server(instance.region, instance.item, group.targetType === 'ip' ? target.id : undefined);
      else if (group.targetType === 'ip') this.ipTarget(region, target, group);
      else this.notes.unmapped.push(`target ${target.id} of ${group.name}: no such instance in ${region}`);
    }
  }

  /** An IP target with no instance behind it (on premises, a container): a server of its own. */
  private ipTarget(region: string, target: InventoryTarget, group: InventoryTargetGroup): void {
    if (this.draftedServer.has(target.id)) return;
    const id = this.ids.claim(`ip-${target.id}`);
    this.draftedServer.set(target.id, id);
    this.notes.guesses.push(`server ${id}: an IP target of ${group.name} with no instance in the regions read`);
    this.servers.push({ id, region, ip: target.id, probe: this.probeFor(id, target.id, target.id, region) });
  }

  private server(region: string, instance: InventoryInstance, ip: string | undefined): string {
    const drafted = this.draftedServer.get(instance.id);
    if (drafted !== undefined) return drafted;
    const id = this.ids.claim(instance.name ?? instance.id);
    this.draftedServer.set(instance.id, id);
    const address = ip ?? instance.publicIps[0] ?? instance.privateIps[0] ?? instance.ipv6[0];
    if (address === undefined) {
      this.notes.unmapped.push(`instance ${instance.id} (${id}): no IP address to probe`);
      return id;
    }
    const keys = new Set([instance.id, ...instance.privateIps, ...instance.publicIps, ...instance.ipv6]);
    this.servers.push({
      id,
      region,
      ip: address,
      instanceId: instance.id,
      probe: this.probeFor(id, address, keys, region),
    });
    return id;
  }

  /** HTTP(S) on the health-check path and port of the first target group holding the target, else TCP/HTTP guesses. */
  private probeFor(id: string, ip: string, keys: string | ReadonlySet<string>, region: string): ProbeInput {
    const holds = (t: InventoryTarget) => (typeof keys === 'string' ? t.id === keys : keys.has(t.id));
    for (const { item: lb, region: lbRegion } of this.lbByDnsName.values()) {
      if (lbRegion !== region) continue;
      for (const group of lb.targetGroups) {
        const target = group.targets.find(holds);
        if (target) return probeFromHealthCheck(id, ip, group, target, this.notes);
      }
    }
    this.notes.guesses.push(`server ${id}: in no target group read; its probe is HTTP on port 80, path /`);
    return { type: 'http', url: `http://${withPort(ip)}/` };
  }
}

function probeFromHealthCheck(
  id: string,
  ip: string,
  group: InventoryTargetGroup,
  target: InventoryTarget,
  notes: DraftNotes,
): ProbeInput {
  const check = group.healthCheck;
  const port =
    check.port === undefined || check.port === 'traffic-port' ? (target.port ?? group.port ?? 80) : Number(check.port);
  const protocol = (check.protocol ?? group.protocol ?? 'TCP').toUpperCase();
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') return { type: 'tcp', host: ip, port };
  const type = protocol === 'HTTPS' ? 'https' : 'http';
  const expectedStatus = statusCodes(check.matcher);
  if (type === 'https')
    notes.guesses.push(
      `server ${id}: its HTTPS probe does not verify the certificate (it names an IP; the load balancer's check does not verify either): set serverName and verifyTls`,
    );
  return {
    type,
    url: `${type}://${withPort(ip)}:${port}${check.path ?? '/'}`,
    ...(expectedStatus ? { expectedStatus } : {}),
    ...(type === 'https' ? { verifyTls: false } : {}),
  };
}

/** The status codes of a matcher ("200", "200,302", "200-204"); undefined (any 200–399) for a wider range. */
function statusCodes(matcher: string | undefined): number[] | undefined {
  if (matcher === undefined) return undefined;
  const codes: number[] = [];
  for (const part of matcher.split(',')) {
    const [from, to = from] = part.trim().split('-').map(Number);
    if (from === undefined || to === undefined || !(from >= 100 && to <= 599 && to >= from)) return undefined;
    if (to - from > 9) return undefined;
    for (let code = from; code <= to; code += 1) codes.push(code);
  }
  return codes.length > 0 && codes.length <= 10 ? codes : undefined;
}
