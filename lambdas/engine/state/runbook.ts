// Runbooks (`runbook` namespace): a failover that takes several cycles is a versioned document of
// ordered steps, resumed where it stopped and never repeating a step that is done. The database
// failover and the region failover runbooks share this machinery.
import { StateConflictError } from '../../ports/errors';
import type { StateStorePort, StoredDocument } from '../../ports/state-store.port';
import { runbookSchema } from './document-schemas';
import { listChecked, readChecked, versioned } from './stored-documents';

const RUNBOOK_NAMESPACE = 'runbook';

export type RunbookStatus = 'pending-approval' | 'running' | 'completed' | 'failed' | 'aborted';
export type StepStatus = 'pending' | 'done' | 'failed';

export interface RunbookStep {
  readonly name: string;
  readonly status: StepStatus;
  readonly attempts: number;
  /** ISO time of the last change of this step. */
  readonly at?: string;
  readonly error?: string;
}

interface RunbookEvent {
  readonly at: string;
  readonly event: string;
}

export interface Runbook<TData = unknown> {
  readonly id: string;
  /** e.g. database-failover, region-failover. */
  readonly kind: string;
  /** What it is about: a database id, a region. */
  readonly resource: string;
  readonly region: string;
  readonly planId: string;
  readonly status: RunbookStatus;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly steps: readonly RunbookStep[];
  readonly data: TData;
  /** Every step and state change, for the completion notice. */
  readonly timeline: readonly RunbookEvent[];
}

export function newRunbook<TData>(fields: {
  id: string;
  kind: string;
  resource: string;
  region: string;
  planId: string;
  at: string;
  steps: readonly string[];
  data: TData;
  status?: RunbookStatus;
}): Runbook<TData> {
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

export function stepOf(runbook: Runbook<unknown>, name: string): RunbookStep | undefined {
  return runbook.steps.find((s) => s.name === name);
}

export function isStepDone(runbook: Runbook<unknown>, name: string): boolean {
  return stepOf(runbook, name)?.status === 'done';
}

/** The first step not done yet, in order; undefined when every step is done. */
export function nextStep(runbook: Runbook<unknown>): RunbookStep | undefined {
  return runbook.steps.find((s) => s.status !== 'done');
}

/** The runbook with one step's outcome recorded (attempts counted) and a timeline entry. */
export function recordStep<TData>(
  runbook: Runbook<TData>,
  name: string,
  status: StepStatus,
  at: string,
  error?: string,
): Runbook<TData> {
  return {
    ...runbook,
    updatedAt: at,
    steps: runbook.steps.map((s) =>
      s.name === name ? { name, status, attempts: s.attempts + 1, at, ...(error ? { error } : {}) } : s,
    ),
    timeline: [...runbook.timeline, { at, event: `${name} ${status}${error ? `: ${error}` : ''}` }],
  };
}

export function withStatus<TData>(
  runbook: Runbook<TData>,
  status: RunbookStatus,
  at: string,
  why?: string,
): Runbook<TData> {
  return {
    ...runbook,
    status,
    updatedAt: at,
    timeline: [...runbook.timeline, { at, event: `${status}${why ? `: ${why}` : ''}` }],
  };
}

/** Runbooks still to be worked on (running or waiting for approval). */
export function isOpen(runbook: Runbook<unknown>): boolean {
  return runbook.status === 'running' || runbook.status === 'pending-approval';
}

/** Every runbook that passes its check; a rejected one is noted and left out, so none of its steps runs. */
export async function listRunbooks(store: StateStorePort): Promise<StoredDocument<Runbook>[]> {
  return listChecked(store, runbookSchema, RUNBOOK_NAMESPACE);
}

/** One runbook, checked; a rejected one throws StateDocumentRejectedError, so the step that read it is not taken. */
export async function getRunbook<TData = unknown>(
  store: StateStorePort,
  id: string,
): Promise<StoredDocument<Runbook<TData>> | undefined> {
  const stored = await readChecked(store, runbookSchema, RUNBOOK_NAMESPACE, id);
  // The kind's data schema checked the payload; TData names which kind the caller asked for.
  return stored as StoredDocument<Runbook<TData>> | undefined;
}

/** Creates a runbook; throws StateConflictError when another actor created the same id first. */
export async function createRunbook<TData>(store: StateStorePort, runbook: Runbook<TData>): Promise<void> {
  await store.put(RUNBOOK_NAMESPACE, runbook.id, versioned(runbook), 0);
}

/**
 * Read-modify-write of one runbook with compare-and-swap (re-read on conflict). `mutate` returns
 * undefined to leave it unchanged. Throws when the runbook does not exist.
 */
export async function updateRunbook<TData>(
  store: StateStorePort,
  id: string,
  mutate: (runbook: Runbook<TData>) => Runbook<TData> | undefined,
): Promise<Runbook<TData>> {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await getRunbook<TData>(store, id);
    if (!stored)
      throw new Error(`runbook "${id}" is not in the state store; it may have expired or never been created`);
    const next = mutate(stored.value);
    if (!next) return stored.value;
    try {
      await store.put(RUNBOOK_NAMESPACE, id, versioned(next), stored.version);
      return next;
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= 5) throw error;
    }
  }
}
