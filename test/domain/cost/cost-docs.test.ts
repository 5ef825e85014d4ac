// docs/cost.md shows the cost command's real output: its example is run here, and its table is
// recomputed from the same topologies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { estimateCost } from '../../../lambdas/domain/cost/cost-estimate';
import { runCliCaptured } from '../../cli/capture-io';
import { costTopologyInput } from './cost-topology';

const doc = readFileSync(new URL('../../../docs/cost.md', import.meta.url), 'utf8');
const COMMAND = 'npx --no-install failover-guard cost examples/two-region.json --schedule tick';

describe('docs/cost.md', () => {
  it('shows the output of the command it shows', async () => {
    // Prepare
    expect(doc).toContain(COMMAND);
    // Act
    const run = await runCliCaptured(...COMMAND.split(' ').slice(3));
    // Assess
    expect(run.exitCode).toBe(0);
    expect(doc).toContain(`\`\`\`\n${run.stdout}\`\`\``);
  });

  it.each([100, 1000, 10_000])(
    'has the row of %i servers plus a 3-member database, its shards, both schedules, next to Route 53 health checks',
    (servers) => {
      const topology = parseTopology(costTopologyInput(servers));
      const [loop, tick] = [estimateCost(topology, 'loop'), estimateCost(topology, 'tick')];
      const cells = [
        loop.totalListUsd,
        loop.totalAfterFreeUsd,
        tick.totalListUsd,
        tick.totalAfterFreeUsd,
        tick.route53HealthChecksUsd,
      ].map((usd) => usd.toFixed(2));
      expect(doc).toContain(
        `| ${(servers + 3).toLocaleString('en-US')} | ${tick.usage.shards} (${tick.usage.checkerMemoryMb}) | ${cells.join(' | ')} |`,
      );
    },
  );

  it('states the target figures the command gives', () => {
    const tick = (servers: number) => estimateCost(parseTopology(costTopologyInput(servers)), 'tick').totalListUsd;
    expect(doc).toContain(`costs **$${tick(100).toFixed(2)} — the ≤ $6 target is met**`);
    const perThousand = ((tick(10_000) - tick(1000)) / 9).toFixed(2);
    // The docs say both targets are met: the model must keep them so.
    expect(tick(100)).toBeLessThanOrEqual(6);
    expect(Number(perThousand)).toBeLessThanOrEqual(3);
    expect(doc).toContain(`each further 1,000 endpoints costs **$${perThousand} — the ≤ $3 target is met**`);
    expect(doc).toContain(`10,003 endpoints $${perThousand} per 1,000`);
    expect(doc).toContain(`The first 1,000 past 103 endpoints cost more, $${(tick(1000) - tick(100)).toFixed(2)}`);
  });
});
