// Runs the CLI in-process and captures what it writes and the exit code it sets.
import { runCli } from '../../lambdas/cli/main';
import type { CliIo } from '../../lambdas/contracts/command-io';

export interface CapturedRun {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 when the command never set one (as process.exitCode). */
  readonly exitCode: number;
}

export function captureIo(): { io: CliIo; result: () => CapturedRun } {
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  return { io, result: () => ({ stdout, stderr, exitCode }) };
}

/** `failover-guard <args…>` in-process. */
export async function runCliCaptured(...args: string[]): Promise<CapturedRun> {
  const { io, result } = captureIo();
  await runCli(args, io);
  return result();
}
