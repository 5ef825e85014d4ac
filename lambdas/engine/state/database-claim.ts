// One owner per database across both runbook kinds: before it promotes, a database runbook or a
// region runbook claims the database with a compare-and-swap write (`claim/<database id>`). The claim
// lasts as long as its runbook is open; a claim whose runbook has ended is free to take.
import { StateConflictError } from '../../ports/errors';
import type { StateStorePort } from '../../ports/state-store.port';
import { databaseClaimSchema } from './document-schemas';
import { getRunbook, isOpen } from './runbook';
import { readChecked, versioned } from './stored-documents';

const CLAIM_NAMESPACE = 'claim';

/**
 * Claims `databaseId` for `runbookId`; returns the id of the open runbook that holds it instead, if any.
 * A rejected claim, or a claim whose runbook is rejected, throws: the database is not promoted.
 */
export async function claimDatabase(
  store: StateStorePort,
  databaseId: string,
  runbookId: string,
  at: string,
): Promise<string | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    const held = await readChecked(store, databaseClaimSchema, CLAIM_NAMESPACE, databaseId);
    if (held?.value.runbookId === runbookId) return undefined;
    const owner = held ? await getRunbook(store, held.value.runbookId) : undefined;
    if (owner && isOpen(owner.value)) return owner.value.id;
    try {
      await store.put(CLAIM_NAMESPACE, databaseId, versioned({ runbookId, at }), held?.version ?? 0);
      return undefined;
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= 5) throw error;
    }
  }
}
