/**
 * @module store/sqlite/columns
 * How model values map onto SQLite columns and back. SQLite has no boolean or timestamp type, so
 * booleans are stored as 0/1 and instants as INTEGER epoch milliseconds (they sort and compare as
 * numbers, which ISO strings with mixed offsets would not); the model sees booleans and ISO strings.
 */
import { VigilError } from '../../core/errors.js';

export function toFlag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

export function fromFlag(value: number): boolean {
  return value !== 0;
}

/** ISO 8601 → epoch ms; a value that is not a date is a caller error, not something to store. */
export function toMillis(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `${field} is not an ISO 8601 time: ${iso}` }, { field });
  return ms;
}

export function toMillisOrNull(iso: string | null, field: string): number | null {
  return iso === null ? null : toMillis(iso, field);
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function toIsoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A JSON text column holding an array of strings (sensor syslog sources, TLS client ids). */
export function fromJsonList(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
}

/** A patch without its undefined members, so `{ sector: undefined }` leaves the sector as it is. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  const result: Partial<T> = {};
  for (const key of Object.keys(patch) as (keyof T)[]) {
    if (patch[key] !== undefined) result[key] = patch[key];
  }
  return result;
}
