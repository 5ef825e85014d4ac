// Runs the region CLI commands in-process against a RegionHarness: the config is written to a temp
// file, and the command's guard context comes from the harness instead of AWS.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { CliIo } from '../../../lambdas/contracts/command-io';
import type { GuardCliOptions } from '../../../lambdas/cli/commands/plan.command';
import type { Topology } from '../../../lambdas/domain/config/schema';
import type { GuardContext } from '../../../lambdas/engine';
import { captureIo, type CapturedRun } from '../../cli/capture-io';
import type { RegionHarness } from './region-harness';

export type RegisterWithContext = (
  program: Command,
  io: CliIo,
  contextFor: (topology: Topology, options: GuardCliOptions, needs: { topic: boolean }) => GuardContext,
) => void;

export function writeTopology(topology: Topology): string {
  const path = join(mkdtempSync(join(tmpdir(), 'region-cli-')), 'topology.json');
  writeFileSync(path, JSON.stringify(topology));
  return path;
}

/** Runs one command registered with a context on the harness's cloud (checker: --region, else the standby). */
export async function runRegionCommand(
  h: RegionHarness,
  register: RegisterWithContext,
  args: string[],
  checker: string,
): Promise<CapturedRun & { options: GuardCliOptions[] }> {
  const { io, result } = captureIo();
  const options: GuardCliOptions[] = [];
  const program = new Command('failover-guard')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  register(program, io, (topology, given) => {
    options.push(given);
    return { ...h.context(given.region ?? checker), topology };
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n`);
    io.setExitCode(2);
  }
  return { ...result(), options };
}
