/**
 * @module analyze/parameter-key
 * "This parameter of this service": the key under which an analyst's false-positive feedback on
 * the transaction analyser is stored, so that the same parameter of the same service is not
 * reported again. A service is the site (`url.domain`, else `host.name`) and the path's template,
 * where record identifiers in the path are one placeholder — feedback on `/ho-so/123/xem` covers
 * `/ho-so/456/xem` — and the parameter is the analyser's location (`args.q`, `body.noi_dung`,
 * `headers.referer`, `path` …).
 *
 * The key is kept in a rule exception whose field is {@link PARAMETER_FIELD}, so it rides on the
 * exception mechanism every rule has (who, why, scope over the organisation's subtree, removal).
 */
import { getField, type EcsEvent, type EcsObject } from '../core/event.js';

/** The exception field that names an analyser parameter rather than an event field. */
export const PARAMETER_FIELD = 'analysis.parameter';

const DIGITS = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_ID = /^[0-9a-f]{16,}$/i;
/** Record codes such as `000.00.12.H29-240101-0001` or `HS2024-000123`: mostly digits. */
const CODE_ID = /^[A-Za-z0-9._-]{6,}$/;

function isIdentifier(segment: string): boolean {
  if (DIGITS.test(segment) || UUID.test(segment) || HEX_ID.test(segment)) return true;
  if (!CODE_ID.test(segment)) return false;
  let digits = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits >= 4 && digits * 2 >= segment.length;
}

/** The path with record identifiers replaced by `{id}`; no query, no trailing slash. */
export function pathTemplate(path: string): string {
  const query = path.indexOf('?');
  const bare = query >= 0 ? path.slice(0, query) : path;
  const segments = bare.split('/').map((s) => (s !== '' && isIdentifier(s) ? '{id}' : s));
  const joined = segments.join('/');
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined || '/';
}

/** The site of a web event: `url.domain`, else `host.name`, lower-case; '' when neither is known. */
export function siteOf(event: EcsEvent): string {
  for (const field of ['url.domain', 'host.name']) {
    const value = getField(event as EcsObject, field);
    if (typeof value === 'string' && value !== '') return value.toLowerCase();
  }
  return '';
}

/** `<site><path template> <location>`, e.g. `dichvucong.gov.vn/tra-cuu/{id} args.q`. */
export function parameterKey(site: string, path: string, location: string): string {
  return `${site}${pathTemplate(path)} ${location}`;
}
