// The in-memory accounts the docs' account commands (`readiness`, `attach`) run against, so the output a doc
// shows is the output the command prints: the doc's config seeded into the in-memory cloud as it looks before
// any failure, every guard region's checker run for three cycles (fresh heartbeats), the guard's region health
// checks in Route 53 as the deployed stacks leave them, and the situation the doc describes. One world per doc
// file and config, kept from command to command in doc order (an `attach --apply` changes what the next shows).
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { readTopologyFile } from '../../lambdas/adapters/topology-file';
import type { CliAccount } from '../../lambdas/cli/main';
import { healthCheckOwnerRegion } from '../../lambdas/domain/config/data-plane';
import type { Topology } from '../../lambdas/domain/config/schema';
import { guardRegions, primaryRegion, probeTargets } from '../../lambdas/domain/config/targets';
import type { Observation } from '../../lambdas/domain/observation';
import { runCycle, type GuardContext } from '../../lambdas/engine';

/** A readiness period's first cycle, so the checkers' first cycles are readiness cycles as deployed. */
const START = new Date('2026-11-26T12:00:00.000Z');
const CERTIFICATE_DAYS = 200;

/** Every endpoint answers; an HTTPS one shows a certificate valid for CERTIFICATE_DAYS more days. */
function answeringProbe(cloud: MemoryCloud, checker: string): GuardContext['probe'] {
  return async (topology, only) =>
    probeTargets(topology)
      .filter((t) => !only || only(t.id))
      .map(
        (t): Observation => ({
          targetId: t.id,
          kind: t.probe.type,
          ok: true,
          latencyMs: 5,
          at: cloud.now().toISOString(),
          checker,
          ...(t.probe.type === 'https'
            ? {
                certificate: {
                  validTo: new Date(cloud.now().getTime() + CERTIFICATE_DAYS * 86_400_000).toISOString(),
                  daysLeft: CERTIFICATE_DAYS,
                  expiringSoon: false,
                },
              }
            : {}),
        }),
      );
}

/** What a doc describes, done to its world before its commands run. */
const situations: Readonly<Record<string, (cloud: MemoryCloud, topology: Topology) => void>> = {
  // "the standby replica lags, and an instance was registered behind a standby load balancer by hand":
  // every replica of the first database outside the primary region lags 90 s; a new EC2 instance is
  // registered in the first target group of the last load balancer.
  'docs/readiness.md': (cloud, topology) => {
    const db = topology.databases[0];
    for (const replica of db?.replicas.filter((r) => r.region !== db.primary.region) ?? [])
      cloud.setLag(replica.identifier, 90, replica.region);
    const lb = topology.loadBalancers.at(-1);
    const group = lb?.targetGroups[0];
    if (!lb || !group) return;
    const instance = 'i-0a1b2c3d4e5f60789';
    cloud.inventory.addInstance(lb.region, {
      id: instance,
      state: 'running',
      privateIps: ['10.20.3.11'],
      publicIps: [],
      ipv6: [],
    });
    cloud.loadBalancer.addTargets(group, [{ targetId: instance, port: 8080 }]);
  },
};

function context(cloud: MemoryCloud, topology: Topology, checker: string): GuardContext {
  return {
    topology,
    checker,
    ports: cloud.ports(),
    now: cloud.now,
    dryRun: false,
    probe: answeringProbe(cloud, checker),
    readinessReads: cloud.readinessReads,
  };
}

async function world(file: string, configPath: string): Promise<CliAccount> {
  const topology = await readTopologyFile(configPath);
  const cloud = MemoryCloud.fromTopology(topology, { now: () => START });
  for (const { name: region } of topology.regions) {
    const owner = healthCheckOwnerRegion(topology, region);
    if (owner)
      cloud.healthChecks.add(topology.name, {
        id: `hc-${region}-judged-from-${owner}`,
        judgedRegion: region,
        checkerRegion: owner,
      });
  }
  for (let cycle = 0; cycle < 3; cycle += 1) {
    for (const checker of guardRegions(topology)) await runCycle(context(cloud, topology, checker));
    cloud.advance(topology.checks.intervalSeconds * 1000);
  }
  situations[file]?.(cloud, topology);
  return {
    readinessContext: () => context(cloud, topology, primaryRegion(topology)),
    attachPorts: () => ({ dns: cloud.ports().dns, healthChecks: cloud.healthChecks }),
  };
}

const worlds = new Map<string, Promise<CliAccount>>();

/** Commands whose output depends on the account, run against a doc world. */
const ACCOUNT_COMMANDS = new Set(['readiness', 'attach']);

/** The account a doc's command runs against: its doc's world for the config it names (the first .json argument). */
export function docAccount(file: string, args: readonly string[]): Promise<CliAccount> | undefined {
  const configPath = args.find((a) => a.endsWith('.json'));
  if (!ACCOUNT_COMMANDS.has(args[0] ?? '') || configPath === undefined) return undefined;
  const key = `${file}|${configPath}`;
  let account = worlds.get(key);
  if (!account) {
    account = world(file, configPath);
    worlds.set(key, account);
  }
  return account;
}
