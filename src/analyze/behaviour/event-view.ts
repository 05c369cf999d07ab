/**
 * @module analyze/behaviour/event-view
 * The few ECS fields behavioural analysis needs, read once per event into one reused view. Input
 * is hostile: any field may be missing, of the wrong type or huge. Strings are capped, numbers may
 * arrive as numeric strings, and whatever cannot be used reads as empty (`''`, `0`, `-1`) rather
 * than throwing. Fields are found nested (`url.path` as `{url: {path}}`) or as dotted keys, as
 * `core/event.getField` finds them, but each parent object is looked up once per event, each field
 * by name, and nothing is allocated.
 */
import { getField, type EcsObject, type EcsValue } from '../../core/event.js';
import { parseEventTime } from './event-time.js';

export interface EventView {
  orgId: string;
  /** Event time, epoch ms. */
  timeMs: number;
  web: boolean;
  auth: boolean;
  /** `source.ip`, else `client.ip`; '' when absent. */
  ip: string;
  /** `user.name` lower-cased (account names are case-insensitive in AD and most SSOs); '' when absent. */
  user: string;
  /** `source.geo.country_iso_code`, two upper-case letters, or ''. */
  country: string;
  /** `url.domain`, else `host.name`, lower-cased; 'unknown' when both are absent. */
  service: string;
  /** `http.request.method` upper-cased, or ''. */
  method: string;
  path: string;
  query: string;
  /** HTTP status 100–599, or 0. */
  status: number;
  /** Response bytes, or -1. */
  bytes: number;
  outcome: '' | 'success' | 'failure';
}

/** Bounds on what is kept of a field: a longer value is cut, never refused. */
const maxNameLength = 128;
const maxPathLength = 1024;
const maxQueryLength = 2048;
/** Event times outside 2000–2100 are clock errors or garbage, not events. */
const earliestMs = Date.UTC(2000, 0, 1);
const latestMs = Date.UTC(2100, 0, 1);

export function createEventView(): EventView {
  return { orgId: '', timeMs: 0, web: false, auth: false, ip: '', user: '', country: '', service: '', method: '', path: '', query: '', status: 0, bytes: -1, outcome: '' };
}

type Node = EcsObject | undefined;

/** The value when it is an object, else undefined. */
function objectOr(value: EcsValue | undefined): Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function text(value: EcsValue | undefined, max: number): string {
  if (typeof value === 'string') return value.length > max ? value.slice(0, max) : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function numeric(value: EcsValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.length > 0 && value.length <= 20) return Number(value);
  return Number.NaN;
}

function hasCategory(value: EcsValue | undefined, category: string): boolean {
  if (typeof value === 'string') return value === category;
  if (!Array.isArray(value)) return false;
  for (const item of value) if (item === category) return true;
  return false;
}

let lastTimestamp = '';
let lastTimeMs = Number.NaN;

/** ISO 8601 text or epoch milliseconds; NaN when unusable. The last parse is cached: batches share timestamps. */
function timeOf(value: EcsValue | undefined): number {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.length <= 40) {
    if (value === lastTimestamp) return lastTimeMs;
    ms = parseEventTime(value);
    lastTimestamp = value;
    lastTimeMs = ms >= earliestMs && ms < latestMs ? ms : Number.NaN;
    return lastTimeMs;
  }
  return ms >= earliestMs && ms < latestMs ? ms : Number.NaN;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function countryOf(value: EcsValue | undefined): string {
  if (typeof value !== 'string' || value.length !== 2 || !isLetter(value.charCodeAt(0)) || !isLetter(value.charCodeAt(1))) return '';
  return value.toUpperCase();
}

/** Path and query of `url.original` when `url.path` is absent (absolute URLs lose scheme and host). */
function splitOriginal(view: EventView, original: string): void {
  let start = 0;
  const scheme = original.indexOf('://');
  if (scheme > 0 && scheme < 16) {
    const slash = original.indexOf('/', scheme + 3);
    start = slash === -1 ? original.length : slash;
  }
  const question = original.indexOf('?', start);
  view.path = question === -1 ? original.slice(start) || '/' : original.slice(start, question) || '/';
  if (view.query === '' && question !== -1) view.query = original.slice(question + 1, question + 1 + maxQueryLength);
}

