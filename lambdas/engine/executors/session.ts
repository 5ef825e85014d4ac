// What every action handler gets while a plan executes: the context, the plan, the latest guard
// state (kept current as handlers change it), and the safety rails that may hold an action.
import type { RecordSet } from '../../ports/dns.port';
import type { GuardState } from '../state/guard-state';
import { ROUTE53_SYNC_SECONDS, updateGuardState } from '../state/guard-state';
import type { ActionOutcome, EngineOptions, GuardContext, Plan, PlannedAction } from '../types';

export interface ExecutionSession {
  readonly ctx: GuardContext;
  readonly plan: Plan;
  readonly options: Required<EngineOptions>;
  readonly dryRun: boolean;
  readonly paused: boolean;
  /** The guard state as last read or written by this execution. */
  guard: GuardState;
}

export function sessionTime(session: ExecutionSession): string {
  return session.ctx.now().toISOString();
}

/** Read-modify-write of the guard state that keeps the session's copy current. */
export async function updateSessionGuard(
  session: ExecutionSession,
  mutate: (state: GuardState) => GuardState,
): Promise<GuardState> {
  session.guard = await updateGuardState(session.ctx.ports.store, mutate);
  return session.guard;
}

/** What a handler reports; failures are thrown (CloudCallError, DnsConflictError, …). */
export interface HandlerResult {
  readonly outcome: Exclude<ActionOutcome, 'failed'>;
  readonly detail: string;
  /** Extra fields for the notification and audit entry (e.g. replicas left). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Another checker did it and told it first: audited, not published again. */
  readonly superseded?: boolean;
}

/** The `never` arm of a switch over action kinds: a kind added to the union without a handler fails to compile. */
export function unhandledAction(actionOrKind: never): never {
  throw new Error(`no handler for action ${JSON.stringify(actionOrKind)}`);
}

export type ActionHandler<A extends PlannedAction = PlannedAction> = (
  session: ExecutionSession,
  action: A,
) => Promise<HandlerResult>;

/** True for actions that change nothing in the cloud (reports, notices): pause and dry-run do not hold them. */
function isReportOnly(action: PlannedAction): boolean {
  if (action.kind.startsWith('load-balancer.') || action.kind.startsWith('readiness.')) return true;
  // Recording that RDS shows a fence in effect changes nothing in the cloud.
  if (action.kind === 'database.fence' && action.step === 'confirm') return true;
  return 'reportOnly' in action && action.reportOnly === true;
}

function changesDns(action: PlannedAction): boolean {
  if (action.kind === 'dns.pull' || action.kind === 'dns.restore' || action.kind === 'dns.attach-health-check')
    return true;
  return 'changesDns' in action && action.changesDns === true;
}

function dnsChangesInWindow(session: ExecutionSession): string[] {
  const windowMs = session.ctx.topology.guard.maxDnsChanges.windowSeconds * 1000;
  const now = session.ctx.now().getTime();
  return session.guard.dnsChanges.filter((at) => now - Date.parse(at) < windowMs);
}

/**
 * The rail that holds an action, if any: dry-run → planned; pause, cooldown (never for urgent
 * actions), DNS rate cap (never for urgent actions) → skipped. Undefined: go ahead.
 */
export function railFor(session: ExecutionSession, action: PlannedAction): HandlerResult | undefined {
  if (isReportOnly(action)) return undefined;
  if (session.dryRun) return { outcome: 'planned', detail: 'dry run: planned, not applied' };
  if (session.paused)
    return {
      outcome: 'skipped',
      detail: 'guard is paused (guard.paused in the config or the pause switch): no action taken',
    };
  if (action.urgent) return undefined;
  const last = session.guard.cooldowns[action.key];
  const cooldownMs = session.ctx.topology.guard.cooldownSeconds * 1000;
  if (last && session.ctx.now().getTime() - Date.parse(last) < cooldownMs) {
    return {
      outcome: 'skipped',
      detail: `cooldown: ${action.key} was changed at ${last}; held for guard.cooldownSeconds (${cooldownMs / 1000}s)`,
    };
  }
  const cap = session.ctx.topology.guard.maxDnsChanges;
  if (changesDns(action) && dnsChangesInWindow(session).length >= cap.count) {
    return {
      outcome: 'skipped',
      detail: `DNS rate cap: ${cap.count} changes in the last ${cap.windowSeconds}s (guard.maxDnsChanges)`,
    };
  }
  return undefined;
}

/**
 * The guard state after one applied DNS change: counted in the rate-cap window, and the record as
 * the change left it, when known, remembered for ROUTE53_SYNC_SECONDS (a listing that differs meanwhile may predate it).
 */
export function withDnsChange(
  state: GuardState,
  at: string,
  windowSeconds: number,
  written?: { readonly recordId: string; readonly sets: readonly RecordSet[] },
): GuardState {
  const now = Date.parse(at);
  const recent = Object.entries(state.dnsWrites ?? {}).filter(
    ([, w]) => now - Date.parse(w.at) < ROUTE53_SYNC_SECONDS * 1000,
  );
  return {
    ...state,
    dnsChanges: [...state.dnsChanges.filter((t) => now - Date.parse(t) < windowSeconds * 1000), at],
    dnsWrites: {
      ...Object.fromEntries(recent),
      ...(written ? { [written.recordId]: { at, sets: written.sets } } : {}),
    },
  };
}

export function withCooldown(state: GuardState, key: string, at: string): GuardState {
  return { ...state, cooldowns: { ...state.cooldowns, [key]: at } };
}
