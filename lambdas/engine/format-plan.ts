// A plan as a person reads it, like a diff: "-" an answer leaves DNS, "+" one comes back,
// "~" something changes in place, "!" a database step, "ALERT" what the guard will not do.
import type { DnsAction, Plan, PlannedAction } from './types';

const pad = (text: string, width: number) => (text.length >= width ? `${text} ` : text.padEnd(width));

function dnsLine(action: DnsAction): string {
  const { before, after } = action;
  const set = before ?? after;
  const name = set ? `${set.name} ${set.type}` : action.resource;
  const why = `(${action.reason})`;
  if (action.edit.shape === 'ip-set') {
    const sign = action.edit.op === 'remove' ? '-' : '+';
    return `${sign} ${pad(`${name} ${action.edit.values.join(' ')}`, 44)} ${why}`;
  }
  const id = `[${action.edit.op === 'create' ? action.edit.recordSet.setIdentifier : action.edit.setIdentifier}]`;
  if (action.edit.op === 'weight')
    return `~ ${pad(`${name} ${id} weight ${before?.weight ?? '?'} -> ${action.edit.weight}`, 44)} ${why}`;
  const values = (set?.values.length ? set.values : [set?.aliasTarget?.dnsName ?? '']).join(' ');
  return `${action.edit.op === 'delete' ? '-' : '+'} ${pad(`${name} ${id} ${values}`, 44)} ${why}`;
}

function formatAction(action: PlannedAction): string {
  switch (action.kind) {
    case 'dns.pull':
    case 'dns.restore':
      return dnsLine(action);
    case 'database.promote':
      return `! database ${action.databaseId}: promote ${action.candidate} (was ${action.oldPrimary}; ${action.method})   (${action.reason})`;
    case 'database.repoint-writer':
      return `! database ${action.databaseId}: writer -> ${action.host}, fence ${action.oldPrimary}, ${action.redundancy.replicas.length} replica(s) of ${action.newPrimary} left   (${action.reason})`;
    case 'database.abandon':
      return `! database ${action.databaseId}: give up runbook ${action.runbookId}   (${action.reason})`;
    case 'database.fence':
      return `! database ${action.databaseId}: ${action.step === 'confirm' ? 'fence confirmed on' : `fence (${action.mode})`} ${action.member}   (${action.reason})`;
    case 'dns.attach-health-check':
      return `~ ${pad(`${action.before.name} ${action.before.type} [${action.setIdentifier}] health check -> ${action.healthCheckId}`, 44)} (${action.reason})`;
    case 'load-balancer.targets-unhealthy':
    case 'load-balancer.targets-recovered':
    case 'readiness.lost':
    case 'readiness.restored':
      return `* ${action.resource}: ${action.reason}`;
    default:
      return `! ${action.kind} ${action.resource}   (${action.reason})`;
  }
}

export function formatPlan(plan: Plan): string {
  const header = `Plan ${plan.id} by checker ${plan.checker} at ${plan.createdAt}${plan.dryRun ? ' (dry run)' : ''}`;
  const lines = [header];
  if (plan.actions.length === 0) lines.push('  no changes: every record and database is as it should be');
  lines.push(...plan.actions.map(formatAction));
  lines.push(...plan.notes.map((n) => `  ${n}`));
  lines.push(...plan.alerts.map((a) => `ALERT ${a.severity} ${a.resource}: ${a.reason}`));
  return `${lines.join('\n')}\n`;
}
