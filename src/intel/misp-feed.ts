/**
 * @module intel/misp-feed
 * MISP feeds: a directory or a base URL holding `manifest.json` (event uuid → the event's `info`,
 * `Orgc`, `Tag`, `date`, `timestamp`, `threat_level_id`, `analysis`) and one `<uuid>.json` per
 * event in the MISP core format (`{"Event": …}`, intel/misp). The manifest's `timestamp` is the
 * event's last change (core format §2.2.1.8), so an incremental import reads only the events whose
 * timestamp is after the `since` of the previous run, and returns the new `since`.
 *
 * `since` only advances over events that were all read: if one fails, the returned `since` stops
 * just before it, and the next run reads it (and the ones after it) again — re-importing an
 * event is harmless, since the indicator store refreshes what it already holds.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { request } from 'undici';
import { indicatorsFromMispEvent, mispEventsOf, type ImportProblem, type MispImport, type MispImportOptions } from './misp.js';

export interface MispFeedOptions extends MispImportOptions {
  /** Unix seconds: only events whose manifest timestamp is later are read (default 0: all). */
  since?: number;
  /** Per HTTP request (headers, then body), in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Largest manifest or event file read, in bytes (default 256 MiB). */
  maxBytes?: number;
}

export interface MispFeedResult {
  /** The `since` for the next run: the latest manifest timestamp up to which every event was read. */
  since: number;
  /** Events in the manifest, events read, and events left out as not newer than `since`. */
  listed: number;
  read: number;
  unchanged: number;
  errors: ImportProblem[];
}

export interface MispFeedProgress {
  done: number;
  total: number;
}

/** A manifest key names the event file: it must be a UUID, never a path (`../x`). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/**
 * Reads the feed at `location` (a directory, its `manifest.json`, or an http(s) base URL) and
 * hands each new event's import to `onEvent`, oldest first. Throws when the manifest cannot be read.
 */
export async function readMispFeed(
  location: string,
  options: MispFeedOptions,
  onEvent: (uuid: string, imported: MispImport) => void | Promise<void>,
  onProgress?: (progress: MispFeedProgress) => void,
): Promise<MispFeedResult> {
  const since = options.since ?? 0;
  const base = await feedBase(location);
  const manifest = parseJson(await readFeedFile(base, 'manifest.json', options), 'manifest.json');
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw new Error(`${describe(base)}manifest.json is not a JSON object of event uuid → event summary`);
  const result: MispFeedResult = { since, listed: 0, read: 0, unchanged: 0, errors: [] };
  const fresh: { uuid: string; timestamp: number }[] = [];
  for (const [uuid, entry] of Object.entries(manifest as Record<string, unknown>)) {
    result.listed++;
    const timestamp = Number(typeof entry === 'object' && entry !== null ? (entry as { timestamp?: unknown }).timestamp : undefined);
    if (!UUID.test(uuid)) {
      result.errors.push({ where: `manifest.json ${JSON.stringify(uuid.slice(0, 80))}`, reason: 'the key is not an event UUID' });
      continue;
    }
    if (!Number.isFinite(timestamp)) {
      result.errors.push({ where: `manifest.json ${uuid}`, reason: 'no numeric timestamp' });
      continue;
    }
    if (timestamp <= since) result.unchanged++;
    else fresh.push({ uuid, timestamp });
  }
  fresh.sort((a, b) => a.timestamp - b.timestamp);
  let failed = false;
  onProgress?.({ done: 0, total: fresh.length });
  for (const [index, { uuid, timestamp }] of fresh.entries()) {
    try {
      const events = mispEventsOf(parseJson(await readFeedFile(base, `${uuid}.json`, options), `${uuid}.json`));
      if (!events || events.length === 0) throw new Error(`${uuid}.json holds no MISP event ({"Event": …})`);
      for (const event of events) await onEvent(uuid, indicatorsFromMispEvent(event, options));
      result.read++;
      if (!failed) result.since = Math.max(result.since, timestamp);
    } catch (error) {
      failed = true;
      result.errors.push({ where: `${uuid}.json`, reason: error instanceof Error ? error.message : String(error) });
    }
    onProgress?.({ done: index + 1, total: fresh.length });
  }
  return result;
}

type FeedBase = { url: string } | { dir: string };

async function feedBase(location: string): Promise<FeedBase> {
  if (isUrl(location)) return { url: location.replace(/\/manifest\.json$/i, '').replace(/\/+$/, '') };
  const info = await stat(location).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${location}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`);
  });
  return { dir: info.isDirectory() ? location : dirname(location) };
}

function describe(base: FeedBase): string {
  return 'url' in base ? `${base.url}/` : `${base.dir}/`;
}

async function readFeedFile(base: FeedBase, name: string, options: MispFeedOptions): Promise<string> {
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  if ('dir' in base) {
    const path = join(base.dir, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new Error(`${path} is missing`);
    if (info.size > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`);
    return readFile(path, 'utf8');
  }
  return fetchText(`${base.url}/${name}`, options.timeoutMs ?? 30_000, maxBytes);
}

/** GET `url` as text, with a timeout on headers and body and a size limit. */
export async function fetchText(url: string, timeoutMs: number, maxBytes: number): Promise<string> {
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, headers: { accept: 'application/json, text/plain, */*' } });
  } catch (error) {
    throw new Error(`GET ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new Error(`GET ${url} answered HTTP ${response.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new Error(`GET ${url}: the body is larger than ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    response.body.destroy();
    throw error instanceof Error && error.message.startsWith('GET ') ? error : new Error(`GET ${url} failed while reading: ${error instanceof Error ? error.message : String(error)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(body: string, name: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new Error(`${name} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
