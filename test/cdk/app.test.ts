// createApp end to end: the example topology really bundled and synthesized; broken configs refused.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lambdas/domain/errors';
import { parseTopologyFile } from '../../lambdas/contracts/bundled-topology';
import { createApp, synthesizeApp } from '../../lib/app';
import { largeTopologyInput } from '../fixtures/large-topology';
import { captureIo } from '../cli/capture-io';
import { exampleInput, SKIP_BUNDLING } from './guard-fixtures';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'failover-guard-cdk-'));
}

/** The asset folders of a synthesized assembly: each function's index.js and topology.json. */
function assetDirs(outdir: string): string[] {
  return readdirSync(outdir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(outdir, name));
}

describe('createApp', () => {
  it('synthesizes examples/two-region.json into one stack per region, bundling both handlers under 1 MB with the topology beside the code', {
    timeout: 180_000,
  }, async () => {
    // Prepare
    const outdir = tempDir();
    // Act
    const { app, stacks } = await createApp({ appProps: { outdir } });
    const assembly = app.synth();
    // Assess
    expect(stacks.map((s) => [s.stackName, s.region, s.account])).toEqual([
      ['FailoverGuard-shop-eu-west-1', 'eu-west-1', '123456789012'],
      ['FailoverGuard-shop-eu-central-1', 'eu-central-1', '123456789012'],
    ]);
    expect(assembly.getStackByName('FailoverGuard-shop-eu-central-1').dependencies.map((d) => d.id)).toContain(
      'FailoverGuard-shop-eu-west-1',
    );
    const assets = assetDirs(outdir);
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      expect(statSync(join(asset, 'index.js')).size).toBeLessThan(1024 * 1024);
      const code = readFileSync(join(asset, 'index.js'), 'utf8');
      expect(code).not.toContain('www.shop.example.com');
      expect(code).toContain('sourceMappingURL=index.js.map');
      const topology = parseTopologyFile(readFileSync(join(asset, 'topology.json'), 'utf8'), 'topology.json');
      expect(topology.name).toBe('shop');
    }
  });

  it('synthesizes a 10,000-endpoint topology (1.8 MB, far past any command line), the topology a file in each asset', {
    timeout: 180_000,
  }, async () => {
    // Prepare: one guard region, so one checker and one actor are bundled.
    const dir = tempDir();
    const path = join(dir, 'big.json');
    writeFileSync(path, JSON.stringify(largeTopologyInput(10_000, undefined, { regions: ['eu-west-1'] })));
    const outdir = join(dir, 'cdk.out');
    // Act
    const { app } = await createApp({ configPath: path, appProps: { outdir } });
    const assembly = app.synth();
    // Assess
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['FailoverGuard-big-eu-west-1']);
    // 10 shards, the largest slice 1,026 endpoints: 0.32 CPU-s a cycle fits a second of wall at 576 MB (1/3 of a vCPU).
    const template = assembly.stacks[0]!.template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const checker = Object.values(template.Resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' && String(r.Properties['Description']).includes('probes every endpoint'),
    );
    expect(checker?.Properties['MemorySize']).toBe(576);
    const assets = assetDirs(outdir);
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      expect(statSync(join(asset, 'index.js')).size).toBeLessThan(1024 * 1024);
      const topology = parseTopologyFile(readFileSync(join(asset, 'topology.json'), 'utf8'), 'topology.json');
      expect(topology.servers).toHaveLength(10_000);
    }
  });

  it('reads the topology named by the `config` context, as `cdk synth -c config=path` passes it', async () => {
    const dir = tempDir();
    const path = join(dir, 'other.json');
    writeFileSync(path, JSON.stringify({ ...exampleInput(), name: 'other', guard: { regions: ['eu-central-1'] } }));
    const { stacks, topology } = await createApp({ appProps: { context: { ...SKIP_BUNDLING, config: path } } });
    expect(topology.name).toBe('other');
    expect(stacks.map((s) => s.stackName)).toEqual(['FailoverGuard-other-eu-central-1']);
  });

  it('fails with the same path-naming errors as `failover-guard validate` when the config is broken', async () => {
    const path = join(tempDir(), 'broken.json');
    const input = exampleInput();
    writeFileSync(path, JSON.stringify({ ...input, account: '42', checks: { ...input.checks, intervalSeconds: 0 } }));
    const failure = createApp({ configPath: path, appProps: { context: SKIP_BUNDLING } });
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(/broken\.json is not a valid topology/);
    await expect(failure).rejects.toThrow(/account: is not a 12-digit AWS account id/);
    await expect(failure).rejects.toThrow(/checks\.intervalSeconds: /);
  });

  it('`cdk synth` of a broken config prints the validate errors, no stack trace, and exits 2', async () => {
    const path = join(tempDir(), 'broken.json');
    writeFileSync(path, JSON.stringify({ ...exampleInput(), account: '42' }));
    const { io, result } = captureIo();
    await synthesizeApp({ configPath: path, appProps: { context: SKIP_BUNDLING } }, io);
    expect(result()).toEqual({
      stdout: '',
      stderr: `error: ${path} is not a valid topology (1 problem):\n  account: is not a 12-digit AWS account id\n`,
      exitCode: 2,
    });
  });

  it('names the file and the fix when the config cannot be read', async () => {
    const path = join(tempDir(), 'missing.json');
    await expect(createApp({ configPath: path, appProps: { context: SKIP_BUNDLING } })).rejects.toThrow(
      /cannot read the config ".*missing\.json" \(ENOENT\): no such file; check the path/,
    );
  });
});

describe('bin/app.ts (what `cdk synth` runs)', () => {
  const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

  /** Runs the CDK app as the cdk CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
  async function synthCli(configPath: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config: configPath }), CDK_OUTDIR: tempDir() };
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/app.ts'], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    return { code: code as number | null, stdout, stderr };
  }

  it('prints the validate errors and nothing else for a broken config, and exits 2', async () => {
    const path = join(tempDir(), 'broken.json');
    writeFileSync(path, JSON.stringify({ ...exampleInput(), account: '42' }));
    expect(await synthCli(path)).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: ${path} is not a valid topology (1 problem):\n  account: is not a 12-digit AWS account id\n`,
    });
  });

  it("refuses the drill's loopback topology: deployed, every target would read UNHEALTHY", async () => {
    const run = await synthCli(join(repoRoot, 'examples/local.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: .*examples\/local\.json is not a valid topology \(1 problem\):\n  cannot be deployed: every endpoint is on loopback/,
    );
  });
});
