// Output files named on the command line: checked before any work starts (a 40 s drill must not end
// in ENOENT), written with errors that say which path and why.
import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EnvironmentError, InputError } from '../contracts/command-io';

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
}

/** Throws InputError (exit 2) unless `path` can be written: not a directory, its folder exists and is writable. */
export async function assertWritableOutput(path: string, option: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new InputError(`${option} "${path}" is a directory; name a file inside it`);
  const folder = dirname(path);
  try {
    await access(folder, constants.W_OK);
  } catch (cause) {
    const why = errnoCode(cause) === 'ENOENT' ? 'the folder does not exist' : 'the folder is not writable';
    throw new InputError(`${option} "${path}" cannot be written: ${why} (${folder})`, { cause });
  }
}

/** Writes `text` to `path`; a failure is the environment's (exit 3) and names the path. */
export async function writeOutputFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, 'utf8');
  } catch (cause) {
    throw new EnvironmentError(`cannot write "${path}" (${errnoCode(cause)})`, { cause });
  }
}
