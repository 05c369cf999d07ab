/**
 * @module analyze/behaviour/paths
 * What a URL says about behaviour: whether it is a login endpoint or an administrative area, its
 * template (identifier segments replaced by `{id}`, so `/ho-so/123456/tai-ve` and
 * `/ho-so/123457/tai-ve` are one endpoint), and the identifier values a client asked for, in the
 * path and in the query. Identifiers are numbers, UUIDs, long hex or mixed-case tokens and record
 * codes such as `HS-2024-000123` or `000.00.31.H26-241125-0012`; a number's value (or a code's
 * trailing number, grouped by its prefix) is kept so that walks over neighbouring values can be told
 * from unrelated look-ups. Scanning is index-based: a path without digits costs one pass and no
 * allocation.
 */

/** Identifier values of one request, written into a reused list (no allocation per event). */
export interface IdList {
  count: number;
  /** `path:<segment number>` or `query:<name>`. */
  params: string[];
  /** Hash of the code prefix, or of the whole value when it cannot be walked. */
  groups: number[];
  /** The number walked (≥ 0), or -1 when the value is opaque (UUID, token). */
  values: number[];
}

export function createIdList(): IdList {
  return { count: 0, params: [], groups: [], values: [] };
}

const fnvOffset = 0x811c9dc5;

/** FNV-1a, 32 bits, of `text[start, end)`: distinct sets keep hashes, not strings. */
export function hashText(text: string, start = 0, end = text.length): number {
  let hash = fnvOffset;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const maxSegments = 32;
const maxSegmentLength = 128;
const maxQueryParams = 16;
const maxParamNameLength = 64;
/** Digits kept of a long number: 15 always fit a double exactly. */
const maxWalkDigits = 15;

const pathParams = Array.from({ length: maxSegments + 1 }, (_, i) => `path:${i}`);

/** Where the identifier of the last classified segment ends, and its walk group and value. */
const found = { idEnd: 0, group: 0, value: 0 };

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isHexLetter = (c: number): boolean => (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

function allDigits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

function digitsValue(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = Math.max(start, end - maxWalkDigits); i < end; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

/** A walkable number: the trailing digits, grouped by everything before them. */
function walkable(text: string, start: number, idEnd: number): void {
  let digitsStart = idEnd;
  while (digitsStart > start && isDigit(text.charCodeAt(digitsStart - 1))) digitsStart--;
  found.idEnd = idEnd;
  if (digitsStart === idEnd) {
    found.group = hashText(text, start, idEnd);
    found.value = -1;
    return;
  }
  const groupEnd = Math.max(digitsStart, idEnd - maxWalkDigits);
  found.group = hashText(text, start, groupEnd);
  found.value = digitsValue(text, groupEnd, idEnd);
}

function opaque(text: string, start: number, end: number): true {
  found.idEnd = end;
  found.group = hashText(text, start, end);
  found.value = -1;
  return true;
}

function isUuid(text: string, start: number, end: number): boolean {
  if (end - start !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(start + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!isDigit(c) && !isHexLetter(c)) return false;
  }
  return true;
}

/**
 * Whether `text[start, end)` is an identifier; if so `found` says where it ends (a file extension
 * stays outside: `12345.pdf` is `{id}.pdf`) and its walk group and value.
 */
export function classifyIdentifier(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0 || length > maxSegmentLength) return false;
  let digits = 0;
  let lower = 0;
  let upper = 0;
  let hexLetters = 0;
  let punctuation = 0;
  let others = 0;
  let lastDot = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isLower(c) || isUpper(c)) {
      if (isLower(c)) lower++;
      else upper++;
      if (isHexLetter(c)) hexLetters++;
    } else if (c === 45 || c === 95 || c === 46) {
      punctuation++;
      if (c === 46) lastDot = i;
    } else others++;
  }
  if (digits === 0 || others > 0) return false;
  if (digits === length) {
    walkable(text, start, end);
    return true;
  }
  // A number with a file extension: /files/12345.pdf.
  if (lastDot > start && end - lastDot <= 6 && allDigits(text, start, lastDot) && !allDigits(text, lastDot + 1, end)) {
    walkable(text, start, lastDot);
    return true;
  }
  if (isUuid(text, start, end)) return opaque(text, start, end);
  const letters = lower + upper;
  if (length >= 16 && punctuation === 0 && hexLetters === letters) return opaque(text, start, end);
  // Session and reset tokens: long, mixed case and digits. Slugs are lower case.
  if (length >= 20 && lower > 0 && upper > 0) return opaque(text, start, end);
  // Record codes are mostly digits; a slug with a year (`thu-tuc-2024`) is not.
  if (length >= 6 && digits >= 4 && digits * 2 >= length) {
    walkable(text, start, end);
    return true;
  }
  return false;
}

