// What a warm adapter decoded from each item of its last Query of a namespace, reused while the item is
// exactly the same: the planning shard lists every view every cycle, and at idle none changed since the
// last (gunzip and JSON.parse were a fifth of that read's CPU). An item's decode is reused only when
// its stored bytes (the `value` attribute, text or binary, compared byte for byte) and its version are
// the ones decoded under the same name; anything else is decoded afresh. A value is reused only frozen
// all the way down, so no reader can change what the next one gets; freezing costs about half a decode,
// so an item is frozen at its second read unchanged, and one rewritten every cycle (a view holding a
// failing target's growing counters) is never frozen. Per namespace, only the items of the latest Query
// are held: the cache never outgrows the table, and a deleted item is dropped.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { freezeDeep } from '../../domain/frozen';
import { decodeValue } from './state-document-codec';

type Item = Record<string, AttributeValue>;

interface Decoded {
  /** The item's `value` attribute as stored: its JSON text, or a copy of its gzip bytes. */
  readonly stored: string | Buffer;
  /** The item's `version` attribute as stored. */
  readonly version: string | undefined;
  /** Its value, frozen, once it was read unchanged. */
  readonly value?: unknown;
}

export class ListedValues {
  private readonly lastQuery = new Map<string, Map<string, Decoded>>();

  /** The values of one Query's items of `namespace`, in their order; each unchanged item's from the last Query. */
  decode(namespace: string, items: readonly Item[]): unknown[] {
    const previous = this.lastQuery.get(namespace);
    const current = new Map<string, Decoded>();
    const values = items.map((item) => {
      const name = item.sk?.S ?? '';
      const held = previous?.get(name);
      if (held && unchanged(held, item)) {
        const reused = 'value' in held ? held : { ...held, value: freezeDeep(decodeValue(item.value)) };
        current.set(name, reused);
        return reused.value;
      }
      const stored = storedForm(item.value);
      if (stored !== undefined) current.set(name, { stored, version: item.version?.N });
      return decodeValue(item.value);
    });
    this.lastQuery.set(namespace, current);
    return values;
  }
}

/** The `value` attribute's text, or a copy of its bytes (the SDK's buffer is not ours to keep); undefined when it has neither. */
function storedForm(attribute: AttributeValue | undefined): string | Buffer | undefined {
  if (attribute?.B !== undefined) return Buffer.from(attribute.B);
  return attribute?.S;
}

function unchanged(held: Decoded, item: Item): boolean {
  if (held.version !== item.version?.N) return false;
  const attribute = item.value;
  if (typeof held.stored === 'string') return attribute?.B === undefined && attribute?.S === held.stored;
  return attribute?.B !== undefined && held.stored.equals(attribute.B);
}
