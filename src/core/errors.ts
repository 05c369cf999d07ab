/**
 * @module core/errors
 * The one registry of error codes. A code is stable and never reused; its message template and
 * HTTP status live here and nowhere else. Every error Vigil raises is a `VigilError` carrying a
 * code and, where it applies, the location of the problem (file and line, sensor and line, field).
 */

export const errorRegistry = {
  // configuration
  VIGIL_ERR_CONFIG: { status: 500, message: 'Configuration is invalid: {detail}' },
  // authentication and authorisation
  VIGIL_ERR_AUTH_REQUIRED: { status: 401, message: 'Authentication required' },
  VIGIL_ERR_AUTH_INVALID: { status: 401, message: 'The token is unknown, expired or revoked' },
  VIGIL_ERR_LOGIN_FAILED: { status: 401, message: 'Wrong username or password' },
  VIGIL_ERR_FORBIDDEN: { status: 403, message: 'Your role ({role}) may not {action}' },
  VIGIL_ERR_OUT_OF_SCOPE: { status: 403, message: 'Organisation {orgId} is outside your scope' },
  VIGIL_ERR_SENSOR_KEY: { status: 401, message: 'Missing or unknown sensor key' },
  VIGIL_ERR_SENSOR_DISABLED: { status: 403, message: 'Sensor {sensorId} is disabled' },
  // ingest requests
  VIGIL_ERR_RATE_LIMITED: { status: 429, message: 'Sensor {sensorId} exceeded its rate limit; retry after {retryAfter}s' },
  VIGIL_ERR_BODY_TOO_LARGE: { status: 413, message: 'Request body exceeds {limit} bytes' },
  VIGIL_ERR_DECOMPRESSED_TOO_LARGE: { status: 413, message: 'Decompressed body exceeds {limit} bytes' },
  VIGIL_ERR_TOO_MANY_EVENTS: { status: 413, message: 'Batch has more than {limit} events' },
  VIGIL_ERR_BAD_ENCODING: { status: 400, message: 'Content-Encoding {encoding} could not be decoded: {detail}' },
  VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Content-Type {type} is not accepted; send application/x-ndjson, application/json or text/plain' },
  VIGIL_ERR_BAD_JSON: { status: 400, message: 'Body is not a JSON array: {detail}' },
  VIGIL_ERR_UNKNOWN_FORMAT: { status: 400, message: 'Unknown format {format}; known: {known}' },
  VIGIL_ERR_IDEMPOTENCY_KEY: { status: 400, message: 'Idempotency-Key must be 1–128 characters of [A-Za-z0-9._:-]' },
  // per-line rejections (reported inside a 202 body, never as the request's status)
  VIGIL_ERR_PARSE: { status: 422, message: '{detail}' },
  VIGIL_ERR_LINE_TOO_LONG: { status: 422, message: 'Line exceeds {limit} bytes' },
  VIGIL_ERR_EVENT_TOO_OLD: { status: 422, message: 'Event time {timestamp} is older than the retention of {days} days' },
  VIGIL_ERR_EVENT_IN_FUTURE: { status: 422, message: 'Event time {timestamp} is more than {seconds}s in the future' },
  VIGIL_ERR_ORG_CLAIM: { status: 422, message: 'Event claims organization.id {claimed}; this sensor writes only for {orgId}' },
  // detection rules
  VIGIL_ERR_SIGMA_RULE: { status: 422, message: '{file}:{line}: {detail}' },
  // general API
  VIGIL_ERR_VALIDATION: { status: 400, message: 'Invalid request: {detail}' },
  VIGIL_ERR_BAD_CURSOR: { status: 400, message: 'The pagination cursor is malformed or from another query' },
  VIGIL_ERR_NOT_FOUND: { status: 404, message: '{what} {id} not found' },
  VIGIL_ERR_CONFLICT: { status: 409, message: '{detail}' },
  VIGIL_ERR_INTERNAL: { status: 500, message: 'Internal error' },
  // TAXII 2.1 (api/taxii.ts)
  VIGIL_ERR_NOT_ACCEPTABLE: { status: 406, message: 'None of the media types in Accept ({accept}) is served here; ask for {type}' },
  VIGIL_ERR_TAXII_MEDIA_TYPE: { status: 415, message: 'Content-Type {type} is not accepted; send {expected}' },
  VIGIL_ERR_TAXII_READ_DENIED: { status: 403, message: 'Collection {id} cannot be read; it only receives objects' },
  VIGIL_ERR_TAXII_WRITE_DENIED: { status: 403, message: 'Collection {id} cannot be written to' },
  VIGIL_ERR_TAXII_REMOTE: { status: 502, message: 'TAXII server {url} answered {status}: {detail}' },
  // intelligence feeds (api/intel-feeds.ts)
  VIGIL_ERR_FEED_READ_ONLY: { status: 409, message: 'Feed {id} is defined in the configuration file (intel.taxii.feeds); change it there' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorRegistry;

/** Where a problem is: a file and line, a sensor and line number, a field of a request. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  sensorId?: string;
  field?: string;
}

export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly location: ErrorLocation | undefined;
  readonly params: Readonly<Record<string, string | number>>;

  constructor(code: ErrorCode, params: Record<string, string | number> = {}, location?: ErrorLocation) {
    super(formatMessage(code, params));
    this.name = 'VigilError';
    this.code = code;
    this.status = errorRegistry[code].status;
    this.params = params;
    this.location = location;
  }

  toJSON(): { code: ErrorCode; message: string; location?: ErrorLocation } {
    return this.location ? { code: this.code, message: this.message, location: this.location } : { code: this.code, message: this.message };
  }
}

/** A configuration problem list: every problem, each with its location, reported together. */
export class ConfigError extends VigilError {
  constructor(readonly problems: readonly { path: string; message: string; line?: number; column?: number }[], file?: string) {
    super('VIGIL_ERR_CONFIG', {
      detail: problems
        .map((p) => `${file ?? '<env>'}${p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : ''} ${p.path}: ${p.message}`)
        .join('\n  '),
    }, file ? { file } : undefined);
    this.name = 'ConfigError';
  }
}

export function formatMessage(code: ErrorCode, params: Record<string, string | number>): string {
  return errorRegistry[code].message.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    return value === undefined ? whole : String(value);
  });
}
