// The topology the functions guard, shipped as a file in the function's asset (topology.json next
// to index.js): no command line or environment variable carries it, so its size has no small limit.
// `cdk synth` validated it (parseTopology) and wrote it with the SHA-256 of its text; a cold start
// reads it, checks the envelope and the digest (no zod in the bundle), and fails naming the fix.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from '../domain/config/schema';
import { errorMessage } from '../domain/errors';

/** The file's name inside the function's asset. */
export const TOPOLOGY_FILE = 'topology.json';
const KIND = 'failover-guard-topology';
const VERSION = 1;

interface TopologyEnvelope {
  readonly kind: typeof KIND;
  readonly version: typeof VERSION;
  /** SHA-256 (hex) of JSON.stringify(topology). */
  readonly sha256: string;
  readonly topology: Topology;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The file's text for a topology parseTopology accepted (defaults applied). */
export function topologyFileText(topology: Topology): string {
  const text = JSON.stringify(topology);
  // Built by hand so the topology's text (1 MB and more) is not stringified twice.
  return `{"kind":"${KIND}","version":${VERSION},"sha256":"${digest(text)}","topology":${text}}`;
}

const redeploy =
  'Deploy the function with the FailoverGuard construct (cdk deploy), which validates the topology and writes this file into the asset.';

/** The topology in a file's text; throws naming `source` and what is wrong with it. */
export function parseTopologyFile(text: string, source: string): Topology {
  let envelope: Partial<TopologyEnvelope>;
  try {
    envelope = JSON.parse(text) as Partial<TopologyEnvelope>;
  } catch (cause) {
    throw new Error(`The topology file ${source} is not JSON (${errorMessage(cause)}). ${redeploy}`, { cause });
  }
  if (
    envelope?.kind !== KIND ||
    envelope.version !== VERSION ||
    typeof envelope.sha256 !== 'string' ||
    typeof envelope.topology !== 'object'
  ) {
    throw new Error(
      `The topology file ${source} is not a version ${VERSION} ${KIND} file (kind, version, sha256 and topology expected). ${redeploy}`,
    );
  }
  if (digest(JSON.stringify(envelope.topology)) !== envelope.sha256) {
    throw new Error(
      `The topology file ${source} does not match the SHA-256 cdk synth wrote: it was changed or truncated after validation. ${redeploy}`,
    );
  }
  return envelope.topology;
}

/** Reads the topology of this function: `<LAMBDA_TASK_ROOT>/topology.json`, where Lambda unpacked the asset. */
export function bundledTopology(env: NodeJS.ProcessEnv = process.env): Topology {
  const root = env.LAMBDA_TASK_ROOT;
  if (!root)
    throw new Error(
      `LAMBDA_TASK_ROOT is not set, so the function cannot find its ${TOPOLOGY_FILE}: it runs only in Lambda (or with LAMBDA_TASK_ROOT naming the unpacked asset).`,
    );
  const path = join(root, TOPOLOGY_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'EIO';
    throw new Error(`No topology file at ${path} (${code}). ${redeploy}`, { cause });
  }
  return parseTopologyFile(text, path);
}
