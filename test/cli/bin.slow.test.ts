// bin/failover-guard.mjs as a process (slow lane: each case starts node and tsx): it runs the
// TypeScript CLI from the checkout, passes the exit code on, and ends quietly when its reader goes away.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('bin/failover-guard.mjs', () => {
  it('runs the TypeScript CLI from the checkout (npx failover-guard …) and passes the exit code on', async () => {
    // Act
    const run = await promisify(execFile)(
      process.execPath,
      ['bin/failover-guard.mjs', 'validate', 'examples/two-region.json'],
      { cwd: repoRoot },
    );
    const failed = await promisify(execFile)(process.execPath, ['bin/failover-guard.mjs', 'validate', 'no-such.json'], {
      cwd: repoRoot,
    }).catch((error: { code: number; stderr: string }) => error);
    // Assess
    expect(run.stdout).toMatch(/^ok: 4 servers/);
    expect(failed).toMatchObject({
      code: 2,
      stderr: 'error: cannot read the config "no-such.json" (ENOENT): no such file; check the path\n',
    });
  });

  it('ends quietly with its exit code when the reader of its output goes away (| head -1)', async () => {
    // Prepare: the read end is closed before the CLI writes anything, so its first write meets EPIPE
    const child = spawn(process.execPath, ['bin/failover-guard.mjs', 'schema'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // Act
    const [code] = await once(child, 'exit');
    // Assess
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