function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isDigit(text.charCodeAt(i))) return true;
  return false;
}

function pushId(ids: IdList, param: string): void {
  const i = ids.count++;
  ids.params[i] = param;
  ids.groups[i] = found.group;
  ids.values[i] = found.value;
}

/**
 * The path with identifier segments replaced by `{id}`. With `ids`, their values are appended to
 * it as `path:<segment number>` (the list is not cleared: the caller resets `count`).
 */
export function pathTemplate(path: string, ids: IdList | null = null): string {
  if (!hasDigit(path)) return path;
  let template = '';
  let copied = 0;
  let segment = 0;
  let start = 0;
  while (start < path.length && segment < maxSegments) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    if (end > start) {
      segment++;
      if (classifyIdentifier(path, start, end)) {
        template += `${path.slice(copied, start)}{id}${path.slice(found.idEnd, end)}`;
        copied = end;
        if (ids) pushId(ids, pathParams[segment] ?? 'path:?');
      }
    }
    start = end + 1;
  }
  return copied === 0 ? path : template + path.slice(copied);
}

/** Parameters that count, page or bust caches: walking them is browsing, not enumeration. */
const browsingParams = new Set([
  'page', 'p', 'pg', 'trang', 'offset', 'limit', 'size', 'pagesize', 'page_size', 'per_page', 'perpage', 'start', 'length', 'draw', 'skip', 'take', 'top',
  '_', 't', 'ts', 'time', 'timestamp', 'v', 'ver', 'version', 'rev', 'cache', 'nocache', 'rand', 'r', 'random', 'cb',
  'lang', 'year', 'nam', 'month', 'thang', 'day', 'ngay', 'sort', 'order', 'zoom', 'w', 'h', 'width', 'height', 'q', 'keyword', 'tu-khoa', 'tukhoa',
]);

/** Appends the identifier values of `name=value` pairs of a query to `ids`. */
export function queryIdentifiers(query: string, ids: IdList): void {
  let start = 0;
  let params = 0;
  while (start < query.length && params < maxQueryParams) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    const eq = query.indexOf('=', start);
    params++;
    if (eq > start && eq < end && eq - start <= maxParamNameLength && classifyIdentifier(query, eq + 1, end)) {
      const name = query.slice(start, eq).toLowerCase();
      if (!browsingParams.has(name)) pushId(ids, `query:${name}`);
    }
    start = end + 1;
  }
}

/** Login endpoints, as a path segment (a file extension allowed: `login.php`, `dang-nhap.html`). */
const loginSegment = /(?:^|\/)(?:login|log-in|logon|signin|sign-in|dang-nhap|dangnhap|auth|authenticate|token|sso|oauth|oauth2|j_security_check|wp-login\.php)(?=$|[/.;])/i;

export function isLoginPath(path: string): boolean {
  return loginSegment.test(path);
}

/** Administrative areas, as a path segment. */
const adminSegment = /(?:^|\/)(?:admin|administrator|admincp|quan-tri|quantri|manage|management|manager|console|actuator|phpmyadmin|wp-admin|cpanel|config|settings|system)(?=$|[/.;])/i;

/**
 * The administrative section of a template: up to the admin segment and the one after it
 * (`/quan-tri/nguoi-dung/{id}/sua` → `/quan-tri/nguoi-dung`), so that an account's pages inside a
 * section it already uses are not new; '' when the path is not administrative.
 */
export function adminSection(template: string): string {
  let section = sectionCache.get(template);
  if (section === undefined) {
    if (sectionCache.size >= maxCachedSections) sectionCache.clear();
    section = findAdminSection(template);
    sectionCache.set(template, section);
  }
  return section;
}

/** Templates repeat (pages, assets, API routes): their sections are remembered, a few thousand at most. */
const sectionCache = new Map<string, string>();
const maxCachedSections = 4096;

function findAdminSection(template: string): string {
  const match = adminSegment.exec(template);
  if (match === null) return '';
  const adminEnd = template.indexOf('/', match.index + 1);
  if (adminEnd === -1) return template;
  const sectionEnd = template.indexOf('/', adminEnd + 1);
  if (sectionEnd === adminEnd + 1 || adminEnd === template.length - 1) return template.slice(0, adminEnd);
  return sectionEnd === -1 ? template : template.slice(0, sectionEnd);
}
