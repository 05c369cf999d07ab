/**
 * @module intel/taxii-client
 * A TAXII 2.1 client for one thing: reading a collection's objects page by page (§5.4), from a
 * point in "date added" order onwards. Paging follows §3.4: while the envelope says `more`, the
 * next request carries its `next` token, or — from servers that give none — `added_after` set to
 * the page's `X-TAXII-Date-Added-Last` header (§3.2). Transient failures (network errors, 429 and
 * 5xx) are retried with exponential backoff, honouring `Retry-After` (RFC 9110 §10.2.3); anything
 * else fails at once with the server's TAXII error message (§3.6.1) in the error.
 */
import { request, type Dispatcher } from 'undici';
import { VigilError } from '../core/errors.js';

export const TAXII_ACCEPT = 'application/taxii+json;version=2.1';

export interface PollCollectionOptions {
  /** The API root URL (`https://host/taxii2/api/`). */
  url: string;
  collectionId: string;
  /** Sent as `Authorization: Bearer <token>`; an empty token sends none (a public collection). */
  token: string;
  /** A STIX timestamp: only objects added after it (exclusive). */
  addedAfter?: string;
  /** Objects per page asked for (the server may send fewer). */
  limit?: number;
  /** Tries per request, the first included (default 5). */
  maxAttempts?: number;
  /** First backoff delay, doubled on each retry (default 500 ms), capped at `maxDelayMs` (default 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-request header and body timeouts (default 30 s). */
  timeoutMs?: number;
  /** Stop after this many pages even if the server says `more` (default 10,000). */
  maxPages?: number;
  dispatcher?: Dispatcher;
  /** How to wait between attempts (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>;
}

export interface TaxiiObjectsPage {
  objects: Record<string, unknown>[];
  more: boolean;
  next: string | null;
  /** §3.2 headers of the page, as sent; null when absent. */
  dateAddedFirst: string | null;
  dateAddedLast: string | null;
}

/** One HTTP answer worth retrying: network failure, 429 or 5xx. */
class Transient extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The wait before retry number `attempt` (1 = the first retry). */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, retryAfter: number | null): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return retryAfter === null ? exponential : Math.min(maxDelayMs, Math.max(retryAfter, 0));
}

function describeError(body: string): string {
  try {
    const parsed = JSON.parse(body) as { title?: unknown; description?: unknown };
    const parts = [parsed.title, parsed.description].filter((p): p is string => typeof p === 'string');
    if (parts.length > 0) return parts.join(': ');
  } catch {
    // not a TAXII error message: show the start of what came
  }
  return body.slice(0, 300) || '(empty body)';
}

/** GETs one URL as TAXII JSON, retrying transient failures. */
async function getTaxii(url: string, options: PollCollectionOptions): Promise<{ body: unknown; headers: Record<string, string | string[] | undefined> }> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeout = options.timeoutMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      let response;
      try {
        response = await request(url, {
          method: 'GET',
          headers: { accept: TAXII_ACCEPT, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
          headersTimeout: timeout,
          bodyTimeout: timeout,
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        });
      } catch (err) {
        throw new Transient(`network error: ${err instanceof Error ? err.message : String(err)}`, null);
      }
      const text = await response.body.text();
      const status = response.statusCode;
      if (status === 429 || status >= 500) throw new Transient(`HTTP ${status}: ${describeError(text)}`, retryAfterMs(header(response.headers, 'retry-after')));
      if (status !== 200) throw new VigilError('VIGIL_ERR_TAXII_REMOTE', { url, status, detail: describeError(text) });
      try {
        return { body: JSON.parse(text) as unknown, headers: response.headers };
      } catch {
        throw new VigilError('VIGIL_ERR_TAXII_REMOTE', { url, status, detail: 'the body is not JSON' });
      }
    } catch (err) {
      if (!(err instanceof Transient)) throw err;
      if (attempt >= maxAttempts) throw new VigilError('VIGIL_ERR_TAXII_REMOTE', { url, status: 'only transient failures', detail: `gave up after ${attempt} attempts; last: ${err.message}` });
      await sleep(backoffDelay(attempt, options.baseDelayMs ?? 500, options.maxDelayMs ?? 30_000, err.retryAfterMs));
    }
  }
}

function objectsUrl(options: PollCollectionOptions, addedAfter: string | undefined, next: string | null): string {
  const root = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const url = new URL(`collections/${encodeURIComponent(options.collectionId)}/objects/`, root);
  if (options.limit !== undefined) url.searchParams.set('limit', String(options.limit));
  if (next !== null) url.searchParams.set('next', next);
  else if (addedAfter !== undefined) url.searchParams.set('added_after', addedAfter);
  return url.toString();
}

/** §3.7: the envelope's parts, checked loosely (a server's extra properties are ignored). */
function readEnvelope(body: unknown, url: string): { objects: Record<string, unknown>[]; more: boolean; next: string | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new VigilError('VIGIL_ERR_TAXII_REMOTE', { url, status: 200, detail: 'the body is not a TAXII envelope' });
  const e = body as { objects?: unknown; more?: unknown; next?: unknown };
  const objects = Array.isArray(e.objects) ? e.objects.filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null && !Array.isArray(o)) : [];
  return { objects, more: e.more === true, next: typeof e.next === 'string' && e.next !== '' ? e.next : null };
}

/** The collection's objects, one page at a time, until the server says there are no more. */
export async function* pollCollection(options: PollCollectionOptions): AsyncGenerator<TaxiiObjectsPage, void, undefined> {
  let addedAfter = options.addedAfter;
  let next: string | null = null;
  const maxPages = options.maxPages ?? 10_000;
  for (let pages = 0; pages < maxPages; pages++) {
    const url = objectsUrl(options, addedAfter, next);
    const { body, headers } = await getTaxii(url, options);
    const envelope = readEnvelope(body, url);
    const page: TaxiiObjectsPage = { ...envelope, dateAddedFirst: header(headers, 'x-taxii-date-added-first'), dateAddedLast: header(headers, 'x-taxii-date-added-last') };
    yield page;
    if (!page.more) return;
    if (page.next !== null) {
      next = page.next;
    } else if (page.dateAddedLast !== null && page.dateAddedLast !== addedAfter) {
      next = null;
      addedAfter = page.dateAddedLast;
    } else {
      // `more` without a way forward: asking again would return the same page for ever.
      throw new VigilError('VIGIL_ERR_TAXII_REMOTE', { url, status: 200, detail: 'more is true but neither next nor a new X-TAXII-Date-Added-Last was given' });
    }
  }
}
