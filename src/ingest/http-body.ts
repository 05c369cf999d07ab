/**
 * @module ingest/http-body
 * Turns an ingest request body into raw records: gzip decoding with a ceiling on the decoded size
 * (a decompression bomb is refused, not inflated), then framing by media type —
 * NDJSON (one JSON value per line), a JSON array, or plain text (one raw line per line).
 * Framing never judges a record: a line that is not valid JSON is passed on as text and its
 * normaliser rejects it with a reason, so one bad line never fails the batch.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { VigilError } from '../core/errors.js';
import type { EcsObject } from '../core/event.js';
import type { RawRecord } from '../parse/normaliser.js';

export type BodyKind = 'ndjson' | 'json' | 'text';

export function bodyKindOf(contentType: string | undefined): BodyKind {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  switch (type) {
    case 'application/x-ndjson':
    case 'application/ndjson':
    case 'application/jsonl':
    case 'application/json-seq':
      return 'ndjson';
    case 'application/json':
      return 'json';
    case 'text/plain':
    case '':
      return 'text';
    default:
      throw new VigilError('VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE', { type });
  }
}

export function decodeBody(body: Buffer, contentEncoding: string | undefined, maxDecodedBytes: number): Buffer {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
    throw new VigilError('VIGIL_ERR_BAD_ENCODING', { encoding, detail: 'only gzip and deflate are accepted' });
  }
  try {
    const options = { maxOutputLength: maxDecodedBytes };
    return encoding === 'deflate' ? inflateSync(body, options) : gunzipSync(body, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new VigilError('VIGIL_ERR_DECOMPRESSED_TOO_LARGE', { limit: maxDecodedBytes });
    throw new VigilError('VIGIL_ERR_BAD_ENCODING', { encoding, detail: (error as Error).message });
  }
}

/** Splits a decoded body into records; blank lines are skipped but keep their line numbers. */
export function splitRecords(body: Buffer, kind: BodyKind, maxEvents: number): RawRecord[] {
  const text = body.toString('utf8');
  if (kind === 'json') return splitJsonArray(text, maxEvents);
  const records: RawRecord[] = [];
  let start = 0;
  let line = 0;
  const length = text.length;
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = length;
    line++;
    let stop = end;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop--; // CRLF
    if (stop > start) {
      let value = text.slice(start, stop);
      if (kind === 'ndjson' && value.charCodeAt(0) === 34 /* " */) value = decodeJsonString(value);
      if (value.trim() !== '') {
        if (records.length >= maxEvents) throw new VigilError('VIGIL_ERR_TOO_MANY_EVENTS', { limit: maxEvents });
        records.push({ text: value, line });
      }
    }
    start = end + 1;
  }
  return records;
}

/** An NDJSON line that is a JSON string carries one raw log line; an invalid one stays as is. */
function decodeJsonString(value: string): string {
  try {
    const decoded: unknown = JSON.parse(value);
    return typeof decoded === 'string' ? decoded : value;
  } catch {
    return value;
  }
}

function splitJsonArray(text: string, maxEvents: number): RawRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new VigilError('VIGIL_ERR_BAD_JSON', { detail: (error as Error).message });
  }
  if (!Array.isArray(parsed)) throw new VigilError('VIGIL_ERR_BAD_JSON', { detail: `found ${typeof parsed}` });
  if (parsed.length > maxEvents) throw new VigilError('VIGIL_ERR_TOO_MANY_EVENTS', { limit: maxEvents });
  const records: RawRecord[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const element: unknown = parsed[i];
    if (typeof element === 'string') records.push({ text: element, line: i + 1 });
    else if (element !== null && typeof element === 'object' && !Array.isArray(element)) {
      records.push({ text: JSON.stringify(element), json: element as EcsObject, line: i + 1 });
    } else records.push({ text: JSON.stringify(element) ?? String(element), line: i + 1 });
  }
  return records;
}
