/**
 * @module store/sqlite/page-cursor
 * Opaque pagination cursors: base64url JSON of the position of the last row served (keyset
 * pagination, so pages stay stable while rows are added) plus a short hash of the query. A cursor
 * presented with a different query would silently skip or repeat rows, so it is refused instead.
 */
import { createHash } from 'node:crypto';
import { VigilError } from '../../core/errors.js';

/** A short, stable fingerprint of the query's defining parts (not its page size). */
export function queryHash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(position: Record<string, number>, hash: string): string {
  return Buffer.from(JSON.stringify({ ...position, q: hash })).toString('base64url');
}

/** The position in `cursor`, checked to be of this query; throws VIGIL_ERR_BAD_CURSOR otherwise. */
export function decodeCursor<K extends string>(cursor: string, hash: string, keys: readonly K[]): Record<K, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new VigilError('VIGIL_ERR_BAD_CURSOR');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new VigilError('VIGIL_ERR_BAD_CURSOR');
  const record = parsed as Record<string, unknown>;
  if (record['q'] !== hash) throw new VigilError('VIGIL_ERR_BAD_CURSOR');
  const position = {} as Record<K, number>;
  for (const key of keys) {
    const value = record[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new VigilError('VIGIL_ERR_BAD_CURSOR');
    position[key] = value;
  }
  return position;
}
