// How the Lambda handlers are bundled: one description shared by the CDK functions and the
// bundle-size benchmark, so the benchmark measures exactly what `cdk deploy` uploads: the code, and
// the validated topology as a file beside it (never on esbuild's command line, which has a size limit).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Topology } from '../lambdas/domain/config/schema';
import { TOPOLOGY_FILE, topologyFileText } from '../lambdas/contracts/bundled-topology';

export type HandlerName = 'checker' | 'actor';

/** The repository root: NodejsFunction's projectRoot (where package-lock.json lives). */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export function handlerEntry(name: HandlerName): string {
  return fileURLToPath(new URL(`../lambdas/handlers/${name}.handler.ts`, import.meta.url));
}

/**
 * esbuild settings of every handler. The AWS SDK v3 clients are bundled, not taken from the
 * runtime: the deployed code then runs the exact SDK versions the tests ran, and the bundle holds
 * only the clients and commands the handler imports (tree-shaken through the ESM `module` entries).
 */
export const handlerEsbuildSettings = {
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
} as const;

/**
 * Writes the validated topology (defaults applied) as `<dir>/topology-<digest>.json` and returns
 * its path: the file each function's asset gets as topology.json. Named by content, so functions
 * sharing a topology share the file and a changed topology never reuses a cached bundle.
 */
export function stageTopologyFile(topology: Topology, dir: string): string {
  const text = topologyFileText(topology);
  const path = join(dir, `topology-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, text);
  }
  return path;
}

/** Quotes a path for the bundling shell (bash): single quotes, with any single quote escaped. */
function shellQuote(path: string): string {
  return `'${path.replaceAll("'", `'\\''`)}'`;
}

/** The NodejsFunction hook copying a staged topology file into the asset: a short command whatever the topology's size. */
export function copyTopologyHooks(stagedPath: string): nodejs.ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => [
      `cp ${shellQuote(stagedPath)} ${shellQuote(join(outputDir, TOPOLOGY_FILE))}`,
    ],
  };
}
