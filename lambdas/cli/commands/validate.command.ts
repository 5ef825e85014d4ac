// `failover-guard validate <config>`: the whole config checked, every problem reported at once.
import type { Command } from 'commander';
import type { Topology } from '../../domain/config/schema';
import type { CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** One line a person can check against what they meant to write. */
export function summarizeTopology(topology: Topology): string {
  const dnsTargets = topology.dns.reduce((sum, record) => sum + record.targets.length, 0);
  const replicas = topology.databases.reduce((sum, db) => sum + db.replicas.length, 0);
  const regions = topology.regions.map((r) => `${r.name} (${r.role})`).join(', ');
  return [
    plural(topology.servers.length, 'server'),
    plural(topology.loadBalancers.length, 'load balancer'),
    `${plural(topology.dns.length, 'DNS record')} (${plural(dnsTargets, 'target')})`,
    `${plural(topology.databases.length, 'database')} (${plural(replicas, 'replica')})`,
    `${plural(topology.regions.length, 'region')}: ${regions}`,
  ].join(', ');
}

export function registerValidateCommand(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('check a topology config: its schema, references between fields, unique ids, thresholds and timings')
    .argument('<config>', 'topology config (JSON)')
    .addHelpText(
      'after',
      [
        '',
        'Prints "ok: …" and exits 0, or lists every problem with its JSON path and exits 2.',
        '',
        'Examples:',
        '  $ failover-guard validate examples/two-region.json',
        '  ok: 4 servers, 4 load balancers, 2 DNS records (8 targets), …',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string) => {
      const topology = await readTopologyFile(configPath);
      io.stdout(`ok: ${summarizeTopology(topology)}\n`);
    });
}
