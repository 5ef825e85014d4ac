import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DrillReport } from '../../lambdas/drill/drill-report';
import { defaultDrillTopologyPath } from '../../lambdas/drill/drill-topology';
import { runCliCaptured } from '../cli/capture-io';
import { useTempDir } from '../cli/cli-files';

const temp = useTempDir();

describe('failover-guard drill', () => {
  it('runs one scenario in plain lines, prints every notification with its JSON body when verbose, and writes the JSON report', async () => {
    // Prepare
    const jsonPath = `${temp.dir}/lb-down.json`;
    // Act
    const run = await runCliCaptured('drill', '--scenario', 'lb-down', '--speed', '5', '--json', jsonPath, '--verbose');
    // Assess
    const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as DrillReport;
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toContain('\x1b[');
    expect(run.stdout).toMatch(/SNS\s+\[WARNING\] drill: pull lb-dub-1/);
    expect(run.stdout).toContain('"eventType":"dns.pull"');
    // Causal order: the action is shown before the notification it caused
    expect(run.stdout.search(/ACTION\s+dns\.pull/)).toBeGreaterThan(-1);
    expect(run.stdout.search(/ACTION\s+dns\.pull/)).toBeLessThan(
      run.stdout.search(/SNS\s+\[WARNING\] drill: pull lb-dub-1/),
    );
    expect(report.results).toEqual([
      expect.objectContaining({
        scenario: 'lb-down',
        passed: true,
        detectMs: expect.any(Number),
        actMs: expect.any(Number),
      }),
    ]);
    expect(report.notifications.some((n) => n.eventType === 'dns.pull')).toBe(true);
  });

  it('exits 1 and names the unmet expectation when the guard does not act (paused)', async () => {
    // Prepare
    const local = JSON.parse(readFileSync(defaultDrillTopologyPath, 'utf8')) as { guard: Record<string, unknown> };
    const paused = temp.write('paused.json', { ...local, $schema: undefined, guard: { ...local.guard, paused: true } });
    // Act
    const run = await runCliCaptured('drill', '--config', paused, '--scenario', 'server-down', '--speed', '5');
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/FAIL server-down: 127\.0\.1\.11 pulled from origin\.shop\.drill\.test — not within/);
  });

  it('refuses an unknown scenario, listing the known ones, with exit code 2', async () => {
    // Act
    const run = await runCliCaptured('drill', '--scenario', 'meteor-strike');
    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      '"meteor-strike" is not a scenario; choose one of: discover, server-down, lb-down, all-servers-down, primary-db-down, replica-lagging, checker-black-holed, region-dark',
    );
  });

  it('refuses a topology that is not on loopback before running anything, naming each endpoint, with exit code 2', async () => {
    const run = await runCliCaptured('drill', '--config', 'examples/two-region.json');
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      '  endpoint web-dub-a: is at 10.10.1.11; the drill runs only on loopback: give it a 127.x.y.z address\n',
    );
  });

  it('refuses a --json path that cannot be written before running anything, with exit code 2', async () => {
    const run = await runCliCaptured('drill', '--json', `${temp.dir}/no-such-folder/report.json`);
    expect(run).toEqual({
      stdout: '',
      stderr: `error: --json "${temp.dir}/no-such-folder/report.json" cannot be written: the folder does not exist (${temp.dir}/no-such-folder)\n`,
      exitCode: 2,
    });
  });

  it('lists the scenarios in --help', async () => {
    // Act
    const run = await runCliCaptured('drill', '--help');
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/checker-black-holed\s+cut one checker off/);
  });
});
