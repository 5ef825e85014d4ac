import { describe, expect, it } from 'vitest';
import { readTopologyFile } from '../../lambdas/adapters/topology-file';
import { blackHoledProbe } from '../../lambdas/drill/checker-loop';
import { defaultDrillTopologyPath } from '../../lambdas/drill/drill-topology';
import { probeTargets } from '../../lambdas/domain/config/targets';

describe('a black-holed checker', () => {
  it('sees every endpoint and DNS record time out after the probe timeout', async () => {
    // Prepare
    const topology = await readTopologyFile(defaultDrillTopologyPath);
    const fast = { ...topology, checks: { ...topology.checks, timeoutMs: 50 } };
    // Act
    const observations = await blackHoledProbe(fast, 'eu-central-1', new AbortController().signal);
    // Assess
    expect(observations).toHaveLength(probeTargets(topology).length + topology.dns.length);
    expect(observations.every((o) => !o.ok && o.checker === 'eu-central-1')).toBe(true);
    expect(new Set(observations.map((o) => o.error))).toEqual(new Set(['ETIMEDOUT', 'DNS_TIMEOUT']));
  });

  it('gives up waiting at once when the checker is closed', async () => {
    // Prepare
    const topology = await readTopologyFile(defaultDrillTopologyPath);
    const slow = { ...topology, checks: { ...topology.checks, timeoutMs: 60_000 } };
    const abort = new AbortController();
    // Act
    const pending = blackHoledProbe(slow, 'eu-central-1', abort.signal);
    abort.abort();
    const observations = await pending;
    // Assess
    expect(observations.length).toBeGreaterThan(0);
  });
});
