// Checker views (`view` namespace, one document per checker region, or per shard of a sharded one):
// the health of every target as one checker (shard) sees it. A view is written only when its health
// changes; between changes its heartbeat is refreshed by a small heartbeat item beside it (1 write unit
// instead of the whole view's, again in every replica) that vouches for one view write, by its `at` and
// version. The process keeps the view and heartbeat it last wrote (with their versions) so a looping
// checker does not read them back every cycle.
import type { Topology } from '../../domain/config/schema';
import { shardCount, type ShardRef } from '../../domain/config/shards';
import { mergeShardViews } from '../../domain/health/shard-views';
import type { CheckerView, TargetHealth } from '../../domain/health/types';
import type { StateStorePort, StoredDocument } from '../../ports/state-store.port';
import { checkerViewSchema, viewHeartbeatSchema } from './document-schemas';
import { checkAll, checkDocument, noteRejection, versioned } from './stored-documents';

export const VIEW_NAMESPACE = 'view';

/** The longest a checker leaves its heartbeat unwritten while nothing changes. */
export const MAX_HEARTBEAT_REFRESH_SECONDS = 60;

/** The view document's name: the checker region, or `<region>#shard-<i>-of-<K>` for a shard. */
export function viewName(checker: string, shard?: ShardRef): string {
  return shard && shard.count > 1 ? `${checker}#shard-${shard.index}-of-${shard.count}` : checker;
}

/**
 * A checker's own view, to fold this cycle's observations into. A rejected one is noted and read as
 * an empty view at its stored version: the checker starts its targets' health afresh and overwrites it.
 */
export async function readView(store: StateStorePort, name: string): Promise<StoredDocument<CheckerView> | undefined> {
  const stored = await store.get(VIEW_NAMESPACE, name);
  if (!stored) return undefined;
  const checked = checkDocument(checkerViewSchema, stored);
  if (checked.ok) return { ...stored, value: checked.value };
  noteRejection(store, checked.rejection);
  return { ...stored, value: { checker: name.split('#')[0] ?? name, at: new Date(0).toISOString(), health: {} } };
}

/**
 * Every checker's (and shard's) view that passes its check, its `at` its heartbeat time; a rejected
 * one counts as missing. The heartbeat items come in the same Query as the views they vouch for.
 */
export async function readAllViews(store: StateStorePort): Promise<CheckerView[]> {
  const stored = await store.list(VIEW_NAMESPACE);
  const beats = new Map(
    checkAll(
      store,
      viewHeartbeatSchema,
      stored.filter((d) => isHeartbeatName(d.name)),
    ).map((d) => [d.name, d.value]),
  );
  return checkAll(
    store,
    checkerViewSchema,
    stored.filter((d) => !isHeartbeatName(d.name)),
  ).map((view) => ({ ...view.value, at: heartbeatTime(view, beats.get(heartbeatName(view.name))) }));
}

/** One view per checker region, as quorum and the planners read them: a sharded region's shard views merged. */
export async function readCheckerViews(store: StateStorePort, topology: Topology, now: Date): Promise<CheckerView[]> {
  return mergeShardViews(await readAllViews(store), shardCount(topology), now, topology.guard.heartbeatStaleSeconds);
}

/** Writes this checker's (or shard's) view if nobody wrote it since `expectedVersion`; throws StateConflictError otherwise. */
export async function saveView(store: StateStorePort, view: CheckerView, expectedVersion: number): Promise<number> {
  return store.put(VIEW_NAMESPACE, viewName(view.checker, view.shard), versioned(view), expectedVersion);
}

/** An unchanged view's heartbeat is refreshed this often, well inside the time after which it counts as stale. */
export function heartbeatRefreshSeconds(heartbeatStaleSeconds: number): number {
  return Math.min(MAX_HEARTBEAT_REFRESH_SECONDS, heartbeatStaleSeconds / 2);
}

/** What a heartbeat item says: the view write it vouches for, and when. */
export interface ViewHeartbeat {
  /** The view's name (viewName). */
  readonly view: string;
  /** ISO time of the heartbeat. */
  readonly at: string;
  /** The view write it vouches for: that write's `at` and the version it got. */
  readonly vouchesFor: { readonly at: string; readonly version: number };
}

const HEARTBEAT_SUFFIX = '#heartbeat';

