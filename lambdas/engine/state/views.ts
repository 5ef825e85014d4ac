// Checker views (`view` namespace, one document per checker region, or per shard of a sharded one):
// the health of every target as one checker (shard) sees it; the write is also the checker's heartbeat. A view that did not change is
// written again only when the heartbeat needs refreshing, and the process keeps the view it last
// wrote (with its version) so a looping checker does not read its own view back every cycle.
import type { Topology } from '../../domain/config/schema';
import { shardCount, type ShardRef } from '../../domain/config/shards';
import { mergeShardViews } from '../../domain/health/shard-views';
import type { CheckerView, TargetHealth } from '../../domain/health/types';
import type { StateStorePort, StoredDocument } from '../../ports/state-store.port';
import { checkerViewSchema } from './document-schemas';
import { checkDocument, listChecked, noteRejection, versioned } from './stored-documents';

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

/** Every checker's (and shard's) view that passes its check; a rejected one counts as missing. */
export async function readAllViews(store: StateStorePort): Promise<CheckerView[]> {
  return (await listChecked(store, checkerViewSchema, VIEW_NAMESPACE)).map((d) => d.value);
}

/** One view per checker region, as quorum and the planners read them: a sharded region's shard views merged. */
export async function readCheckerViews(store: StateStorePort, topology: Topology, now: Date): Promise<CheckerView[]> {
  return mergeShardViews(await readAllViews(store), shardCount(topology), now, topology.guard.heartbeatStaleSeconds);
}

/** Writes this checker's (or shard's) view if nobody wrote it since `expectedVersion`; throws StateConflictError otherwise. */
export async function saveView(store: StateStorePort, view: CheckerView, expectedVersion: number): Promise<number> {
  return store.put(VIEW_NAMESPACE, viewName(view.checker, view.shard), versioned(view), expectedVersion);
}

/** An unchanged view is rewritten this often, well inside the time after which its heartbeat counts as stale. */
export function heartbeatRefreshSeconds(heartbeatStaleSeconds: number): number {
  return Math.min(MAX_HEARTBEAT_REFRESH_SECONDS, heartbeatStaleSeconds / 2);
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

// Keyed by the store object: a process holds a view only for the store it wrote it to.
const heldViews = new WeakMap<StateStorePort, Map<string, StoredDocument<CheckerView>>>();

/** The view this process last wrote (or read) under `name` in `store`, with its version. */
export function heldView(store: StateStorePort, name: string): StoredDocument<CheckerView> | undefined {
  return heldViews.get(store)?.get(name);
}

export function holdView(store: StateStorePort, document: StoredDocument<CheckerView>): void {
  const held = heldViews.get(store) ?? new Map<string, StoredDocument<CheckerView>>();
  held.set(document.name, document);
  heldViews.set(store, held);
}

/** Forgets the held view (after a lost compare-and-swap: someone else wrote a newer one). */
export function releaseView(store: StateStorePort, name: string): void {
  heldViews.get(store)?.delete(name);
}
