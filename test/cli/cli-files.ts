// Temporary config files for CLI tests, removed after each test file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh temporary directory for this test file; `write(name, value)` returns the path. */
export function useTempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'failover-guard-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name: string, value: unknown): string {
      const path = join(dir, name);
      writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
      return path;
    },
  };
}
