import { describe, expect, it } from 'vitest';
import { exampleTopology, exampleTopologyPath } from '../domain/config/example-topology';
import { runCliCaptured } from './capture-io';
import { useTempDir } from './cli-files';

const files = useTempDir();

/** The example with one DNS record cut to a single target and a slow TTL: one high, one low finding. */
function singleTargetTopologyPath(): string {
  const topology = exampleTopology();
  topology.dns[0].targets = [{ endpoint: 'nlb-dub-1' }];
  topology.dns[1].ttl = 100;
  return files.write('single-target.json', topology);
}

describe('failover-guard audit', () => {
  it('says so and exits 0 when there is no single point of failure', async () => {
    // Act
    const run = await runCliCaptured('audit', exampleTopologyPath);
    // Assess
    expect(run).toEqual({ stdout: 'no single points of failure found\n', stderr: '', exitCode: 0 });
  });

  it('prints a table of findings with problem and fix, and exits 1 on a high-severity one', async () => {
    // Act
    const run = await runCliCaptured('audit', singleTargetTopologyPath());
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      'SEVERITY CODE                      RESOURCE',
      'HIGH     RECORD_SINGLE_TARGET      dns:www',
      '         problem: www.shop.example.com has one target (nlb-dub-1); when it fails there is nothing to fail over to',
      '         fix:     add a second target (another load balancer or server, in another availability zone or region) to dns "www"',
      'HIGH     RECORD_NO_STANDBY_TARGET  dns:www',
      "         problem: www.shop.example.com is active-passive but has no target in a standby region (eu-central-1); a region failover cannot move it, so it keeps answering with the dark region's targets",
      '         fix:     add targets in eu-central-1 to dns "www" (or make it active-active if it is not to move)',
      'LOW      DNS_SLOW_FAILOVER         dns:origin',
      '         problem: clients may reach a dead target of origin.shop.example.com for up to 2 min 10 s: detection 10 s × 3 = 30 s, then TTL 100 s in resolver caches',
      '         fix:     lower dns "origin" ttl to 60 or less (and/or the check interval or failureThreshold) so the worst case stays within 120 s',
      '',
      '3 findings: 2 high, 0 medium, 1 low',
      '',
    ]);
  });

  it('exits 0 when the findings are medium or low only', async () => {
    // Prepare
    const topology = exampleTopology();
    topology.regionFailover.mode = 'off';
    // Act
    const run = await runCliCaptured('audit', files.write('failover-off.json', topology));
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('MEDIUM   REGION_FAILOVER_OFF  regionFailover.mode');
  });

  it('prints the findings as a JSON array with --json', async () => {
    // Act
    const run = await runCliCaptured('audit', singleTargetTopologyPath(), '--json');
    // Assess
    const findings = JSON.parse(run.stdout);
    expect(findings.map((f: { code: string; severity: string }) => `${f.severity} ${f.code}`)).toEqual([
      'high RECORD_SINGLE_TARGET',
      'high RECORD_NO_STANDBY_TARGET',
      'low DNS_SLOW_FAILOVER',
    ]);
    expect(Object.keys(findings[0]).sort()).toEqual(['code', 'fix', 'problem', 'resource', 'severity']);
    expect(run.exitCode).toBe(1);
  });

  it('exits 2 on an invalid config, before auditing', async () => {
    // Prepare
    const topology = exampleTopology();
    topology.checks.failureThreshold = 0;
    const path = files.write('invalid.json', topology);
    // Act
    const run = await runCliCaptured('audit', path);
    // Assess
    expect(run).toEqual({
      stdout: '',
      stderr: `error: ${path} is not a valid topology (1 problem):\n  checks.failureThreshold: 0 is too small: must be at least 1\n`,
      exitCode: 2,
    });
  });
});
