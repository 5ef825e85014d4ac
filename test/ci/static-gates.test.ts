// CI's static gates fail on each kind of breakage, naming the file and the rule: a type error (tsc
// with our tsconfig), a lint error and an unformatted file (biome ci with our biome.json), a
// wrong-way import (dependency-cruiser with our layer rules). Each tool runs on a scratch tree laid
// out like the repository, so the real tree is never touched; and .ci/run runs those tools through
// the npm scripts, before the tests.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (tool: string) => join(repo, 'node_modules', '.bin', tool);

interface ToolRun {
  readonly exitCode: number;
  readonly output: string;
}

function run(tool: string, args: readonly string[], cwd: string): Promise<ToolRun> {
  return new Promise((done) => {
    execFile(bin(tool), args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
      done({ exitCode: code, output: `${stdout}${stderr}` });
    });
  });
}

let scratch: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'static-gates-'));
  copyFileSync(join(repo, 'biome.json'), join(scratch, 'biome.json'));
  copyFileSync(join(repo, '.gitignore'), join(scratch, '.gitignore'));
  // Our compiler options; @types from the repository, since the scratch tree has no node_modules.
  write(
    'tsconfig.json',
    JSON.stringify({
      extends: join(repo, 'tsconfig.json'),
      compilerOptions: { typeRoots: [join(repo, 'node_modules', '@types')] },
      include: ['lambdas/**/*.ts'],
    }),
  );
  write('lambdas/domain/type-error.ts', "export const retries: number = 'three';\n");
  write('lambdas/domain/lint-error.ts', 'export function pause(): void {\n  debugger;\n}\n');
  write('lambdas/domain/unformatted.ts', 'export const   spaced   =  1;\n');
  write('lambdas/adapters/memory/fake-store.ts', 'export const fakeStore = new Map<string, string>();\n');
  write(
    'lambdas/engine/wrong-way.ts',
    "import { fakeStore } from '../adapters/memory/fake-store';\n\nexport const size = (): number => fakeStore.size;\n",
  );
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('CI static gates', () => {
  it('runs type-check and lint before the tests, and stops at the first that fails', () => {
    const ci = readFileSync(join(repo, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^set -euo pipefail$/m);
    const steps = ['npm run typecheck', 'npm run lint', 'npm test'].map((step) => ci.indexOf(`\n${step}`));
    expect(steps.every((at) => at > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    const scripts = (
      JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts.typecheck).toBe('tsc --noEmit');
    expect(scripts.lint).toContain('biome ci --colors=off --diagnostic-level=error --max-diagnostics=none .');
    expect(scripts.lint).toContain('depcruise --config .dependency-cruiser.cjs lambdas lib bin');
    expect(scripts.lint).toMatch(/&& knip$/);
  });

  it('tsc fails on a type error, naming the file and the error code', async () => {
    const { exitCode, output } = await run('tsc', ['--noEmit', '-p', 'tsconfig.json'], scratch);
    expect(exitCode).not.toBe(0);
    expect(output).toContain('lambdas/domain/type-error.ts(1,14): error TS2322');
  });

  it('biome ci fails on a lint error and on an unformatted file, naming each file and rule', async () => {
    const { exitCode, output } = await run(
      'biome',
      ['ci', '--colors=off', '--diagnostic-level=error', '--max-diagnostics=none', 'lambdas'],
      scratch,
    );
    expect(exitCode).not.toBe(0);
    expect(output).toMatch(/lambdas\/domain\/lint-error\.ts:2:3 lint\/suspicious\/noDebugger/);
    expect(output).toMatch(/lambdas\/domain\/unformatted\.ts format/);
    // The well-formed files pass: only the two broken ones are named.
    expect(output).not.toMatch(/lambdas\/engine\/wrong-way\.ts/);
  });

  it('dependency-cruiser fails on an engine module importing an adapter, naming the edge and the rule', async () => {
    const { exitCode, output } = await run(
      'depcruise',
      ['--config', join(repo, '.dependency-cruiser.cjs'), 'lambdas'],
      scratch,
    );
    expect(exitCode).not.toBe(0);
    expect(output).toContain(
      'engine-never-on-adapters: lambdas/engine/wrong-way.ts → lambdas/adapters/memory/fake-store.ts',
    );
  });
});
