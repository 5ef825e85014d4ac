// Every endpoint of a topology as a real loopback socket: web servers, load-balancer proxies,
// database listeners and the authoritative DNS server. Each binds a free port at its configured
// 127.x address, and the world hands back the topology rewritten to those ports, so two drills
// (or a drill and the test suite) never collide.
import type { Topology } from '../../domain/config/schema';
import { startLoopbackDnsServer, type LoopbackDnsServer, type ZoneAnswers } from './dns-server';
import { webServerListener } from './http-server.fixture';
import { loadBalancerListener } from './lb-proxy.fixture';
import type { SwitchableListener } from './switchable-listener';
import { databaseListener } from './tcp-listener.fixture';

/** The address of an endpoint: the probe URL's host, or the TCP probe's / database endpoint's host. */
function endpointHost(probe: Topology['servers'][number]['probe']): string {
  return probe.type === 'tcp' ? probe.host : new URL(probe.url).hostname;
}

/** The port a probe names (the URL's, else its scheme's default). */
function endpointPort(probe: Topology['servers'][number]['probe']): number {
  if (probe.type === 'tcp') return probe.port;
  const url = new URL(probe.url);
  return url.port ? Number(url.port) : probe.type === 'https' ? 443 : 80;
}

export interface LoopbackWorldOptions {
  /**
   * Bind the ports the topology names (so `check` and `dig` from another terminal find them) instead of free ones.
   * @default false - free ports: two drills, or a drill and the tests, never collide
   */
  readonly configuredPorts?: boolean;
}

function assertLoopback(id: string, host: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    throw new Error(
      `endpoint "${id}" is at ${host}, but the drill only runs on loopback (127.x.y.z); give it a 127.x address in the topology`,
    );
  }
}

function withPort(probe: Topology['servers'][number]['probe'], port: number): Topology['servers'][number]['probe'] {
  if (probe.type === 'tcp') return { ...probe, port };
  const url = new URL(probe.url);
  url.port = String(port);
  return { ...probe, url: url.toString() };
}

const noZones: ZoneAnswers = { resolve: () => ({ values: [], ttl: 0 }), holds: () => false, zoneOf: () => undefined };

export class LoopbackWorld {
  /** The topology with every port (and nameserver) replaced by the ones bound. */
  readonly topology: Topology;
  private readonly listeners: ReadonlyMap<string, SwitchableListener>;
  private readonly dnsServer: LoopbackDnsServer;
  private readonly zones: { current: ZoneAnswers };

  private constructor(
    topology: Topology,
    listeners: ReadonlyMap<string, SwitchableListener>,
    dnsServer: LoopbackDnsServer,
    zones: { current: ZoneAnswers },
  ) {
    this.topology = topology;
    this.listeners = listeners;
    this.dnsServer = dnsServer;
    this.zones = zones;
  }

  /** Binds and starts every endpoint of the topology; on any failure, closes what was started. */
  static async start(topology: Topology, options: LoopbackWorldOptions = {}): Promise<LoopbackWorld> {
    const portFor = (configured: number) => (options.configuredPorts ? configured : 0);
    const listeners = new Map<string, SwitchableListener>();
    const zones = { current: noZones };
    let dnsServer: LoopbackDnsServer | undefined;
    try {
      for (const server of topology.servers) {
        const host = endpointHost(server.probe);
        assertLoopback(server.id, host);
        listeners.set(server.id, webServerListener(server.id, { host, port: portFor(endpointPort(server.probe)) }));
      }
      for (const lb of topology.loadBalancers) {
        const host = endpointHost(lb.probe);
        assertLoopback(lb.id, host);
        const backends = topology.servers.filter((s) => s.region === lb.region).map((s) => listeners.get(s.id)!);
        const address = { host, port: portFor(endpointPort(lb.probe)) };
        listeners.set(
          lb.id,
          loadBalancerListener(lb.id, address, () => backends.map((b) => ({ host: b.host, port: b.port }))),
        );
      }
      for (const db of topology.databases) {
        for (const member of [db.primary, ...db.replicas]) {
          assertLoopback(member.id, member.endpoint.host);
          listeners.set(
            member.id,
            databaseListener(member.id, { host: member.endpoint.host, port: portFor(member.endpoint.port) }),
          );
        }
      }
      for (const listener of listeners.values()) await listener.start();
      const [nameserverHost = '127.0.0.53', nameserverPort = '53'] =
        topology.dns.flatMap((r) => r.nameservers)[0]?.split(':') ?? [];
      assertLoopback('nameserver', nameserverHost);
      dnsServer = await startLoopbackDnsServer(nameserverHost, portFor(Number(nameserverPort)), {
        resolve: (n, t) => zones.current.resolve(n, t),
        holds: (n) => zones.current.holds(n),
        zoneOf: (n) => zones.current.zoneOf(n),
      });
      return new LoopbackWorld(rewrite(topology, listeners, dnsServer.nameserver), listeners, dnsServer, zones);
    } catch (error) {
      await Promise.all([...listeners.values()].map((l) => l.stop()));
      await dnsServer?.close();
      throw error;
    }
  }

  /** "host:port" of the DNS server. */
  get nameserver(): string {
    return this.dnsServer.nameserver;
  }

  /** Points the DNS server at the zones it serves (the in-memory cloud, once it exists). */
  serveZones(zones: ZoneAnswers): void {
    this.zones.current = zones;
  }

  /** "id  host:port" of every endpoint, and the DNS server, for a person to probe from another terminal. */
  addresses(): { readonly id: string; readonly address: string }[] {
    return [
      ...[...this.listeners.entries()].map(([id, l]) => ({ id, address: `${l.host}:${l.port}` })),
      { id: 'dns (udp+tcp)', address: this.dnsServer.nameserver },
    ];
  }

  /** Endpoint ids in the world, in topology order. */
  get endpointIds(): string[] {
    return [...this.listeners.keys()];
  }

  isRunning(id: string): boolean {
    return this.listener(id).running;
  }

  /** Really stops the endpoint: its socket closes and every open connection is destroyed. */
  async stop(...ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.listener(id).stop()));
  }

  /** Starts the endpoint again at the same address and port. */
  async start(...ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.listener(id).start()));
  }

  /** Stops every endpoint and the DNS server; the world cannot be used afterwards. */
  async close(): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => l.stop()));
    await this.dnsServer.close();
  }

  private listener(id: string): SwitchableListener {
    const listener = this.listeners.get(id);
    if (!listener)
      throw new Error(`the drill has no endpoint "${id}"; known: ${[...this.listeners.keys()].join(', ')}`);
    return listener;
  }
}

function rewrite(topology: Topology, listeners: ReadonlyMap<string, SwitchableListener>, nameserver: string): Topology {
  const portOf = (id: string) => listeners.get(id)!.port;
  const member = <M extends Topology['databases'][number]['primary']>(m: M): M => ({
    ...m,
    endpoint: { ...m.endpoint, port: portOf(m.id) },
  });
  return {
    ...topology,
    servers: topology.servers.map((s) => ({ ...s, probe: withPort(s.probe, portOf(s.id)) })),
    loadBalancers: topology.loadBalancers.map((lb) => ({ ...lb, probe: withPort(lb.probe, portOf(lb.id)) })),
    dns: topology.dns.map((r) => ({ ...r, nameservers: r.nameservers.length > 0 ? [nameserver] : [] })),
    databases: topology.databases.map((db) => ({
      ...db,
      primary: member(db.primary),
      replicas: db.replicas.map(member),
    })),
  };
}
