// Observe: probe every endpoint (of this shard, when the region is sharded), fold the observations
// into this checker's health, and save the view when it changed, or only its small heartbeat item
// when the heartbeat is due. Logs each state change and one summary, never every probe.
import { ownedBy, SINGLE_SHARD, type ShardRef } from '../domain/config/shards';
import { probeTargets } from '../domain/config/targets';
import { advanceAll } from '../domain/health/state-machine';
import type { CheckerView, HealthTransition, TargetHealth, Thresholds } from '../domain/health/types';
import type { Topology } from '../domain/config/schema';
import type { Observation } from '../domain/observation';
import { StateConflictError } from '../ports/errors';
import {
  heartbeatRefreshSeconds,
  heartbeatTime,
  heldView,
  holdView,
  readAllViews,
  readHeldView,
  releaseView,
  sameHealth,
  saveHeartbeat,
  saveView,
  viewName,
  VIEW_NAMESPACE,
  type HeldView,
} from './state/views';
import type { GuardContext, ObserveResult } from './types';

/** Thresholds per probed target id; DNS observations (`<record>@<ns>`) use the topology's defaults. */
function thresholdsLookup(topology: Topology): (targetId: string) => Thresholds {
  const byId = new Map(probeTargets(topology).map((t) => [t.id, t.checks] as const));
  return (targetId) => byId.get(targetId) ?? topology.checks;
}

type Saved = {
  readonly view: CheckerView;
  readonly transitions: HealthTransition[];
  readonly written: 'written' | 'heartbeat' | 'unchanged' | 'conflict';
};

/**
 * The health this shard starts the cycle from: its stored view's, only the targets it owns now,
 * and for an owned target it has no state for (re-sharding moved it here) the last state another
 * view of this region holds, so its hysteresis carries over.
 */
async function shardBase(
  ctx: GuardContext,
  shard: ShardRef,
  base: CheckerView | undefined,
  observations: readonly Observation[],
): Promise<Record<string, TargetHealth>> {
  const owns = ownedBy(shard);
  const health = Object.fromEntries(Object.entries(base?.health ?? {}).filter(([id]) => owns(id)));
  const missing = observations.filter((o) => health[o.targetId] === undefined).map((o) => o.targetId);
  if (shard.count <= 1 || missing.length === 0) return health;
  const own = viewName(ctx.checker, shard);
  // Any other view of this region: another shard's, or one of an earlier sharding (another count).
  const others = (await readAllViews(ctx.ports.store)).filter(
    (v) => v.checker === ctx.checker && viewName(v.checker, v.shard) !== own,
  );
  for (const id of missing) {
    const previous = others.find((v) => v.health[id] !== undefined)?.health[id];
    if (previous) health[id] = previous;
  }
  return health;
}

/**
 * Folds the observations into `base` and writes the view when its health changed, or its heartbeat
 * item when the heartbeat is due; otherwise writes nothing.
 */
async function foldAndSave(
  ctx: GuardContext,
  base: HeldView,
  observations: readonly Observation[],
  beforeSave?: ObserveOptions['beforeSave'],
): Promise<Saved> {
  const store = ctx.ports.store;
  const shard = ctx.shard ?? SINGLE_SHARD;
  const name = viewName(ctx.checker, shard);
  const { health, transitions } = advanceAll(
    await shardBase(ctx, shard, base.view?.value, observations),
    observations,
    thresholdsLookup(ctx.topology),
  );
  const now = ctx.now();
  beforeSave?.({ checker: ctx.checker, at: now.toISOString(), health }, observations);
  const refreshMs = heartbeatRefreshSeconds(ctx.topology.guard.heartbeatStaleSeconds) * 1000;
  const shardField = shard.count > 1 ? { shard: { index: shard.index, count: shard.count } } : {};
  const stored = base.view;
  const attempt = async (written: Saved['written'], view: CheckerView, write: () => Promise<HeldView>) => {
    try {
      holdView(store, name, await write());
      return { view, transitions, written };
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      releaseView(store, name);
      ctx.log?.({ event: 'view.write-skipped', checker: ctx.checker, view: name, reason: error.message });
      return { view, transitions, written: 'conflict' as const };
    }
  };
  if (stored && sameHealth(stored.value.health, health)) {
    const view: CheckerView = { checker: ctx.checker, at: stored.value.at, health, ...shardField };
    // Nothing to tell while the heartbeat is fresh; then only the heartbeat item says the view still stands.
    if (now.getTime() - Date.parse(heartbeatTime(stored, base.beat.value)) < refreshMs) {
      holdView(store, name, base);
      return { view, transitions, written: 'unchanged' };
    }
    const vouchesFor = { at: stored.value.at, version: stored.version };
    return attempt('heartbeat', view, async () => ({
      view: stored,
      beat: await saveHeartbeat(store, { view: name, at: now.toISOString(), vouchesFor }, base.beat.version),
    }));
  }
  const view: CheckerView = { checker: ctx.checker, at: now.toISOString(), health, ...shardField };
  const expected = stored?.version ?? 0;
  return attempt('written', view, async () => {
    // The heartbeat item first: another invocation of this shard that still holds the old view loses its
    // next heartbeat's compare-and-swap and re-reads, instead of vouching for a view that was replaced.
    const vouchesFor = { at: view.at, version: expected + 1 };
    const beat = await saveHeartbeat(store, { view: name, at: view.at, vouchesFor }, base.beat.version);
    const version = await saveView(store, view, expected);
    return { view: { namespace: VIEW_NAMESPACE, name, value: view, version }, beat };
  });
}

export interface ObserveOptions {
  /** Observations already made this cycle. @default - probe now */
  readonly observations?: readonly Observation[];
  /**
   * Called once the observations are folded into this checker's health, before the view is written:
   * the health signal goes out before any further cloud call (only a cold start reads its view first).
   */
  readonly beforeSave?: (view: CheckerView, observations: readonly Observation[]) => void;
}

export async function observe(ctx: GuardContext, options: ObserveOptions = {}): Promise<ObserveResult> {
  const owns = ownedBy(ctx.shard ?? SINGLE_SHARD);
  // The probe skips what other shards probe; observations of a probe that ignores `only` are filtered here.
  const observations = (options.observations ?? (await ctx.probe(ctx.topology, owns))).filter((o) => owns(o.targetId));
  const store = ctx.ports.store;
  const name = viewName(ctx.checker, ctx.shard);
  const held = heldView(store, name);
  let saved = await foldAndSave(ctx, held ?? (await readHeldView(store, name)), observations, options.beforeSave);
  // The view this process held was stale (another invocation of this checker wrote since): fold into theirs.
  // When a freshly read view loses too, the overlapping invocation's heartbeat counts and ours is dropped.
  if (saved.written === 'conflict' && held)
    saved = await foldAndSave(ctx, await readHeldView(store, name), observations);
  const { view, transitions } = saved;
  for (const t of transitions) {
    const last = t.evidence.at(-1);
    ctx.log?.({
      event: 'health.transition',
      checker: ctx.checker,
      targetId: t.targetId,
      from: t.from,
      to: t.to,
      at: t.at,
      error: last?.error,
      detail: last?.detail,
    });
  }
  const failed = observations.filter((o) => !o.ok).length;
  ctx.log?.({
    event: 'observe.summary',
    checker: ctx.checker,
    ...(ctx.shard && ctx.shard.count > 1 && { shard: ctx.shard.index }),
    probes: observations.length,
    failed,
    transitions: transitions.length,
    view: saved.written,
  });
  return { observations, transitions, view };
}
