// Parses and validates a topology: the schema first, then the checks that span several fields.
// Every problem is collected and reported at once, each with its JSON path.
import { z, type core } from 'zod';
import { errorMessage, ConfigError, type ConfigIssue } from '../errors';
import { crossFieldIssues, type RegionCatalog } from './cross-field-checks';
import { closestName } from './did-you-mean';
import { friendlyMessage } from './messages';
import { topologySchema, type Topology } from './schema';

/** Formats a path like `dns[1].targets[0].ip`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** The object schema found at a path of the topology (wrappers and lists looked through), if any. */
function objectSchemaAt(path: readonly PropertyKey[]): z.ZodObject | undefined {
  let schema: unknown = topologySchema;
  for (const part of [...path, undefined]) {
    for (let unwrapped = true; unwrapped; ) {
      unwrapped = false;
      if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional) {
        schema = schema.unwrap();
        unwrapped = true;
      }
    }
    if (part === undefined) break;
    if (schema instanceof z.ZodArray) schema = schema.element;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType;
    else if (schema instanceof z.ZodObject && typeof part === 'string') schema = schema.shape[part];
    else return undefined;
  }
  return schema instanceof z.ZodObject ? schema : undefined;
}

function unknownFieldMessage(path: readonly PropertyKey[], keys: readonly string[]): string {
  const known = Object.keys(objectSchemaAt(path)?.shape ?? {});
  const described = keys.map((key) => {
    const suggestion = closestName(key, known);
    return `"${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  });
  return `unknown field${keys.length > 1 ? 's' : ''} ${described.join(', ')}`;
}

function issueFromZod(issue: core.$ZodIssue): ConfigIssue {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') return { path, message: unknownFieldMessage(issue.path, issue.keys) };
  return { path, message: issue.message };
}

/**
 * An invalid config made as whole as it can be, so the cross-field checks still run and every
 * problem is reported at once: each list element that passes the schema is parsed (defaults
 * filled in), one that fails is kept as written; a section that fails takes its default.
 */
function bestEffortParts(raw: Record<string, unknown>): Topology {
  const parts: Record<string, unknown> = {};
  for (const [key, fieldSchema] of Object.entries(topologySchema.shape) as [string, z.ZodType][]) {
    const value = raw[key];
    const whole = fieldSchema.safeParse(value);
    if (whole.success) parts[key] = whole.data;
    else if (Array.isArray(value)) parts[key] = value.map((element) => parsedOrAsWritten(fieldSchema, element));
    else parts[key] = fieldSchema.safeParse(undefined).data;
  }
  return parts as Topology;
}

function parsedOrAsWritten(listSchema: z.ZodType, element: unknown): unknown {
  const list = listSchema instanceof z.ZodDefault ? listSchema.unwrap() : listSchema;
  if (!(list instanceof z.ZodArray)) return element;
  const result = (list.element as z.ZodType).safeParse(element);
  return result.success ? result.data : withFieldDefaults(list.element as z.ZodType, element);
}

/** An element kept as written, with its own fields' defaults filled in (routing, ttl, …) so checks read what the schema would. */
function withFieldDefaults(elementSchema: z.ZodType, element: unknown): unknown {
  if (
    !(elementSchema instanceof z.ZodObject) ||
    typeof element !== 'object' ||
    element === null ||
    Array.isArray(element)
  ) {
    return element;
  }
  const filled: Record<string, unknown> = { ...(element as Record<string, unknown>) };
  for (const [key, fieldSchema] of Object.entries(elementSchema.shape) as [string, z.ZodType][]) {
    if (filled[key] !== undefined) continue;
    const fallback = fieldSchema.safeParse(undefined);
    if (fallback.success && fallback.data !== undefined) filled[key] = fallback.data;
  }
  return filled;
}

/** Cross-field issues of an invalid config, or none when what is left is too broken to check. */
function bestEffortCrossFieldIssues(raw: unknown, catalog: RegionCatalog | undefined): ConfigIssue[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  try {
    return crossFieldIssues(bestEffortParts(raw as Record<string, unknown>), catalog);
  } catch {
    // An element kept as written lacks a field the checks read; its schema issues say what.
    return [];
  }
}

/** True when one path is the other or contains it: a cross-field issue there repeats the schema's. */
function overlaps(a: string, b: string): boolean {
  const within = (inner: string, outer: string) =>
    inner === outer || (outer !== '' && (inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`)));
  return within(a, b) || within(b, a);
}

/** "line 4, column 3" of a character offset, for a JSON syntax error an editor can jump to. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

function jsonSyntaxMessage(text: string, error: unknown): string {
  const message = errorMessage(error);
  const position = /at position (\d+)/.exec(message);
  if (!position) return `is not JSON: ${message}`;
  const at = Number(position[1]);
  return `is not JSON at ${lineAndColumn(text, at)}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}

/** Parses a topology from JSON text (a UTF-8 byte-order mark is allowed); throws ConfigError naming every problem. */
export function parseTopologyText(text: string, source = 'config', catalog?: RegionCatalog): Topology {
  const json = text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (cause) {
    throw new ConfigError(source, [{ path: '', message: jsonSyntaxMessage(json, cause) }], { cause });
  }
  return parseTopology(raw, source, catalog);
}

/** Validates an already-parsed value; throws ConfigError naming every problem. `catalog` adds the AWS region checks. */
export function parseTopology(raw: unknown, source = 'config', catalog?: RegionCatalog): Topology {
  const result = topologySchema.safeParse(raw, { error: friendlyMessage });
  if (!result.success) {
    const schemaIssues = result.error.issues.map(issueFromZod);
    const extra = bestEffortCrossFieldIssues(raw, catalog).filter(
      (c) => !schemaIssues.some((i) => overlaps(i.path, c.path)),
    );
    throw new ConfigError(source, [...schemaIssues, ...extra]);
  }
  const issues = crossFieldIssues(result.data, catalog);
  if (issues.length > 0) throw new ConfigError(source, issues);
  return result.data;
}
