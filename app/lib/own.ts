/**
 * Plain objects keyed by input. `obj[key]` with key "__proto__", "constructor", "toString" … reads Object.prototype
 * (a function or an object where a string was expected: a 500 further on), and `obj[key] = v` with "__proto__"
 * replaces the prototype instead of storing a field. These two helpers only ever touch the object's own properties.
 */

/** `record[key]` when `key` is one of the record's own keys, else undefined. */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: unknown): V | undefined {
  return typeof key === "string" && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Stores `value` under `key` as an own, enumerable property, whatever the key (even "__proto__"). */
export function setOwn<V>(record: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
