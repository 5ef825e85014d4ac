// Bundles each Lambda handler exactly as the CDK app does (same esbuild settings, the topology as
// topology.json beside the code), reports its size (≤ 1 MB each, DESIGN.md) and the cold-start
// module load time: a fresh `node` requiring the bundle, as the Lambda runtime does, with and without
// --enable-source-maps, with the example topology and with a 10,000-endpoint one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { parseTopology, parseTopologyText } from '../lambdas/domain/config/load';
import type { Topology } from '../lambdas/domain/config/schema';
import { TOPOLOGY_FILE, topologyFileText } from '../lambdas/contracts/bundled-topology';
import { GuardEnv } from '../lambdas/contracts/telemetry-names';
import { handlerEntry, handlerEsbuildSettings, projectRoot, type HandlerName } from '../lib/handler-bundling';
import { largeTopologyInput } from '../test/fixtures/large-topology';

const limitBytes = 1024 * 1024;
const loadRuns = 7;
const handlers: HandlerName[] = ['checker', 'actor'];
const topology = parseTopologyText(
  readFileSync(join(projectRoot, 'examples/two-region.json'), 'utf8'),
  'examples/two-region.json',
);
const bigTopology = parseTopology(largeTopologyInput(10_000), '10,000 endpoints');

/** A folder holding topology.json, as LAMBDA_TASK_ROOT names it in Lambda. */
function taskRoot(dir: string, what: Topology): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, TOPOLOGY_FILE), topologyFileText(what));
  return dir;
}

/** Bytes per top-level package in the bundle, largest first. */
function largestInputs(metafile: Metafile, count: number): string {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const parts = path.split('node_modules/').pop()!.split('/');
      const name = path.includes('node_modules/')
        ? parts[0]!.startsWith('@')
          ? `${parts[0]}/${parts[1]}`
          : parts[0]!
        : 'project code';
      byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`)
    .join(', ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median ms to require the bundle in a fresh process, and the RSS after loading. */
function loadTime(bundle: string, sourceMaps: boolean, root: string): { ms: number; rssMb: number } {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});const ms=Number(process.hrtime.bigint()-t)/1e6;console.log(JSON.stringify({ms,rss:process.memoryUsage().rss}))`;
  const env = {
    ...process.env,
    LAMBDA_TASK_ROOT: root,
    AWS_REGION: 'eu-west-1',
    [GuardEnv.tableName]: 'failover-guard-shop',
    [GuardEnv.topicArn]: 'arn:aws:sns:eu-west-1:123456789012:failover-guard',
    [GuardEnv.actorFunction]: 'failover-guard-actor',
    [GuardEnv.loopSeconds]: '55',
    [GuardEnv.readinessAlarm]: 'failover-guard-shop-eu-west-1-ReadinessFailures',
  };
  const runs: { ms: number; rss: number }[] = [];
  for (let i = 0; i < loadRuns; i += 1) {
    const result = spawnSync(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), '-e', script], {
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`loading ${bundle} failed: ${result.stderr}`);
    runs.push(JSON.parse(result.stdout.trim().split('\n').pop()!) as { ms: number; rss: number });
  }
  return { ms: median(runs.map((r) => r.ms)), rssMb: median(runs.map((r) => r.rss)) / 1024 / 1024 };
}

const outdir = mkdtempSync(join(tmpdir(), 'failover-guard-bundles-'));
let failed = false;
console.log(
  `bundle size and cold-start module load (median of ${loadRuns} fresh node ${process.version} processes; Lambda runs Node 22 on arm64)`,
);
for (const name of handlers) {
  const outfile = join(outdir, name, 'index.js');
  const started = performance.now();
  const result = await build({
    ...handlerEsbuildSettings,
    mainFields: [...handlerEsbuildSettings.mainFields],
    entryPoints: [handlerEntry(name)],
    bundle: true,
    outfile,
    metafile: true,
    logLevel: 'warning',
  });
  const buildMs = performance.now() - started;
  const code = readFileSync(outfile);
  const bytes = code.length;
  const mapBytes = statSync(`${outfile}.map`).size;
  const zipped = deflateRawSync(code).length + deflateRawSync(readFileSync(`${outfile}.map`)).length;
  const root = taskRoot(join(outdir, name), topology);
  const bigRoot = taskRoot(join(outdir, `${name}-10k`), bigTopology);
  const plain = loadTime(outfile, false, root);
  const mapped = loadTime(outfile, true, root);
  const big = loadTime(outfile, true, bigRoot);
  const ok = bytes <= limitBytes;
  failed ||= !ok;
  console.log(
    `${name.padEnd(8)} ${(bytes / 1024).toFixed(0)} KiB minified (limit 1024 KiB: ${ok ? 'ok' : 'OVER'}), source map ${(mapBytes / 1024).toFixed(0)} KiB, ` +
      `deployment zip ≈ ${(zipped / 1024).toFixed(0)} KiB, esbuild ${buildMs.toFixed(0)} ms`,
  );
  console.log(
    `         module load ${plain.ms.toFixed(0)} ms (${mapped.ms.toFixed(0)} ms with --enable-source-maps, as deployed), RSS after load ${plain.rssMb.toFixed(0)} MB`,
  );
  const bigKib = statSync(join(bigRoot, TOPOLOGY_FILE)).size / 1024;
  console.log(
    `         with a 10,000-endpoint topology.json (${bigKib.toFixed(0)} KiB): module load ${big.ms.toFixed(0)} ms with source maps, RSS after load ${big.rssMb.toFixed(0)} MB`,
  );
  console.log(`         largest: ${largestInputs(result.metafile, 6)}`);
}
process.exitCode = failed ? 1 : 0;
