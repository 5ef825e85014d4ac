// The readiness table `failover-guard readiness` prints: one line per check, the fix under each
// check that fails, and a verdict line.
import type { ReadinessRow } from '../../domain/readiness/readiness-report';

export function formatReadiness(rows: readonly ReadinessRow[]): string {
  const ruleWidth = Math.max(4, ...rows.map((r) => r.rule.length));
  const resourceWidth = Math.max(8, ...rows.map((r) => r.resource.length));
  const line = (rule: string, resource: string, ready: string, why: string) =>
    `${rule.padEnd(ruleWidth)}  ${resource.padEnd(resourceWidth)}  ${ready.padEnd(5)}  ${why}`.trimEnd();
  const lines = [line('RULE', 'RESOURCE', 'READY', 'WHY')];
  for (const row of rows) {
    lines.push(line(row.rule, row.resource, row.ready ? 'yes' : 'NO', row.why));
    if (!row.ready && row.fix) lines.push(`${' '.repeat(ruleWidth + resourceWidth + 11)}fix: ${row.fix}`);
  }
  const failing = rows.filter((r) => !r.ready).length;
  lines.push(
    failing === 0
      ? `ready: all ${rows.length} checks pass`
      : `NOT READY: ${failing} of ${rows.length} checks fail; a failover now may not succeed`,
  );
  return `${lines.join('\n')}\n`;
}
