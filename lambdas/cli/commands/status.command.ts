// `failover-guard status <config>`: the active region, region runbooks in progress, checkers and
// their heartbeat ages, fenced database members, read from the guard's state table.
import type { Command } from 'commander';
import { formatRegionStatus, readRegionStatus } from '../../engine/region';
import { ExitCode, type CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';
import { cliGuardContext, type GuardCliOptions } from './plan.command';

export function registerStatusCommand(program: Command, io: CliIo, contextFor = cliGuardContext): void {
  program
    .command('status')
    .description(
      'show the active region, region runbooks in progress, checkers with their heartbeat ages, fenced members, readiness',
    )
    .argument('<config>', 'topology config (JSON)')
    .option(
      '--region <region>',
      'the region whose replica of the state table to read (default: AWS_REGION, else the primary)',
    )
    .option(
      '--table <name>',
      'the guard state table (default: env FAILOVER_GUARD_TABLE, else failover-guard-<name>, the deployed default)',
    )
    .option('--json', 'print the status as JSON')
    .addHelpText(
      'after',
      [
        '',
        "Exits 1 when a checker's heartbeat is stale, a runbook waits or readiness was last reported lost, 0 otherwise.",
        '',
        'Examples:',
        '  $ failover-guard status examples/two-region.json --table failover-guard-state',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, options: GuardCliOptions & { json?: boolean }) => {
      const topology = await readTopologyFile(configPath);
      const status = await readRegionStatus(contextFor(topology, options, { topic: false }));
      io.stdout(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatRegionStatus(status));
      const attention =
        status.checkers.some((c) => !c.live) || status.inProgress.length > 0 || status.readiness.notReady.length > 0;
      io.setExitCode(attention ? ExitCode.FAILED : ExitCode.OK);
    });
}
