// `failover-guard cost <config> [--schedule loop|tick] [--json]`: the monthly bill of deploying
// this topology, line by line, before deploying it.
import { Option, type Command } from 'commander';
import { estimateCost, formatCostEstimate } from '../../domain/cost/cost-estimate';
import type { CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';

export function registerCostCommand(program: Command, io: CliIo): void {
  program
    .command('cost')
    .description(
      'estimate the monthly AWS bill of the deployed guard for a topology, line by line, at list prices and after the free allowances',
    )
    .argument('<config>', 'topology config (JSON)')
    .addOption(
      new Option(
        '--schedule <schedule>',
        "how the checker runs its cycles (default: the topology's guard.schedule)",
      ).choices(['loop', 'tick']),
    )
    .option('--json', 'print the estimate as JSON (usage, lines, totals, the Route 53 comparison)')
    .addHelpText(
      'after',
      [
        '',
        'Prices and their date live in lambdas/domain/cost/prices.ts; docs/cost.md explains every line.',
        'Exits 0, or 2 when the config is invalid or an option is wrong.',
        '',
        'Examples:',
        '  $ failover-guard cost examples/two-region.json --schedule tick',
        '  $ failover-guard cost topology.json --json | jq .totalListUsd',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, options: { schedule?: 'loop' | 'tick'; json?: boolean }) => {
      const estimate = estimateCost(await readTopologyFile(configPath), options.schedule);
      io.stdout(options.json ? `${JSON.stringify(estimate, null, 2)}\n` : formatCostEstimate(estimate));
    });
}
