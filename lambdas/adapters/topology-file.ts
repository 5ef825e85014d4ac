// Reads a topology config file for a CLI command; an unreadable file says which path and why.
import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { sdkRegionCatalog } from './aws/region-catalog';
import { parseTopologyText } from '../domain/config/load';
import type { Topology } from '../domain/config/schema';
import { InputError } from '../contracts/command-io';
import { errorMessage } from '../domain/errors';

const readFailureHints: Readonly<Record<string, string>> = {
  ENOENT: 'no such file; check the path',
  EACCES: 'permission denied; check the file mode',
  EISDIR: 'it is a directory; name the JSON file inside it',
};

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'EIO';
    const hint = readFailureHints[code] ?? errorMessage(cause);
    throw new InputError(`cannot read the config "${path}" (${code}): ${hint}`, { cause });
  }
}

/** Reads and validates the topology at `path`, region names against the SDK's; throws InputError (unreadable) or ConfigError (invalid). */
export async function readTopologyFile(path: string): Promise<Topology> {
  return parseTopologyText(await readConfigText(path), path, sdkRegionCatalog);
}

/** The topology at `path` validated, and as written (parsed JSON, no defaults filled in) for edits that keep its shape. */
export async function readWrittenTopology(
  path: string,
): Promise<{ readonly topology: Topology; readonly written: Record<string, unknown> }> {
  const text = await readConfigText(path);
  const topology = parseTopologyText(text, path, sdkRegionCatalog);
  // A valid topology is a JSON object: parsed again as written, without the defaults parseTopology fills in.
  const written = z.record(z.string(), z.unknown()).parse(JSON.parse(text.replace(/^\uFEFF/, '')));
  return { topology, written };
}
