// `failover-guard failback <config> <region> [--dry-run]`: moves traffic back to a region that has
// been healthy for regionFailover.failbackHealthyMinutes; never automatic.
import type { Command } from 'commander';
import { formatFailback, runFailback } from '../../engine/region';
import { ExitCode, type CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';
import { assertTopologyRegion, cliGuardContext, type GuardCliOptions } from './plan.command';

export function registerFailbackCommand(program: Command, io: CliIo, contextFor = cliGuardContext): void {
  program
    .command('failback')
    .description(
      'move traffic back to a recovered region (DNS, and the writer name when a healthy primary exists there)',
    )
    .argument('<config>', 'topology config (JSON)')
    .argument('<region>', 'the region to move back to')
    .option('--dry-run', 'print the failback plan, change nothing')
    .option(
      '--region <region>',
      'the region whose replica of the state table to use (default: AWS_REGION, else the primary)',
    )
    .option(
      '--table <name>',
      'the guard state table (default: env FAILOVER_GUARD_TABLE, else failover-guard-<name>, the deployed default)',
    )
    .option('--topic-arn <arn>', 'the notification topic (default: env FAILOVER_GUARD_TOPIC_ARN)')
    .addHelpText(
      'after',
      [
        '',
        'Refused (exit 1) until every endpoint of the region has been HEALTHY, seen from the other regions,',
        'for regionFailover.failbackHealthyMinutes, and while the guard is paused (nothing is recorded to run',
        'at unpause). With guard.dryRun true in the config it prints the plan, changes nothing and exits 1.',
        'A promoted replica cannot become a replica again: the plan lists what it cannot undo.',
        '',
        'Examples:',
        '  $ failover-guard failback examples/two-region.json eu-west-1 --dry-run --table failover-guard-state',
        '  $ failover-guard failback examples/two-region.json eu-west-1 --table failover-guard-state --topic-arn arn:aws:sns:eu-central-1:123456789012:failover-guard',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, region: string, options: GuardCliOptions) => {
      const topology = await readTopologyFile(configPath);
      assertTopologyRegion(topology, region, 'the region to fail back to,');
      if (options.region !== undefined) assertTopologyRegion(topology, options.region, '--region');
      const ctx = contextFor(topology, options, { topic: !options.dryRun });
      const outcome = await runFailback(ctx, region, { dryRun: options.dryRun === true });
      const { refusal, runbook } = outcome.decision;
      if (refusal || !runbook) {
        io.stderr(`failback refused: ${refusal}\n`);
        io.setExitCode(ExitCode.FAILED);
        return;
      }
      io.stdout(formatFailback(runbook));
      if (options.dryRun) {
        io.stdout('dry run: nothing changed\n');
        return;
      }
      if (!outcome.execution) {
        io.stderr(
          'failback not run: guard.dryRun is true in the config (dry-run mode), so the plan above is only printed and nothing changed; set guard.dryRun to false to fail back\n',
        );
        io.setExitCode(ExitCode.FAILED);
        return;
      }
      for (const r of outcome.execution.results)
        io.stdout(`${r.outcome.toUpperCase().padEnd(8)} ${r.action.kind}: ${r.detail}\n`);
      const failed = !outcome.execution.leaseHeld || outcome.execution.results.some((r) => r.outcome !== 'applied');
      if (!outcome.execution.leaseHeld)
        io.stderr('another invocation holds the actor lease: nothing was done; try again in a minute\n');
      io.setExitCode(failed ? ExitCode.FAILED : ExitCode.OK);
    });
}
