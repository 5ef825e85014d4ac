import { describe, expect, it } from 'vitest';
import { exampleTopology, exampleTopologyPath } from '../domain/config/example-topology';
import { runCliCaptured } from './capture-io';
import { useTempDir } from './cli-files';

const files = useTempDir();

describe('failover-guard cost', () => {
  it("uses the topology's schedule unless --schedule says otherwise", async () => {
    // Act
    const asConfigured = await runCliCaptured('cost', exampleTopologyPath);
    const tick = await runCliCaptured('cost', exampleTopologyPath, '--schedule', 'tick');
    // Assess
    expect(asConfigured.exitCode).toBe(0);
    expect(asConfigured.stdout).toContain('schedule loop:');
    expect(tick.stdout).toContain('schedule tick:');
    expect(tick.stdout).toMatch(/^SQS requests\s+1,489,200 requests\s+0\.60\s+0\.20$/m);
  });

  it('prints the estimate as JSON with --json', async () => {
    // Act
    const run = await runCliCaptured('cost', exampleTopologyPath, '--schedule', 'tick', '--json');
    // Assess
    const estimate = JSON.parse(run.stdout) as { schedule: string; lines: { item: string }[]; totalListUsd: number };
    expect(estimate.schedule).toBe('tick');
    expect(estimate.lines).toHaveLength(17);
    expect(estimate.lines.map((l) => l.item)).toContain('CloudWatch API requests');
    expect(estimate.totalListUsd).toBeGreaterThan(0);
  });

  it('exits 2 on an unknown schedule, naming the choices', async () => {
    // Act
    const run = await runCliCaptured('cost', exampleTopologyPath, '--schedule', 'hourly');
    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("argument 'hourly' is invalid. Allowed choices are loop, tick.");
  });

  it('exits 2 on an invalid config, naming the path and the problem', async () => {
    // Prepare
    const topology = exampleTopology();
    topology.checks = { intervalSeconds: 0 };
    // Act
    const run = await runCliCaptured('cost', files.write('bad.json', topology));
    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('checks.intervalSeconds');
  });
});
