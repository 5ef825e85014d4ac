// `failover-guard audit <config> [--json]`: the topology's single points of failure, with fixes.
import type { Command } from 'commander';
import { auditTopology, type AuditFinding } from '../../domain/audit/spof-audit';
import { ExitCode, type CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';

/** A table of severity, code and resource, each row followed by its problem and fix. */
export function formatFindings(findings: readonly AuditFinding[]): string {
  if (findings.length === 0) return 'no single points of failure found\n';
  const codeWidth = Math.max(4, ...findings.map((f) => f.code.length));
  const row = (severity: string, code: string, resource: string) =>
    `${severity.padEnd(8)} ${code.padEnd(codeWidth)}  ${resource}`;
  const lines = [row('SEVERITY', 'CODE', 'RESOURCE')];
  for (const f of findings) {
    lines.push(
      row(f.severity.toUpperCase(), f.code, f.resource),
      `         problem: ${f.problem}`,
      `         fix:     ${f.fix}`,
    );
  }
  const count = (severity: AuditFinding['severity']) => findings.filter((f) => f.severity === severity).length;
  lines.push(
    '',
    `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${count('high')} high, ${count('medium')} medium, ${count('low')} low`,
  );
  return `${lines.join('\n')}\n`;
}

export function registerAuditCommand(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description('list the single points of failure in a topology, with severity and the fix')
    .argument('<config>', 'topology config (JSON)')
    .option('--json', 'print the findings as a JSON array (code, severity, resource, problem, fix)')
    .addHelpText(
      'after',
      [
        '',
        'Exits 1 when any finding has high severity, 0 otherwise, 2 when the config is invalid.',
        '',
        'Examples:',
        '  $ failover-guard audit examples/two-region.json',
        '  $ failover-guard audit topology.json --json | jq \'.[] | select(.severity == "high")\'',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, options: { json?: boolean }) => {
      const findings = auditTopology(await readTopologyFile(configPath));
      io.stdout(options.json ? `${JSON.stringify(findings, null, 2)}\n` : formatFindings(findings));
      io.setExitCode(findings.some((f) => f.severity === 'high') ? ExitCode.FAILED : ExitCode.OK);
    });
}
