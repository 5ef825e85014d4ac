// The drill's full run (slow lane): every scenario of the loopback world, end to end, as `npm start`
// runs it; the single-scenario and refusal cases are in drill.command.test.ts (fast lane).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DrillReport } from '../../lambdas/drill/drill-report';
import { runCliCaptured } from '../cli/capture-io';
import { useTempDir } from '../cli/cli-files';

const temp = useTempDir();

/** Sockets and listeners this process holds (TCP servers and sockets, UDP sockets). */
function openSockets(): number {
  return process
    .getActiveResourcesInfo()
    .filter((r) => /^(TCPServerWrap|TCPSocketWrap|TCPWRAP|UDPWrap|UDPWRAP)$/i.test(r)).length;
}

describe('failover-guard drill', () => {
  it('runs every scenario, meets every expectation, exits 0 and leaves no socket behind', {
    timeout: 90_000,
  }, async () => {
    // Prepare
    const socketsBefore = openSockets();
    const jsonPath = `${temp.dir}/full.json`;
    // Act
    const run = await runCliCaptured('drill', '--speed', '5', '--json', jsonPath);
    // Assess
    const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as DrillReport;
    expect(report.results.filter((r) => !r.passed)).toEqual([]);
    expect([...new Set(report.results.map((r) => r.scenario))]).toEqual([
      'discover',
      'server-down',
      'lb-down',
      'all-servers-down',
      'primary-db-down',
      'replica-lagging',
      'checker-black-holed',
      'region-dark',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/expectations met in .* \(speed 5\): PASS/);
    await new Promise((resolve) => setTimeout(resolve, 50)); // closed handles leave the list on the next turn of the event loop
    expect(openSockets()).toBe(socketsBefore);
  });
});
