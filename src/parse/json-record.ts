/**
 * @module parse/json-record
 * Reading a record as a JSON object, and expanding dotted keys (`"source.ip": …`) into nested
 * objects, shared by the JSON-based normalisers (json, ecs, windows). Hostile input is expected:
 * `__proto__` as a field name would reach `Object.prototype` through an ordinary assignment, so it
 * is refused where keys are written into new objects, and existing members are read with
 * `Object.hasOwn` so inherited ones (`constructor`, `toString`) are never mistaken for fields.
 */
import type { EcsObject, EcsValue } from '../core/event.js';
import type { RawRecord } from './normaliser.js';
import { Malformed } from './normaliser.js';

export function isPlainObject(value: unknown): value is EcsObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The record as a JSON object: the transport's decoded value, else its text parsed. */
export function readJsonObject(record: RawRecord, format: string): EcsObject | Malformed {
  let value: unknown = record.json;
  if (value === undefined) {
    try {
      value = JSON.parse(record.text);
    } catch (err) {
      return new Malformed(`${format}: invalid JSON (${(err as Error).message})`);
    }
  }
  if (!isPlainObject(value)) return new Malformed(`${format}: not a JSON object`);
  return value;
}

/** Writes `obj[key] = value` as an own data property, even for the key `__proto__`. */
export function setOwn(obj: EcsObject, key: string, value: EcsValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** An own member of `obj`, ignoring anything inherited. */
export function ownValue(obj: EcsObject, key: string): EcsValue | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function mergeInto(dst: EcsObject, src: EcsObject, prefix: string, format: string): Malformed | undefined {
  for (const key of Object.keys(src)) {
    const value = src[key];
    if (value === undefined) continue;
    let node = dst;
    let start = 0;
    for (let dot = key.indexOf('.'); ; dot = key.indexOf('.', start)) {
      const part = dot === -1 ? (start === 0 ? key : key.slice(start)) : key.slice(start, dot);
      if (part === '__proto__') return new Malformed(`${format}: forbidden field name "${prefix}${key}"`);
      const existing = ownValue(node, part);
      const path = prefix + (dot === -1 ? key : key.slice(0, dot));
      if (dot === -1) {
        if (isPlainObject(value)) {
          let target = existing;
          if (target === undefined) {
            target = {};
            node[part] = target;
          } else if (!isPlainObject(target)) {
            return new Malformed(`${format}: "${path}" is both a value and an object`);
          }
          const err = mergeInto(target, value, path + '.', format);
          if (err !== undefined) return err;
        } else {
          if (existing !== undefined) return new Malformed(`${format}: "${path}" is given twice`);
          node[part] = value;
        }
        break;
      }
      if (existing === undefined) {
        const created: EcsObject = {};
        node[part] = created;
        node = created;
      } else if (isPlainObject(existing)) {
        node = existing;
      } else {
        return new Malformed(`${format}: "${path}" is both a value and an object`);
      }
      start = dot + 1;
    }
  }
  return undefined;
}

/**
 * A new document with every dotted key expanded into nested objects (as Elasticsearch reads them),
 * merged with nested objects of the same path. Arrays are kept as they are. Fails on a path given
 * both as a value and as an object, or twice.
 */
export function expandDottedKeys(doc: EcsObject, format: string): EcsObject | Malformed {
  const out: EcsObject = {};
  const err = mergeInto(out, doc, '', format);
  return err ?? out;
}
