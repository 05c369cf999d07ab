/**
 * @module analyze/behaviour/stream-events
 * The ECS events the generated streams are made of — a reverse proxy's web access events and the
 * VNeID/SSO connector's authentication events, in ECS field names — and the time helpers the
 * streams and their tests share (local wall-clock time in Vietnam, UTC+7).
 */
import type { EcsEvent } from '../../core/event.js';

const minuteMs = 60_000;

export const userAgents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/130.0 Mobile Chrome/124.0 Safari/537.36',
] as const;

export interface WebEventSpec {
  timeMs: number;
  orgId: string;
  ip: string;
  domain: string;
  method?: string;
  path: string;
  query?: string;
  status: number;
  bytes: number;
  user?: string | undefined;
  country?: string | undefined;
  userAgent?: string;
  /** `event.outcome`; by default from the status (< 400 success). */
  outcome?: 'success' | 'failure';
}

let isoMinuteStart = Number.NaN;
let isoMinutePrefix = '';

/** `new Date(ms).toISOString()`, an order of magnitude cheaper: streams of a million events spend most of their time here otherwise. */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const minuteStart = whole - (((whole % minuteMs) + minuteMs) % minuteMs);
  if (minuteStart !== isoMinuteStart) {
    isoMinuteStart = minuteStart;
    isoMinutePrefix = new Date(minuteStart).toISOString().slice(0, 17);
  }
  const rest = whole - minuteStart;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  return `${isoMinutePrefix}${second < 10 ? '0' : ''}${second}.${milli < 100 ? (milli < 10 ? '00' : '0') : ''}${milli}Z`;
}

/** An ECS web access event, as a reverse-proxy sensor sends it. */
export function webEvent(spec: WebEventSpec): EcsEvent {
  const event: EcsEvent = {
    '@timestamp': isoTime(spec.timeMs),
    event: { kind: 'event', category: ['web'], type: ['access'], dataset: 'nginx.access', outcome: spec.outcome ?? (spec.status < 400 ? 'success' : 'failure') },
    organization: { id: spec.orgId },
    source: spec.country === undefined ? { ip: spec.ip } : { ip: spec.ip, geo: { country_iso_code: spec.country } },
    url: spec.query === undefined ? { domain: spec.domain, path: spec.path } : { domain: spec.domain, path: spec.path, query: spec.query },
    http: { request: { method: spec.method ?? 'GET' }, response: { status_code: spec.status, body: { bytes: spec.bytes } } },
    user_agent: { original: spec.userAgent ?? userAgents[0] },
    host: { name: spec.domain },
  };
  if (spec.user !== undefined) event['user'] = { name: spec.user };
  return event;
}

export interface AuthEventSpec {
  timeMs: number;
  orgId: string;
  ip: string;
  host: string;
  user: string;
  outcome: 'success' | 'failure';
  country?: string | undefined;
}

/** An ECS authentication event, as the VNeID/SSO connector sends it. */
export function authEvent(spec: AuthEventSpec): EcsEvent {
  return {
    '@timestamp': isoTime(spec.timeMs),
    event: { kind: 'event', category: ['authentication'], type: ['start'], action: 'sso-login', dataset: 'vneid.sso', outcome: spec.outcome },
    organization: { id: spec.orgId },
    source: spec.country === undefined ? { ip: spec.ip } : { ip: spec.ip, geo: { country_iso_code: spec.country } },
    user: { name: spec.user },
    host: { name: spec.host },
  };
}

/** Epoch ms of a local wall-clock time. */
export function localTimeMs(date: string, hour = 0, minute = 0, utcOffsetMinutes = 420): number {
  return Date.parse(`${date}T00:00:00Z`) + (hour * 60 + minute - utcOffsetMinutes) * minuteMs;
}

/** The event time of a generated event. */
export function eventTimeMs(event: EcsEvent): number {
  return Date.parse(event['@timestamp']);
}
