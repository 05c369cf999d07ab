/**
 * @module intel/stix/ids
 * STIX identifiers (STIX 2.1 §2.9): `<object-type>--<UUID>` with an RFC 4122 UUID. Two kinds of
 * deterministic ids are made here, both UUIDv5 (RFC 9562 §5.5: SHA-1 over the namespace's 16 bytes
 * followed by the name's UTF-8 bytes, the first 16 bytes of the digest, version 5, variant 10):
 * - SCOs: in the STIX namespace `00abedb4-…` over the RFC 8785 canonical JSON of the object's ID
 *   Contributing Properties (§2.9, §3.4), so every producer names `198.51.100.3` the same way;
 * - Vigil's own SDOs (exported indicators, sightings): in Vigil's namespace. §2.9 says a producer
 *   generating UUIDv5 ids for SDOs, SROs or SMOs MUST NOT use the STIX namespace, so re-exports
 *   are stable without colliding with anybody's SCO ids.
 */
import { createHash, randomUUID } from 'node:crypto';

/** STIX 2.1 §2.9: the namespace for deterministic SCO ids. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** Vigil's namespace for the deterministic ids of objects Vigil creates (never used for SCOs). */
export const VIGIL_STIX_NAMESPACE = '1fdbdfbb-7f6b-4f6f-90af-33dcdc575b04';

/** `<type>--<UUID>`: a lower-case type name with single hyphens (§3.1, §7.3.2) and an RFC 4122 UUID (versions 1–5, variant 10) as §2.9 requires. */
export const IDENTIFIER_RE = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)--([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12})$/;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** RFC 9562 §5.5 UUIDv5 of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID_RE.test(namespace)) throw new RangeError(`not a UUID: ${namespace}`);
  const digest = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * RFC 8785 (JSON Canonicalization Scheme) for the JSON values ids are made from: object members
 * sorted by their UTF-16 code units, no whitespace, strings and numbers serialised as ECMAScript
 * does (which is what RFC 8785 §3.2.2 specifies).
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('JSON has no representation for a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
}

/** The deterministic id of an SCO from its ID Contributing Properties (§2.9, §3.4). */
export function scoId(type: string, contributing: { [key: string]: JsonValue }): string {
  return `${type}--${uuidV5(STIX_SCO_NAMESPACE, canonicalJson(contributing))}`;
}

/** A deterministic id for an object Vigil creates, from a name that identifies it. */
export function vigilObjectId(type: string, name: string): string {
  return `${type}--${uuidV5(VIGIL_STIX_NAMESPACE, `${type}|${name}`)}`;
}

export function newBundleId(): string {
  return `bundle--${randomUUID()}`;
}

/** The object type an identifier names, or null when it is not a §2.9 identifier. */
export function identifierType(id: string): string | null {
  const m = IDENTIFIER_RE.exec(id);
  return m ? (m[1] ?? null) : null;
}
