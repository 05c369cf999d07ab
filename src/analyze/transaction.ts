/**
 * @module analyze/transaction
 * A transaction from one JSON line: either the CLI's own shape
 * `{"id","method","uri","headers"?,"body"?}` or an ECS web event (ECS field reference: `http.*`,
 * `url.*`, `user_agent.*`, `event.id`), nested or with dotted keys. Whatever does not fit is an
 * error naming the problem, never an exception.
 */
import type { Transaction } from './contract.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A field by its own dotted key first, then as a path into nested objects. */
function field(event: JsonObject, path: string): unknown {
  if (Object.hasOwn(event, path)) return event[path];
  let node: unknown = event;
  for (const part of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function headerValue(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const parts = value.map(text).filter((v): v is string => v !== undefined);
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  return text(value) ?? (typeof value === 'boolean' ? String(value) : undefined);
}

function headersFrom(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!isObject(value)) return headers;
  for (const [name, raw] of Object.entries(value)) {
    const v = headerValue(raw);
    if (v !== undefined) headers[name] = v;
  }
  return headers;
}

function bodyFrom(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  // A sensor that sent a JSON body as JSON rather than as text.
  return JSON.stringify(value) ?? null;
}

/** `/path?query` from a URL that may be absolute (`https://host/path?query`). */
function pathAndQuery(url: string): string {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(url);
  const rest = match ? url.slice(match[0].length) : url;
  return rest === '' ? '/' : rest;
}

function fromCliShape(value: JsonObject, line: number): Transaction | { error: string } {
  const uri = value['uri'];
  if (typeof uri !== 'string') return { error: '"uri" must be a string' };
  const method = value['method'] ?? 'GET';
  if (typeof method !== 'string') return { error: '"method" must be a string' };
  if (value['headers'] !== undefined && value['headers'] !== null && !isObject(value['headers'])) return { error: '"headers" must be an object' };
  const status = text(value['status']);
  return {
    id: text(value['id']) ?? String(line),
    method: method.toUpperCase(),
    uri,
    headers: headersFrom(value['headers']),
    body: bodyFrom(value['body']),
    ...(status !== undefined && Number.isInteger(Number(status)) ? { status: Number(status) } : {}),
  };
}

function fromEcs(value: JsonObject, line: number): Transaction | { error: string } {
  const original = text(field(value, 'url.original')) ?? text(field(value, 'url.full'));
  let uri: string;
  if (original !== undefined) uri = pathAndQuery(original);
  else {
    const path = text(field(value, 'url.path'));
    if (path === undefined) return { error: 'no "uri", "url.original" or "url.path"' };
    const query = text(field(value, 'url.query'));
    uri = query !== undefined && query !== '' ? `${path}?${query}` : path;
  }
  const headers = headersFrom(field(value, 'http.request.headers'));
  const userAgent = text(field(value, 'user_agent.original'));
  if (userAgent !== undefined) headers['User-Agent'] = userAgent;
  const referrer = text(field(value, 'http.request.referrer'));
  if (referrer !== undefined) headers['Referer'] = referrer;
  const mimeType = text(field(value, 'http.request.mime_type'));
  if (mimeType !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = mimeType;
  const status = Number(text(field(value, 'http.response.status_code')));
  return {
    id: text(field(value, 'event.id')) ?? text(field(value, '@timestamp')) ?? String(line),
    method: (text(field(value, 'http.request.method')) ?? 'GET').toUpperCase(),
    uri,
    headers,
    body: bodyFrom(field(value, 'http.request.body.content')),
    ...(Number.isInteger(status) ? { status } : {}),
  };
}

/**
 * The transaction in one parsed JSON line (`line` is 1-based, the id when the line has none).
 * The CLI's shape is recognised by its `uri`; anything else is read as an ECS web event.
 */
export function transactionFromJson(value: unknown, line: number): Transaction | { error: string } {
  if (!isObject(value)) return { error: 'not a JSON object' };
  if (Object.hasOwn(value, 'uri')) return fromCliShape(value, line);
  // The CLI's shape with `url` for `uri`, a common slip: read it rather than refuse the line.
  if (typeof value['url'] === 'string') return fromCliShape({ ...value, uri: pathAndQuery(value['url']) }, line);
  return fromEcs(value, line);
}
