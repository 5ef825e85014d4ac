// Values frozen all the way down: nothing can change one after it is frozen, so whatever is worked out
// from it (a stored document's check) holds for as long as the value lives, and a cache keyed on the
// value itself can never serve a stale answer. Only values frozen here count: Object.isFrozen is
// shallow, and a value frozen at the top may still change below.
const frozenDeep = new WeakSet<object>();

/**
 * Freezes plain data (objects and arrays, as JSON.parse, structuredClone and zod hand them out) and
 * everything it holds, and returns it. An object inside that is frozen already is taken as frozen all the
 * way down: plain data holds no frozen object but what this function froze (which also ends cycles).
 */
export function freezeDeep<T>(value: T): T {
  if (!isObject(value)) return value;
  freezeTree(value);
  frozenDeep.add(value);
  return value;
}

function freezeTree(value: Readonly<Record<string, unknown>> | readonly unknown[]): void {
  if (Object.isFrozen(value)) return;
  Object.freeze(value);
  if (isList(value)) {
    for (const inner of value) if (isObject(inner)) freezeTree(inner);
    return;
  }
  // for…in, not Object.values: no array made per object (this walks every target of a view).
  for (const key in value) {
    const inner = value[key];
    if (isObject(inner)) freezeTree(inner);
  }
}

// Array.isArray does not narrow a readonly array out of a union; this does.
function isList(value: Readonly<Record<string, unknown>> | readonly unknown[]): value is readonly unknown[] {
  return Array.isArray(value);
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> | readonly unknown[] {
  return typeof value === 'object' && value !== null;
}

/** True when `value` is an object freezeDeep froze: it and everything it holds can never change. */
export function isFrozenDeep(value: unknown): value is object {
  return typeof value === 'object' && value !== null && frozenDeep.has(value);
}
