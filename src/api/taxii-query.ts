/**
 * @module api/taxii-query
 * The request side of TAXII 2.1 (OASIS Standard, 10 June 2021) as pure functions: content
 * negotiation (§1.6.8: one media type, `application/taxii+json;version=2.1`, for every TAXII
 * resource — the envelope of §3.7 replaced 2.0's STIX bundles, so `application/stix+json` appears
 * only as the `media_type` of manifest records, §5.3.1), the URL filter parameters (§3.5:
 * `added_after`, `limit`, `next`, `match[id|type|version|spec_version]`) and the opaque `next`
 * token of limit-parameter pagination (§3.4). Kept apart from the routes so each rule is tested
 * from a table.
 */
import { VigilError } from '../core/errors.js';
import { instantToMillis, parseStixTimestamp } from '../intel/stix/timestamp.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** §5.3.1: the media type a manifest record names for the STIX 2.1 objects it lists. */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  type: string;
  params: Map<string, string>;
}

function parseMediaRange(text: string): MediaRange {
  const [type = '', ...rest] = text.split(';').map((p) => p.trim());
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, ''));
  }
  return { type: type.toLowerCase(), params };
}

/**
 * True when an `Accept` header admits TAXII 2.1 JSON. §1.6.8: `application/taxii+json` with
 * `version=2.1`, or with no version (the server's latest, which is 2.1). Wildcards (`*\/*`,
 * `application/*`) are accepted as RFC 9110 §12.5.1 reads them, and so is a missing header; a
 * range with `q=0` refuses.
 */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const range = parseMediaRange(part);
    if (range.params.get('q') !== undefined && Number(range.params.get('q')) === 0) return false;
    if (range.type === '*/*' || range.type === 'application/*') return true;
    if (range.type !== 'application/taxii+json') return false;
    const version = range.params.get('version');
    return version === undefined || version === '2.1';
  });
}

/** True for `application/taxii+json` with version 2.1 or none (§1.6.8, §5.5: what a POST must send). */
export function isTaxiiContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const range = parseMediaRange(contentType);
  const version = range.params.get('version');
  return range.type === 'application/taxii+json' && (version === undefined || version === '2.1');
}

/** A place in a collection's "date added" order (§3.3): after `addedAt`, past `position`. */
export interface PagePosition {
  addedAt: number;
  position: number;
}

/** §3.4: `next` is opaque to the client; here it is the position of a page's last object. */
export function encodeNext(p: PagePosition): string {
  return Buffer.from(`${p.addedAt}.${p.position}`, 'utf8').toString('base64url');
}

export function decodeNext(token: string): PagePosition {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw new VigilError('VIGIL_ERR_BAD_CURSOR');
  return { addedAt: Number(m[1]), position: Number(m[2]) };
}

/** §3.5.1 `match[version]`: the keywords, or a timestamp naming one version. */
export type VersionMatch = { kind: 'last' } | { kind: 'first' } | { kind: 'all' } | { kind: 'at'; millis: number };

export interface TaxiiFilter {
  /** Epoch ms (possibly fractional): only objects added after it (exclusive, §3.5.1). */
  addedAfter: number | null;
  limit: number;
  next: PagePosition | null;
  ids: ReadonlySet<string> | null;
  types: ReadonlySet<string> | null;
  versions: readonly VersionMatch[];
  /** null: the latest spec version only (§3.5.1 default), which is 2.1 for everything served here. */
  specVersions: ReadonlySet<string> | null;
}

export type QueryValues = Record<string, string | string[] | undefined>;

/** The values of a parameter: §3.5.1 separates several by commas, and a parameter may repeat. */
function values(query: QueryValues, name: string): string[] | null {
  const raw = query[name];
  if (raw === undefined) return null;
  const list = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return list;
}

function single(query: QueryValues, name: string): string | null {
  const raw = query[name];
  if (raw === undefined) return null;
  if (Array.isArray(raw)) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `${name} may be given once` }, { field: `querystring.${name}` });
  return raw;
}

function timestampMillis(text: string, field: string): number {
  const instant = parseStixTimestamp(text);
  if (!instant) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `${field} '${text}' is not a timestamp YYYY-MM-DDTHH:mm:ss[.s+]Z (TAXII 2.1 §3.5.1)` }, { field: `querystring.${field}` });
  return instantToMillis(instant);
}

/**
 * The filter parameters of a request (§3.5.1). Unknown `match[...]` fields are refused rather than
 * ignored: a client asking for `match[relationship_type]` would otherwise get everything and
 * believe it was filtered. `limit` above `maxLimit` is lowered to it (§3.4: the server may return
 * fewer objects than asked).
 */
export function parseTaxiiFilter(query: QueryValues, maxLimit: number, defaultLimit: number): TaxiiFilter {
  for (const key of Object.keys(query)) {
    const m = /^match\[(.*)\]$/.exec(key);
    if (m && !['id', 'type', 'version', 'spec_version'].includes(m[1] ?? '')) {
      throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `${key} is not a supported filter; supported: match[id], match[type], match[version], match[spec_version]` }, { field: `querystring.${key}` });
    }
  }
  const addedAfterText = single(query, 'added_after');
  const limitText = single(query, 'limit');
  const nextText = single(query, 'next');
  let limit = defaultLimit;
  if (limitText !== null) {
    if (!/^\d{1,9}$/.test(limitText) || Number(limitText) < 1) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `limit '${limitText}' must be a positive integer (TAXII 2.1 §3.5.1)` }, { field: 'querystring.limit' });
    limit = Math.min(Number(limitText), maxLimit);
  }
  const versions = (values(query, 'match[version]') ?? ['last']).map((v): VersionMatch => {
    if (v === 'last' || v === 'first' || v === 'all') return { kind: v };
    return { kind: 'at', millis: timestampMillis(v, 'match[version]') };
  });
  const setOf = (name: string): ReadonlySet<string> | null => {
    const list = values(query, name);
    return list === null ? null : new Set(list);
  };
  return {
    addedAfter: addedAfterText === null ? null : timestampMillis(addedAfterText, 'added_after'),
    limit,
    next: nextText === null ? null : decodeNext(nextText),
    ids: setOf('match[id]'),
    types: setOf('match[type]'),
    versions: versions.length > 0 ? versions : [{ kind: 'last' }],
    specVersions: setOf('match[spec_version]'),
  };
}

/**
 * True when an object version passes the `match[...]` filters. Vigil keeps one version of each
 * object it serves (the current one), which is at once its first and its last: `first`, `last` and
 * `all` all select it, a timestamp selects it when it is its `modified` (§3.5.1).
 */
export function matchesObject(object: { id: string; type: string; spec_version?: unknown }, modifiedMillis: number, filter: TaxiiFilter): boolean {
  if (filter.ids && !filter.ids.has(object.id)) return false;
  if (filter.types && !filter.types.has(object.type)) return false;
  const spec = typeof object.spec_version === 'string' ? object.spec_version : '2.1';
  if (filter.specVersions && !filter.specVersions.has(spec)) return false;
  return filter.versions.some((v) => v.kind !== 'at' || v.millis === modifiedMillis);
}
