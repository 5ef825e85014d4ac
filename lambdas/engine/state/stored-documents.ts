// Every stored document is checked before the engine acts on it: written with a schema version,
// read through migration (older versions) and its zod schema. A document that fails — damaged, of a
// newer guard, or foreign — is rejected: never acted on, noted for the next plan to report (alert
// `state.document-rejected`, metric StateDocumentsRejected), and read as missing or thrown.
import * as z from 'zod/mini';
import { freezeDeep, isFrozenDeep } from '../../domain/frozen';
import type { StateStorePort, StoredDocument } from '../../ports/state-store.port';

/**
 * The schema version this guard writes. Version 0 is every document written before versions were
 * stored (no `schemaVersion` field): it is migrated on read. A newer version is rejected.
 */
const SCHEMA_VERSION = 1;

export interface DocumentRejection {
  /** `<namespace>/<name>`, the document's key in the state table (pk/sk). */
  readonly key: string;
  /** What is wrong: the zod issues, or the version. */
  readonly issue: string;
}

/** Thrown when a document read for one action fails its check: the action is not taken. */
export class StateDocumentRejectedError extends Error {
  readonly rejection: DocumentRejection;

  constructor(rejection: DocumentRejection) {
    super(`state document ${rejection.key} was rejected and is not acted on: ${rejection.issue}`);
    this.name = 'StateDocumentRejectedError';
    this.rejection = rejection;
  }
}

/** The value as written: stamped with the schema version, so a later guard knows what it reads. */
export function versioned<T extends object>(value: T): T & { readonly schemaVersion: number } {
  return { ...value, schemaVersion: SCHEMA_VERSION };
}

/** How a version-0 document becomes a current one (the identity where nothing changed). */
export type Migration = (legacy: Readonly<Record<string, unknown>>) => Record<string, unknown>;

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly rejection: DocumentRejection };

function issuesOf(error: z.core.$ZodError): string {
  const issues = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
  const more = error.issues.length - issues.length;
  return `${issues.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

const jsonObject = z.record(z.string(), z.unknown());

const copyFields: Migration = (legacy) => ({ ...legacy });

/** A check's outcome, whatever the document's key: its checked value (frozen) or what is wrong with it. */
type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: string };

interface HeldCheck {
  readonly schema: z.ZodMiniType;
  readonly migrate: Migration;
  readonly outcome: Outcome<unknown>;
}

// The checks of values that can never change (frozen all the way down by the store that read them), by
// the value itself: a warm planning shard reads every view every cycle, and at idle the store hands back
// the very values it checked last cycle. Held only while the value lives (a WeakMap), so never stale.
const checksOf = new WeakMap<object, HeldCheck[]>();

/**
 * Migrates (version 0) and validates one stored document. A value frozen by its store (isFrozenDeep)
 * is checked once per schema and migration; its checked value is then frozen too, as every reader shares it.
 */
export function checkDocument<S extends z.ZodMiniType>(
  schema: S,
  document: StoredDocument<unknown>,
  migrate: Migration = copyFields,
): Checked<z.output<S>> {
  const value = document.value;
  const outcome = isFrozenDeep(value) ? heldCheck(schema, value, migrate) : check(schema, value, migrate);
  if (outcome.ok) return outcome;
  return { ok: false, rejection: { key: `${document.namespace}/${document.name}`, issue: outcome.issue } };
}

function heldCheck<S extends z.ZodMiniType>(schema: S, value: object, migrate: Migration): Outcome<z.output<S>> {
  const held = checksOf.get(value) ?? [];
  const known = held.find((h) => h.schema === schema && h.migrate === migrate);
  // The outcome was worked out by `schema` for this very value: it is that schema's output.
  if (known) return known.outcome as Outcome<z.output<S>>;
  const checked = check(schema, value, migrate);
  const outcome = checked.ok ? { ok: true as const, value: freezeDeep(checked.value) } : checked;
  checksOf.set(value, [...held, { schema, migrate, outcome }]);
  return outcome;
}

function check<S extends z.ZodMiniType>(schema: S, value: unknown, migrate: Migration): Outcome<z.output<S>> {
  const object = jsonObject.safeParse(value);
  if (!object.success)
    return {
      ok: false,
      issue: `not a JSON object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`,
    };
  const { schemaVersion, ...fields } = object.data;
  if (schemaVersion !== undefined && (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion)))
    return { ok: false, issue: `schemaVersion is ${JSON.stringify(schemaVersion)}, not a whole number` };
  if (typeof schemaVersion === 'number' && schemaVersion > SCHEMA_VERSION)
    return {
      ok: false,
      issue: `written by a newer guard (schemaVersion ${schemaVersion}; this one reads up to ${SCHEMA_VERSION}): deploy the same version to every checker region`,
    };
  const current = schemaVersion === undefined || schemaVersion === 0 ? migrate(fields) : fields;
  const parsed = schema.safeParse(current);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issue: issuesOf(parsed.error) };
}

// Rejections seen by reads of one store, until the next plan takes them to report.
const rejectionsByStore = new WeakMap<StateStorePort, Map<string, DocumentRejection>>();

export function noteRejection(store: StateStorePort, rejection: DocumentRejection): void {
  const noted = rejectionsByStore.get(store) ?? new Map<string, DocumentRejection>();
  noted.set(rejection.key, rejection);
  rejectionsByStore.set(store, noted);
}

/** The rejections noted since the last call (each document once), for the plan to report. */
export function takeRejections(store: StateStorePort): DocumentRejection[] {
  const noted = rejectionsByStore.get(store);
  rejectionsByStore.delete(store);
  return noted ? [...noted.values()] : [];
}

/** A document read for one use: checked, undefined when absent; a rejected one is noted and thrown. */
export async function readChecked<S extends z.ZodMiniType>(
  store: StateStorePort,
  schema: S,
  namespace: string,
  name: string,
  migrate?: Migration,
): Promise<StoredDocument<z.output<S>> | undefined> {
  const stored = await store.get(namespace, name);
  if (!stored) return undefined;
  const checked = checkDocument(schema, stored, migrate);
  if (checked.ok) return { ...stored, value: checked.value };
  noteRejection(store, checked.rejection);
  throw new StateDocumentRejectedError(checked.rejection);
}

/** Every document of a namespace that passes its check; the others are noted and left out. */
export async function listChecked<S extends z.ZodMiniType>(
  store: StateStorePort,
  schema: S,
  namespace: string,
  migrate?: Migration,
): Promise<StoredDocument<z.output<S>>[]> {
  return checkAll(store, schema, await store.list(namespace), migrate);
}

/** The documents (read from `store`) that pass their check; the others are noted and left out. */
export function checkAll<S extends z.ZodMiniType>(
  store: StateStorePort,
  schema: S,
  stored: readonly StoredDocument<unknown>[],
  migrate?: Migration,
): StoredDocument<z.output<S>>[] {
  const documents: StoredDocument<z.output<S>>[] = [];
  for (const document of stored) {
    const checked = checkDocument(schema, document, migrate);
    if (checked.ok) documents.push({ ...document, value: checked.value });
    else noteRejection(store, checked.rejection);
  }
  return documents;
}
