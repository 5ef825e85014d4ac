// Runbooks (`runbook` namespace): a failover that takes several cycles is a versioned document of
// ordered steps, resumed where it stopped and never repeating a step that is done. The database
// failover and the region failover runbooks share this machinery.
import { StateConflictError } from '../../ports/errors';
import type { StateStorePort, StoredDocument } from '../../ports/state-store.port';
import { runbookSchema } from './document-schemas';
import type { Runbook, RunbookOf, RunbookStatus, RunbookStep, StepStatus } from './runbook-kinds';
import { listChecked, readChecked, versioned } from './stored-documents';

const RUNBOOK_NAMESPACE = 'runbook';

export function newRunbook<K extends Runbook['kind'], TData, S extends string>(fields: {
  id: string;
  kind: K;
  resource: string;
  region: string;
  planId: string;
  at: string;
  steps: readonly S[];
  data: TData;
  status?: RunbookStatus;
}): RunbookOf<K, TData, S> {
  return {
    id: fields.id,
    kind: fields.kind,
    resource: fields.resource,
    region: fields.region,
    planId: fields.planId,
    status: fields.status ?? 'running',
    startedAt: fields.at,
    updatedAt: fields.at,
    steps: fields.steps.map((name) => ({ name, status: 'pending', attempts: 0 })),
    data: fields.data,
    timeline: [{ at: fields.at, event: 'started' }],
  };
}

export function stepOf(runbook: Runbook, name: string): RunbookStep | undefined {
  return runbook.steps.find((s) => s.name === name);
}

export function isStepDone(runbook: Runbook, name: string): boolean {
  return stepOf(runbook, name)?.status === 'done';
}

/** The first step not done yet, in order; undefined when every step is done. */
export function nextStep<S extends string>(
  runbook: RunbookOf<Runbook['kind'], unknown, S>,
): RunbookStep<S> | undefined {
  return runbook.steps.find((s) => s.status !== 'done');
}

/** The runbook with one step's outcome recorded (attempts counted) and a timeline entry. */
export function recordStep<R extends Runbook>(
  runbook: R,
  name: string,
  status: StepStatus,
  at: string,
  error?: string,
): R {
  return {
    ...runbook,
    updatedAt: at,
    steps: runbook.steps.map((s) =>
      s.name === name ? { name: s.name, status, attempts: s.attempts + 1, at, ...(error ? { error } : {}) } : s,
    ),
    timeline: [...runbook.timeline, { at, event: `${name} ${status}${error ? `: ${error}` : ''}` }],
  };
}

export function withStatus<R extends Runbook>(runbook: R, status: RunbookStatus, at: string, why?: string): R {
  return {
    ...runbook,
    status,
    updatedAt: at,
    timeline: [...runbook.timeline, { at, event: `${status}${why ? `: ${why}` : ''}` }],
  };
}

/** Runbooks still to be worked on (running or waiting for approval). */
export function isOpen(runbook: Runbook): boolean {
  return runbook.status === 'running' || runbook.status === 'pending-approval';
}

/** Every runbook that passes its check; a rejected one is noted and left out, so none of its steps runs. */
export async function listRunbooks(store: StateStorePort): Promise<StoredDocument<Runbook>[]> {
  return listChecked(store, runbookSchema, RUNBOOK_NAMESPACE);
}

/**
 * One runbook, checked against its kind's schema: its type follows from `kind`. A rejected one (damaged,
 * of an unknown kind, or with data its kind's schema refuses) throws StateDocumentRejectedError, so
 * the step that read it is not taken.
 */
export async function getRunbook(store: StateStorePort, id: string): Promise<StoredDocument<Runbook> | undefined> {
  return readChecked(store, runbookSchema, RUNBOOK_NAMESPACE, id);
}

/** Creates a runbook; throws StateConflictError when another actor created the same id first. */
export async function createRunbook(store: StateStorePort, runbook: Runbook): Promise<void> {
  await store.put(RUNBOOK_NAMESPACE, runbook.id, versioned(runbook), 0);
}

/**
 * Read-modify-write of one runbook of the kind `ofKind` picks (databaseRunbookOf, regionRunbookOf)
 * with compare-and-swap (re-read on conflict). `mutate` returns undefined to leave it unchanged.
 * Throws when the runbook does not exist or is of another kind.
 */
export async function updateRunbook<R extends Runbook>(
  store: StateStorePort,
  id: string,
  ofKind: (runbook: Runbook) => R | undefined,
  mutate: (runbook: R) => R | undefined,
): Promise<R> {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await getRunbook(store, id);
    if (!stored)
      throw new Error(`runbook "${id}" is not in the state store; it may have expired or never been created`);
    const runbook = ofKind(stored.value);
    if (!runbook) throw new Error(`runbook "${id}" is a ${stored.value.kind} runbook, not one this step updates`);
    const next = mutate(runbook);
    if (!next) return runbook;
    try {
      await store.put(RUNBOOK_NAMESPACE, id, versioned(next), stored.version);
      return next;
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= 5) throw error;
    }
  }
}
