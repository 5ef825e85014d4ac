// Every command the README and docs/ show is run here, so the docs cannot rot: a `$ npx --no-install
// failover-guard …` line runs in-process and must print the lines shown under it (and the exit code
// after `; echo $?`), `readiness` and `attach` against the doc's in-memory account (doc-worlds.ts); a usage line `failover-guard <command> [--option …]` may only name options the
// command has; and no doc may show a form of npx that could fetch a package from the registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliAccount, runCli } from '../../lambdas/cli/main';
import { captureIo, runCliCaptured } from '../cli/capture-io';
import { docFiles, repoRoot } from './doc-files';
import { docAccount } from './doc-worlds';

interface ShownCommand {
  readonly file: string;
  readonly line: number;
  readonly args: string[];
  /** Lines shown under it, up to the next command; `…` skips any number of lines. */
  readonly expected: string[];
  readonly echoesExitCode: boolean;
}

/** Splits a shell command line into words (single and double quotes; no expansion). */
function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

function codeBlocks(file: string): { start: number; lines: string[] }[] {
  const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
  const blocks: { start: number; lines: string[] }[] = [];
  let current: { start: number; lines: string[] } | undefined;
  lines.forEach((line, index) => {
    if (/^\s*```/.test(line)) {
      if (current) blocks.push(current);
      current = current ? undefined : { start: index + 2, lines: [] };
    } else current?.lines.push(line);
  });
  return blocks;
}

const runnable = /^(?:\$ )?(?:npx --no-install|npm exec --no --) failover-guard (.*)$/;

function shownCommands(): ShownCommand[] {
  const commands: ShownCommand[] = [];
  for (const file of docFiles) {
    for (const block of codeBlocks(file)) {
      // In a block of `$` prompts, the other lines are output (a command printed as advice is not run).
      const prompted = block.lines.some((l) => l.trim().startsWith('$ '));
      block.lines.forEach((line, index) => {
        const match = runnable.exec(line.trim());
        if (!match || (prompted && !line.trim().startsWith('$ '))) return;
        const echoesExitCode = /; echo \$\?$/.test(match[1]!);
        const argsText = match[1]!.replace(/; echo \$\?$/, '').replace(/\s+#.*$/, '');
        // Lines shown under a `$` command are its output, up to the next `$` line.
        const expected: string[] = [];
        if (line.trim().startsWith('$ ')) {
          for (const next of block.lines.slice(index + 1)) {
            if (next.trim().startsWith('$ ')) break;
            expected.push(next);
          }
        }
        commands.push({ file, line: block.start + index, args: shellWords(argsText), expected, echoesExitCode });
      });
    }
  }
  return commands;
}

/** The commands a doc shows that talk to AWS or run for long: their output depends on an account or on time. */
const needsAccount = new Set(['plan', 'run', 'approve', 'failback', 'status']);

/** `drill --serve` runs until Ctrl-C: it gets one as soon as it says where it serves. */
async function serveThenInterrupt(args: readonly string[]) {
  const { io, result } = captureIo();
  const write = io.stdout;
  const interrupting = {
    ...io,
    stdout: (text: string) => {
      write(text);
      if (text.includes('Ctrl-C stops it')) setImmediate(() => process.emit('SIGINT'));
    },
  };
  await runCli(args, interrupting);
  return result();
}

/** `readiness` and `attach` against the doc's in-memory account (doc-worlds.ts), never AWS. */
async function runInAccount(args: readonly string[], account: CliAccount) {
  const { io, result } = captureIo();
  await runCli(args, io, account);
  return result();
}

function matchesShown(actual: string, expected: readonly string[]): void {
  const actualLines = actual.split('\n');
  let from = 0;
  for (const line of expected.map((l) => l.trimEnd()).filter((l) => l !== '')) {
    if (line.trim() === '…') continue;
    const found = actualLines.findIndex((a, i) => i >= from && a.trimEnd() === line);
    expect(found, `"${line}" in the output, after line ${from}:\n${actual}`).toBeGreaterThanOrEqual(from);
    from = found + 1;
  }
}

describe('the commands the docs show', () => {
  const commands = shownCommands().filter((c) => !needsAccount.has(c.args[0] ?? ''));

  it('finds commands to run', () => {
    expect(commands.length).toBeGreaterThan(5);
  });

  it.each(commands.map((c) => [`${c.file}:${c.line} failover-guard ${c.args.join(' ')}`, c] as const))(
    '%s',
    { timeout: 120_000 },
    async (_name, command) => {
      const account = docAccount(command.file, command.args);
      const run = command.args.includes('--serve')
        ? await serveThenInterrupt(command.args)
        : account
          ? await runInAccount(command.args, await account)
          : await runCliCaptured(...command.args);
      const output = `${run.stdout}${run.stderr}${command.echoesExitCode ? `${run.exitCode}\n` : ''}`;
      if (!command.echoesExitCode)
        expect(run.exitCode, `exit code of ${command.args.join(' ')}:\n${output}`).toBeLessThanOrEqual(1);
      matchesShown(output, command.expected);
    },
  );
});

describe('the usage lines the docs show', () => {
  const usages = docFiles.flatMap((file) =>
    codeBlocks(file).flatMap((block) =>
      block.lines.filter((l) => /^failover-guard [a-z]+ /.test(l.trim())).map((l) => ({ file, usage: l.trim() })),
    ),
  );

  it.each(usages.map((u) => [`${u.file}: ${u.usage}`, u] as const))(
    'names only options the command has: %s',
    async (_name, { usage }) => {
      const [, command] = usage.split(' ');
      const help = (await runCliCaptured(command!, '--help')).stdout;
      for (const option of usage.match(/--[a-z][a-z-]*/g) ?? [])
        expect(help, `${command} --help lists ${option}`).toContain(option);
    },
  );
});

describe('the docs', () => {
  it.each(docFiles)('%s never shows an npx that could fetch failover-guard from the registry', (file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    expect(text.match(/npx (?!--no-install)[^\n]*failover-guard(?!-)/g) ?? []).toEqual([]);
  });
});
