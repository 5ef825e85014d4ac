// Checker views (`view` namespace, one document per checker region): each cycle's health of every
// target; the write is also the checker's heartbeat.
import type { CheckerView } from '../../domain/health/types';
import type { StateStorePort, StoredDocument } from '../../ports/state-store.port';

export const VIEW_NAMESPACE = 'view';

export async function readView(store: StateStorePort, checker: string): Promise<StoredDocument<CheckerView> | undefined> {
  return store.get<CheckerView>(VIEW_NAMESPACE, checker);
}

export async function readAllViews(store: StateStorePort): Promise<CheckerView[]> {
  return (await store.list<CheckerView>(VIEW_NAMESPACE)).map((d) => d.value);
}

/** Writes this checker's view if nobody wrote it since `expectedVersion`; throws StateConflictError otherwise. */
export async function saveView(store: StateStorePort, view: CheckerView, expectedVersion: number): Promise<number> {
  return store.put(VIEW_NAMESPACE, view.checker, view, expectedVersion);
}
