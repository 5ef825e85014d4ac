// `failover-guard approve <config> <plan-id>`: lets a region failover that waits in approval mode run;
// the acting checker's next cycle executes it.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { ApprovalError, approveRunbook } from '../../engine/region';
import { InputError, type CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';
import { cliGuardContext, type GuardCliOptions } from './plan.command';

/** Who approves: --by, else the login name. */
function approver(by: string | undefined): string {
  if (by) return by;
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}

export function registerApproveCommand(program: Command, io: CliIo, contextFor = cliGuardContext): void {
  program
    .command('approve')
    .description('approve a region failover runbook that waits for approval (regionFailover.mode "approval")')
    .argument('<config>', 'topology config (JSON)')
    .argument(
      '<plan-id>',
      'the runbook id from the notification (e.g. failover-eu-west-1-1), or the plan id that created it',
    )
    .option('--by <name>', 'who approves, recorded in the runbook (default: your login name)')
    .option(
      '--region <region>',
      'the region whose replica of the state table to write (default: AWS_REGION, else the primary)',
    )
    .option(
      '--table <name>',
      'the guard state table (default: env FAILOVER_GUARD_TABLE, else failover-guard-<name>, the deployed default)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ failover-guard approve examples/two-region.json failover-eu-west-1-1 --table failover-guard-state --region eu-central-1',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, id: string, options: GuardCliOptions & { by?: string }) => {
      const topology = await readTopologyFile(configPath);
      const ctx = contextFor(topology, options, { topic: false });
      try {
        const runbook = await approveRunbook(ctx.ports.store, id, approver(options.by), ctx.now(), topology);
        io.stdout(
          `approved ${runbook.id}: ${runbook.data.fromRegion} -> ${runbook.data.toRegion}; the acting checker runs it on its next cycle (within ${topology.checks.intervalSeconds} s to a minute)\n` +
            `follow it with: failover-guard status ${configPath}\n`,
        );
      } catch (error) {
        if (error instanceof ApprovalError) throw new InputError(error.message);
        throw error;
      }
    });
}
