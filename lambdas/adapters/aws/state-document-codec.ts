// How a state document's value is kept in its DynamoDB item: JSON text while small, gzip-compressed
// binary above a threshold (a write unit is 1 KB, and an item may not exceed 400 KB), so a view of
// thousands of targets still fits in one item and costs a fraction of its JSON size.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Values whose JSON is larger than this are stored gzip-compressed. */
const COMPRESS_ABOVE_BYTES = 1024;
/** The most a stored value may take: DynamoDB's 400 KB item limit, less room for keys and attributes. */
const MAX_STORED_VALUE_BYTES = 350 * 1024;

/** A document too large to store even compressed: the write is refused, never silently lost. */
export class StateDocumentTooLargeError extends Error {
  readonly document: string;
  readonly storedBytes: number;

  constructor(document: string, jsonBytes: number, storedBytes: number) {
    super(
      `state document ${document} is ${kb(storedBytes)} gzip-compressed (${kb(jsonBytes)} as JSON), over the ` +
        `${kb(MAX_STORED_VALUE_BYTES)} one DynamoDB item may hold here (item limit 400 KB); it was not written. ` +
        'Split the topology into smaller ones (fewer targets per guard) to shrink it',
    );
    this.name = 'StateDocumentTooLargeError';
    this.document = document;
    this.storedBytes = storedBytes;
  }
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** The `value` attribute for `value`: `{ S: json }`, or `{ B: gzip(json) }` when the JSON is over the threshold. */
export function encodeValue(document: string, value: unknown): AttributeValue {
  const json = JSON.stringify(value) ?? 'null';
  const jsonBytes = Buffer.byteLength(json);
  if (jsonBytes <= COMPRESS_ABOVE_BYTES) return { S: json };
  const compressed = gzipSync(json);
  if (compressed.length > MAX_STORED_VALUE_BYTES)
    throw new StateDocumentTooLargeError(document, jsonBytes, compressed.length);
  return { B: compressed };
}

/** The value back from its attribute, whichever way it was stored: unknown until its reader checks it. */
export function decodeValue(attribute: AttributeValue | undefined): unknown {
  return JSON.parse(attribute?.B !== undefined ? gunzipSync(attribute.B).toString('utf8') : (attribute?.S ?? 'null'));
}
