// How the Lambda handlers are bundled: one description shared by the CDK functions and the
// bundle-size benchmark, so the benchmark measures exactly what `cdk deploy` uploads.
import { fileURLToPath } from 'node:url';
import type { Topology } from '../lambdas/domain/config/schema';

export type HandlerName = 'checker' | 'actor';

/** The global the handlers read the topology from; esbuild replaces it with the JSON text. */
export const TOPOLOGY_DEFINE = 'FAILOVER_GUARD_TOPOLOGY';

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
 * The validated topology (defaults applied) as an esbuild `define`: frozen into the code at
 * bundle time, so no 4 KB environment limit, no SSM call at cold start, and no zod in the bundle.
 */
export function topologyDefine(topology: Topology): Record<string, string> {
  return { [TOPOLOGY_DEFINE]: JSON.stringify(JSON.stringify(topology)) };
}
