/**
 * @module parse/url
 * ECS `url.*` fields from an HTTP request target (RFC 9112 §3.2: origin-form `/path?query`,
 * absolute-form `http://host/path`, authority-form `host:port` for CONNECT, asterisk-form `*`) or
 * from a path and a query logged apart (W3C `cs-uri-stem` / `cs-uri-query`).
 * ECS url fields: `query` excludes the `?` and exists, empty, when the `?` does but nothing follows
 * it; `extension` has no leading dot. Paths stay percent-encoded as sent: detection rules match the
 * encoded forms attackers send, and decoding twice is how filters are evaded.
 */
import type { EcsObject } from '../core/event.js';

/** ECS `url.extension`: what follows the last `.` of the last path segment, if anything. */
function extensionOf(path: string): string | undefined {
  const dot = path.lastIndexOf('.');
  if (dot === -1 || dot === path.length - 1 || path.indexOf('/', dot) !== -1) return undefined;
  return path.slice(dot + 1);
}

/** Fills `url` with `path`, `query`, `fragment` and `extension` of an origin-form `pathAndQuery`. */
function setPathQuery(url: EcsObject, pathAndQuery: string, from: number): void {
  const q = pathAndQuery.indexOf('?', from);
  const h = pathAndQuery.indexOf('#', from);
  const pathEnd = q !== -1 && (h === -1 || q < h) ? q : h !== -1 ? h : pathAndQuery.length;
  const path = from === 0 && pathEnd === pathAndQuery.length ? pathAndQuery : pathAndQuery.slice(from, pathEnd);
  if (path.length > 0) {
    url.path = path;
    const ext = extensionOf(path);
    if (ext !== undefined) url.extension = ext;
  }
  if (q !== -1 && (h === -1 || q < h)) url.query = pathAndQuery.slice(q + 1, h === -1 ? pathAndQuery.length : h);
  if (h !== -1) url.fragment = pathAndQuery.slice(h + 1);
}

/** Splits `host[:port]` (or `[v6]:port`) into `url.domain` and `url.port`. */
function setAuthority(url: EcsObject, authority: string): void {
  let host = authority;
  const colon = authority.lastIndexOf(':');
  if (colon !== -1 && authority.indexOf(']', colon) === -1) {
    const port = Number(authority.slice(colon + 1));
    if (Number.isInteger(port) && port > 0 && port < 65536 && colon + 1 < authority.length) url.port = port;
    host = authority.slice(0, colon);
  }
  if (host.charCodeAt(0) === 91 /* [ */ && host.charCodeAt(host.length - 1) === 93) host = host.slice(1, -1);
  if (host.length > 0) url.domain = host;
}

/** ECS `url.*` of a request target as it appears in an HTTP request line. */
export function urlFromTarget(target: string, method: string | undefined): EcsObject {
  const url: EcsObject = { original: target };
  const first = target.charCodeAt(0);
  if (first === 47 /* / */) {
    setPathQuery(url, target, 0);
  } else if (method === 'CONNECT') {
    setAuthority(url, target);
  } else if (first === 104 || first === 72 /* h, H */) {
    const sep = target.indexOf('://');
    if (sep > 0 && sep < 10) {
      url.scheme = target.slice(0, sep).toLowerCase();
      let slash = target.indexOf('/', sep + 3);
      const qmark = target.indexOf('?', sep + 3);
      if (qmark !== -1 && (slash === -1 || qmark < slash)) slash = qmark;
      setAuthority(url, target.slice(sep + 3, slash === -1 ? target.length : slash));
      if (slash !== -1) setPathQuery(url, target, slash);
    }
  }
  return url;
}

/**
 * ECS `url.*` of a path and a query logged as separate fields (W3C `cs-uri-stem`, `cs-uri-query`);
 * `url.original` is rebuilt as `path?query`. `query` undefined means no query was logged.
 */
export function urlFromParts(path: string | undefined, query: string | undefined): EcsObject {
  const url: EcsObject = {};
  if (path !== undefined) {
    url.original = query === undefined ? path : path + '?' + query;
    url.path = path;
    const ext = extensionOf(path);
    if (ext !== undefined) url.extension = ext;
  } else if (query !== undefined) {
    url.original = '?' + query;
  }
  if (query !== undefined) url.query = query;
  return url;
}
