// Every `npx cdk …` command the README and docs/ show (slow lane: a synth bundles both Lambdas with
// esbuild). A synth of a real file runs here as the docs show it — the cdk CLI from node_modules, with
// no AWS credentials, no AWS config and no usable Docker — and must synthesize one stack per guard
// region. The others cannot run offline (deploy and bootstrap need an account; a placeholder such as
// `path/to/…` or `<account>` names no real thing): each is listed as not run, with the reason, and its
// options are checked against the cdk CLI's own --help, so a renamed or mistyped option still fails.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTopologyText } from '../../lambdas/domain/config/load';
import { guardRegions } from '../../lambdas/domain/config/targets';
import { guardStackName } from '../../lib/failover-guard-stack';
import { docFiles, repoRoot } from './doc-files';

const cdkBin = join(repoRoot, 'node_modules', '.bin', 'cdk');
/** The topology `cdk synth` reads without `-c config=…` (lib/app.ts). */
const DEFAULT_CONFIG = 'examples/two-region.json';
/** A bundled synth takes seconds alone, minutes on a loaded shared machine: a safety net, not a speed check. */
const SYNTH_TIMEOUT = 600_000;

interface CdkCommand {
  readonly where: string;
  /** The words after `npx cdk`, its comment left out. */
  readonly args: readonly string[];
}

/** `npx cdk …` lines of code blocks and inline code spans, each once (the first place it is shown). */
function shownCdkCommands(): CdkCommand[] {
  const seen = new Map<string, CdkCommand>();
  for (const file of docFiles) {
    const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      const inline = [...line.matchAll(/`(npx cdk [a-z][^`]*)`/g)].map((m) => m[1] ?? '');
      const whole = /^\s*(?:\$ )?(npx cdk [a-z].*)$/.exec(line)?.[1];
      for (const text of whole !== undefined ? [whole] : inline) {
        const args = text
          .replace(/\s+#.*$/, '')
          .trim()
          .split(/\s+/)
          .slice(2);
        const key = args.join(' ');
        if (!seen.has(key)) seen.set(key, { where: `${file}:${index + 1}`, args });
      }
    });
  }
  return [...seen.values()];
}

/** Why a shown command is not run here, or undefined when it runs offline. */
function whyNotRun(command: CdkCommand): string | undefined {
  const text = command.args.join(' ');
  if (/<[a-z]+>|path\/to\//.test(text))
    return 'it shows a placeholder (`path/to/…`, `<account>`), not a real file or account';
  if (command.args[0] !== 'synth') return `\`cdk ${command.args[0]}\` needs an AWS account and credentials`;
  return undefined;
}

/** The `config` context a command passes, or the default topology. */
function configOf(args: readonly string[]): string {
  const index = args.findIndex((a, i) => (a === '-c' || a === '--context') && args[i + 1]?.startsWith('config='));
  return index < 0 ? DEFAULT_CONFIG : (args[index + 1] ?? '').slice('config='.length);
}

/** The environment of a machine with no AWS credentials or config and no Docker CDK could use. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DOCKER: '/nonexistent/docker',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
}

function cdk(args: readonly string[], timeout: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      cdkBin,
      [...args],
      { cwd: repoRoot, env: offlineEnv(), timeout, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** `cdk <subcommand> --help`, asked once per subcommand (the CLI takes seconds to start). */
const helps = new Map<string, Promise<string>>();
function helpOf(subcommand: string): Promise<string> {
  let help = helps.get(subcommand);
  if (!help) {
    help = cdk([subcommand, '--help'], 120_000).then((run) => run.stdout);
    helps.set(subcommand, help);
  }
  return help;
}

const commands = shownCdkCommands();
const runnable = commands.filter((c) => whyNotRun(c) === undefined);
const notRun = commands.filter((c) => whyNotRun(c) !== undefined);

describe('the `npx cdk` commands the docs show', () => {
  const outDirs: string[] = [];
  afterAll(() => {
    for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the synth, bootstrap and deploy commands', () => {
    expect(commands.map((c) => c.args[0])).toEqual(expect.arrayContaining(['synth', 'bootstrap', 'deploy']));
    expect(runnable.length).toBeGreaterThan(0);
  });

  it.each(runnable.map((c) => [`${c.where}: npx cdk ${c.args.join(' ')}`, c] as const))(
    'runs offline, without credentials or Docker, and synthesizes one stack per guard region: %s',
    { timeout: SYNTH_TIMEOUT },
    async (_name, command) => {
      // Prepare: the assembly goes to a folder of its own, so a run leaves cdk.out alone
      const outdir = mkdtempSync(join(tmpdir(), 'failover-guard-cdk-synth-'));
      outDirs.push(outdir);
      const config = configOf(command.args);
      const topology = parseTopologyText(readFileSync(join(repoRoot, config), 'utf8'), config);
      // Act
      const run = await cdk([...command.args, '--output', outdir, '--quiet', '--no-notices'], SYNTH_TIMEOUT);
      // Assess
      expect(run.code, `exit code of cdk ${command.args.join(' ')}:\n${run.stderr}`).toBe(0);
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
        artifacts: Record<string, { type: string }>;
      };
      const stacks = Object.entries(manifest.artifacts)
        .filter(([, a]) => a.type === 'aws:cloudformation:stack')
        .map(([id]) => id);
      const expected = guardRegions(topology).map((region) => guardStackName(topology, region));
      expect(stacks.sort()).toEqual([...expected].sort());
      for (const id of stacks) expect(existsSync(join(outdir, `${id}.template.json`)), id).toBe(true);
    },
  );

  it.each(notRun.map((c) => [`${c.where}: npx cdk ${c.args.join(' ')} (${whyNotRun(c)})`, c] as const))(
    'is not run, but names only options `cdk --help` lists and a file that exists: %s',
    { timeout: 120_000 },
    async (_name, command) => {
      const [subcommand, ...rest] = command.args;
      const help = await helpOf(subcommand ?? '');
      for (const option of rest.filter((a) => a.startsWith('-')))
        expect(help, `cdk ${subcommand} --help lists ${option}`).toMatch(
          new RegExp(`(^|[\\s,])${option.replace(/[-]/g, '\\-')}([\\s,]|$)`, 'm'),
        );
      const config = configOf(command.args);
      if (!/path\/to\//.test(config)) expect(existsSync(join(repoRoot, config)), config).toBe(true);
    },
  );
});