/** The heartbeat item's name: beside its view's, in the view namespace (one Query reads both). */
export function heartbeatName(view: string): string {
  return `${view}${HEARTBEAT_SUFFIX}`;
}

function isHeartbeatName(name: string): boolean {
  return name.endsWith(HEARTBEAT_SUFFIX);
}

/**
 * A stored view's heartbeat time: the heartbeat's when it vouches for exactly this view write (its
 * name, `at` and version), else the view's own `at`. Replicas receive the two items independently
 * and last writer wins, so a replica may hold a heartbeat for a view write it has not received yet,
 * or an older view after a newer heartbeat: neither makes the view it holds look fresher than it is.
 */
export function heartbeatTime(view: StoredDocument<CheckerView>, beat: ViewHeartbeat | undefined): string {
  const vouches =
    beat !== undefined &&
    beat.view === view.name &&
    beat.vouchesFor.version === view.version &&
    beat.vouchesFor.at === view.value.at &&
    Date.parse(beat.at) > Date.parse(view.value.at);
  return vouches ? beat.at : view.value.at;
}

/** A heartbeat item as its writer holds it: its version (0: none stored) and, when it passed its check, what it says. */
export interface HeldHeartbeat {
  readonly version: number;
  readonly value?: ViewHeartbeat;
}

/** A view's heartbeat item, to write the next one over; a rejected one is noted and held by its version only. */
export async function readHeartbeat(store: StateStorePort, view: string): Promise<HeldHeartbeat> {
  const stored = await store.get(VIEW_NAMESPACE, heartbeatName(view));
  if (!stored) return { version: 0 };
  const checked = checkDocument(viewHeartbeatSchema, stored);
  if (checked.ok) return { version: stored.version, value: checked.value };
  noteRejection(store, checked.rejection);
  return { version: stored.version };
}

/** Writes the heartbeat of view `view` if nobody wrote it since `expectedVersion`; throws StateConflictError otherwise. */
export async function saveHeartbeat(
  store: StateStorePort,
  heartbeat: ViewHeartbeat,
  expectedVersion: number,
): Promise<HeldHeartbeat> {
  const version = await store.put(VIEW_NAMESPACE, heartbeatName(heartbeat.view), versioned(heartbeat), expectedVersion);
  return { version, value: heartbeat };
}

/** True when both views hold the same health for the same targets (their `at` aside). */
export function sameHealth(
  a: Readonly<Record<string, TargetHealth>>,
  b: Readonly<Record<string, TargetHealth>>,
): boolean {
  const ids = Object.keys(a);
  if (ids.length !== Object.keys(b).length) return false;
  return ids.every((id) => {
    const x = a[id];
    const y = b[id];
    return (
      x !== undefined &&
      y !== undefined &&
      x.status === y.status &&
      x.consecutiveFailures === y.consecutiveFailures &&
      x.consecutiveSuccesses === y.consecutiveSuccesses &&
      x.since === y.since &&
      JSON.stringify(x.recent) === JSON.stringify(y.recent)
    );
  });
}

/** A checker's own view and heartbeat item as it last wrote (or read) them; `view` undefined when none is stored. */
export interface HeldView {
  readonly view: StoredDocument<CheckerView> | undefined;
  readonly beat: HeldHeartbeat;
}

/** A checker's own view and heartbeat item, read from the store (a cold start, or after a lost compare-and-swap). */
export async function readHeldView(store: StateStorePort, name: string): Promise<HeldView> {
  const [view, beat] = await Promise.all([readView(store, name), readHeartbeat(store, name)]);
  return { view, beat };
}

// Keyed by the store object: a process holds a view only for the store it wrote it to.
const heldViews = new WeakMap<StateStorePort, Map<string, HeldView>>();

/** The view and heartbeat this process last wrote (or read) under `name` in `store`, with their versions. */
export function heldView(store: StateStorePort, name: string): HeldView | undefined {
  return heldViews.get(store)?.get(name);
}

export function holdView(store: StateStorePort, name: string, held: HeldView): void {
  const views = heldViews.get(store) ?? new Map<string, HeldView>();
  views.set(name, held);
  heldViews.set(store, views);
}

/** Forgets the held view (after a lost compare-and-swap: someone else wrote a newer one). */
export function releaseView(store: StateStorePort, name: string): void {
  heldViews.get(store)?.delete(name);
}