// Fields are read by name at each site, `nested ?? event['dotted.key']`: a shared `obj[key]` helper
// would see every field name at one site and fall back to V8's slowest, megamorphic, lookups.
// A nested value wins over a dotted one; the dotted key is only looked up when the nested one is absent.

function readHttp(view: EventView, event: EcsObject, url: Node): void {
  const http = objectOr(event['http']);
  const request = objectOr(http?.['request']);
  const response = objectOr(http?.['response']);
  view.method = text(request?.['method'] ?? event['http.request.method'], 16).toUpperCase();
  view.path = text(url?.['path'] ?? event['url.path'], maxPathLength);
  view.query = text(url?.['query'] ?? event['url.query'], maxQueryLength);
  if (view.path === '') {
    const original = text(url?.['original'] ?? event['url.original'], maxPathLength);
    if (original !== '') splitOriginal(view, original);
  }
  const status = numeric(response?.['status_code'] ?? event['http.response.status_code']);
  view.status = Number.isInteger(status) && status >= 100 && status <= 599 ? status : 0;
  let bytes = numeric(objectOr(response?.['body'])?.['bytes'] ?? event['http.response.body.bytes']);
  if (!(bytes >= 0)) bytes = numeric(response?.['bytes'] ?? event['http.response.bytes']);
  view.bytes = bytes >= 0 && Number.isFinite(bytes) ? bytes : -1;
}

/**
 * Fills `view` from `event`. False when the event cannot be used at all: not an object, no
 * organisation (state is per organisation), no usable time, or neither web nor authentication.
 */
export function readEventView(event: unknown, view: EventView): boolean {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return false;
  const ecs = event as EcsObject;
  view.orgId = text(objectOr(ecs['organization'])?.['id'] ?? ecs['organization.id'], maxNameLength);
  if (view.orgId === '') return false;
  view.timeMs = timeOf(ecs['@timestamp']);
  if (Number.isNaN(view.timeMs)) return false;
  const about = objectOr(ecs['event']);
  const category = about?.['category'] ?? ecs['event.category'];
  view.auth = hasCategory(category, 'authentication');
  view.web = hasCategory(category, 'web');
  const url = objectOr(ecs['url']);
  if (view.web || category === undefined) readHttp(view, ecs, url);
  else view.path = view.query = view.method = '';
  // An event without a category that carries a URL path is read as web: some sensors omit it.
  if (!view.web && category === undefined && view.path !== '') view.web = true;
  if (!view.web && !view.auth) return false;
  if (!view.web) {
    view.status = 0;
    view.bytes = -1;
  }
  const outcome = about?.['outcome'] ?? ecs['event.outcome'];
  view.outcome = outcome === 'success' || outcome === 'failure' ? outcome : '';
  const source = objectOr(ecs['source']);
  view.ip = text(source?.['ip'] ?? ecs['source.ip'], 64) || text(objectOr(ecs['client'])?.['ip'] ?? ecs['client.ip'], 64);
  view.user = text(objectOr(ecs['user'])?.['name'] ?? ecs['user.name'], maxNameLength).toLowerCase();
  view.country = countryOf(objectOr(source?.['geo'])?.['country_iso_code'] ?? ecs['source.geo.country_iso_code']);
  const domain = text(url?.['domain'] ?? ecs['url.domain'], maxNameLength) || text(objectOr(ecs['host'])?.['name'] ?? ecs['host.name'], maxNameLength);
  view.service = domain === '' ? 'unknown' : domain.toLowerCase();
  return true;
}

/** A string field of the raw event for a finding's `fields` (read only when something fires). */
export function eventText(event: unknown, dotted: string): string {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return '';
  return text(getField(event as EcsObject, dotted), maxPathLength);
}
