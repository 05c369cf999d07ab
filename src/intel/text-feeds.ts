/**
 * @module intel/text-feeds
 * The plain feeds most intelligence still comes in: one value per line (IP blocklists, domain and
 * URL lists, hash lists) and CSV with a header. Both are read a line at a time by the caller
 * (intel/importer streams the file), so a million-line list never sits in memory whole.
 *
 * Text lines: blank lines and `#` comment lines are ignored; a ` #` or ` ;` comment after the
 * value is cut (Spamhaus DROP writes `192.0.2.0/24 ; SBL1`); the value is the first word, or the
 * second when the line is a hosts-file entry (`0.0.0.0 bad.example`). A user-agent list keeps the
 * whole line. The type is the caller's, or each line's shape (`detectIndicator`).
 *
 * CSV follows RFC 4180 §2: fields separated by commas, optionally enclosed in double quotes, a
 * quote inside a quoted field written twice, and commas and line breaks allowed inside quotes
 * (a record may then span several lines). The parser is written here rather than taken from a
 * package because none is among the dependencies and the grammar is a few lines. It is lenient
 * where RFC 4180 is strict but producers are not: LF line ends, a quote inside an unquoted field
 * is kept, and records may have differing field counts (a short record is an error for that record).
 */
import type { IndicatorType } from './model.js';
import { indicatorTypes } from './model.js';
import { normaliseIndicator } from './normalise.js';

/** One value of a feed, canonical, or why the line gives none. */
export type FeedEntry =
  | { ok: true; type: IndicatorType; value: string; line: number; firstSeen?: string; comment?: string }
  | { ok: false; line: number; reason: string; skip?: string };

/** The type a value's shape shows, tried in the order that cannot be ambiguous, and its canonical form. */
export function detectIndicator(raw: string): { type: IndicatorType; value: string } | { error: string } {
  const text = raw.trim();
  const attempt = (type: IndicatorType) => {
    const normalised = normaliseIndicator(type, text);
    return 'value' in normalised ? { type, value: normalised.value } : null;
  };
  if (text.includes('://')) return attempt('url') ?? { error: `"${text.slice(0, 200)}" looks like a URL but is not a valid one` };
  if (text.includes('/')) return attempt('cidr') ?? { error: `"${text.slice(0, 200)}" is neither a URL nor a CIDR range` };
  if (/^[0-9.]+$/.test(text)) return attempt('ipv4') ?? { error: `"${text.slice(0, 200)}" is not a valid IPv4 address` };
  if (text.includes(':')) return attempt('ipv6') ?? { error: `"${text.slice(0, 200)}" is not a valid IPv6 address` };
  if (/^[0-9a-f]+$/i.test(text)) {
    const byLength: Readonly<Record<number, IndicatorType>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
    const type = byLength[text.length];
    if (type) return attempt(type) as { type: IndicatorType; value: string };
  }
  if (text.includes('@')) return attempt('email') ?? { error: `"${text.slice(0, 200)}" is not a valid e-mail address` };
  return attempt('domain') ?? { error: `"${text.slice(0, 200)}" is not an IP address, range, URL, hash, e-mail address or domain` };
}

const hostsSinks = new Set(['0.0.0.0', '127.0.0.1', '::', '::1']);

/** The entry of one line of a plain feed, or null for a blank or comment line. */
export function parseTextFeedLine(line: string, lineNo: number, type?: IndicatorType): FeedEntry | null {
  let text = line.trim();
  if (text.length === 0 || text.startsWith('#') || text.startsWith(';') || text.startsWith('//')) return null;
  const comment = /\s[#;]/.exec(text);
  if (comment) text = text.slice(0, comment.index).trim();
  let value = text;
  if (type !== 'user-agent') {
    const words = text.split(/\s+/);
    value = words.length >= 2 && hostsSinks.has(words[0] as string) ? (words[1] as string) : (words[0] as string);
  }
  return entryOf(value, lineNo, type);
}

function entryOf(value: string, lineNo: number, type: IndicatorType | undefined, extra: { firstSeen?: string; comment?: string } = {}): FeedEntry {
  if (type) {
    const normalised = normaliseIndicator(type, value);
    return 'value' in normalised ? { ok: true, type, value: normalised.value, line: lineNo, ...extra } : { ok: false, line: lineNo, reason: normalised.error };
  }
  const detected = detectIndicator(value);
  return 'value' in detected ? { ok: true, ...detected, line: lineNo, ...extra } : { ok: false, line: lineNo, reason: detected.error };
}

/**
 * Incremental RFC 4180 parser: `push` lines (without their line break) and receive the records
 * completed so far. A quoted field that spans lines keeps its line breaks as LF.
 */
export class CsvRecordParser {
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private open = false;
  /** Line number where the record being read started. */
  private startLine = 0;

  constructor(private readonly delimiter = ',') {}

  /** Records completed by this line, each with the line it started on. */
  push(line: string, lineNo: number): { fields: string[]; line: number }[] {
    const done: { fields: string[]; line: number }[] = [];
    if (!this.open) {
      this.startLine = lineNo;
      this.open = true;
    } else {
      this.field += '\n'; // inside a quoted field that spans lines (RFC 4180 §2 rule 6)
    }
    const d = this.delimiter;
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (this.quoted) {
        if (c !== '"') this.field += c;
        else if (line[i + 1] === '"') {
          this.field += '"'; // rule 7: an escaped double quote
          i++;
        } else this.quoted = false;
      } else if (c === d) {
        this.fields.push(this.field);
        this.field = '';
      } else if (c === '"' && this.field.length === 0) {
        this.quoted = true;
      } else {
        this.field += c;
      }
    }
    if (!this.quoted) {
      this.fields.push(this.field);
      done.push({ fields: this.fields, line: this.startLine });
      this.fields = [];
      this.field = '';
      this.open = false;
    }
    return done;
  }

  /** True inside a record that continues on the next line (a quoted field with a line break). */
  get inRecord(): boolean {
    return this.open;
  }

  /** At the end of the input: an error when a quoted field was never closed. */
  end(): { line: number; reason: string } | null {
    return this.open ? { line: this.startLine, reason: 'a quoted field is not closed before the end of the file (RFC 4180 §2)' } : null;
  }
}

export interface CsvFeedOptions {
  /** The column of the value: its header name or 0-based index (default: the first column). */
  valueColumn?: string | number;
  /** A column naming each value's type (Vigil or MISP type names); else `type`, else detection. */
  typeColumn?: string | number;
  firstSeenColumn?: string | number;
  commentColumn?: string | number;
  /** The type of every value (overrides `typeColumn`). */
  type?: IndicatorType;
  delimiter?: string;
}

/** Type names a feed's type column may use: Vigil's own and the MISP attribute types' usual ones. */
const typeAliases: Readonly<Record<string, IndicatorType>> = {
  ip: 'ipv4', 'ip-src': 'ipv4', 'ip-dst': 'ipv4', ipv4: 'ipv4', ipv6: 'ipv6', cidr: 'cidr', domain: 'domain', hostname: 'domain',
  url: 'url', md5: 'md5', sha1: 'sha1', sha256: 'sha256', email: 'email', 'email-src': 'email', 'email-dst': 'email',
  ja3: 'ja3', 'ja3-fingerprint-md5': 'ja3', ja4: 'ja4', 'user-agent': 'user-agent',
};

/**
 * A CSV feed read record by record. The first record that is not a `#` comment line is the header.
 * Throws at the header when a named column is missing.
 */
export class CsvFeedReader {
  private readonly records: CsvRecordParser;
  private columns: { value: number; type: number; firstSeen: number; comment: number } | null = null;

  constructor(private readonly options: CsvFeedOptions = {}) {
    this.records = new CsvRecordParser(options.delimiter ?? ',');
  }

  /** The entries completed by this line (none, one, or an error per bad record). */
  push(line: string, lineNo: number): FeedEntry[] {
    const out: FeedEntry[] = [];
    // `#` comment lines (abuse.ch writes them above and below the records), never inside a record.
    if (!this.records.inRecord && line.trimStart().startsWith('#')) return out;
    for (const record of this.records.push(line, lineNo)) {
      if (!this.columns) {
        this.columns = this.resolveColumns(record.fields);
        continue;
      }
      const entry = this.entry(record.fields, record.line);
      if (entry) out.push(entry);
    }
    return out;
  }

  end(): FeedEntry[] {
    const open = this.records.end();
    return open ? [{ ok: false, ...open }] : [];
  }

  private resolveColumns(header: readonly string[]): { value: number; type: number; firstSeen: number; comment: number } {
    const names = header.map((h) => h.trim().toLowerCase());
    const find = (column: string | number | undefined, fallback: number): number => {
      if (column === undefined) return fallback;
      if (typeof column === 'number') {
        if (!Number.isInteger(column) || column < 0 || column >= header.length) throw new Error(`CSV column ${column} does not exist: the header has ${header.length} columns`);
        return column;
      }
      const index = names.indexOf(column.trim().toLowerCase());
      if (index < 0) throw new Error(`CSV column "${column}" is not in the header (${header.join(', ')})`);
      return index;
    };
    return {
      value: find(this.options.valueColumn, 0),
      type: find(this.options.typeColumn, names.indexOf('type')),
      firstSeen: find(this.options.firstSeenColumn, names.findIndex((n) => n === 'first_seen' || n === 'firstseen' || n === 'dateadded')),
      comment: find(this.options.commentColumn, names.findIndex((n) => n === 'comment' || n === 'description')),
    };
  }

  private entry(fields: readonly string[], lineNo: number): FeedEntry | null {
    const columns = this.columns as { value: number; type: number; firstSeen: number; comment: number };
    if (fields.length === 1 && (fields[0] as string).trim().length === 0) return null;
    const value = fields[columns.value];
    if (value === undefined) return { ok: false, line: lineNo, reason: `the record has ${fields.length} fields; the value column is ${columns.value + 1}` };
    let type = this.options.type;
    if (!type && columns.type >= 0) {
      const named = (fields[columns.type] ?? '').trim().toLowerCase();
      type = typeAliases[named] ?? ((indicatorTypes as readonly string[]).includes(named) ? (named as IndicatorType) : undefined);
      if (!type && named.length > 0) return { ok: false, line: lineNo, reason: `type "${named.slice(0, 64)}" is not one Vigil matches`, skip: `unsupported-type:${named.slice(0, 64)}` };
    }
    if (type === 'ipv4' && value.includes(':')) type = 'ipv6';
    if ((type === 'ipv4' || type === 'ipv6') && value.includes('/')) type = 'cidr';
    const firstSeenText = columns.firstSeen >= 0 ? fields[columns.firstSeen]?.trim() : undefined;
    const millis = firstSeenText ? Date.parse(firstSeenText.includes('T') || !firstSeenText.includes(' ') ? firstSeenText : `${firstSeenText.replace(' ', 'T')}Z`) : NaN;
    const comment = columns.comment >= 0 ? fields[columns.comment]?.trim() : undefined;
    return entryOf(value, lineNo, type, {
      ...(Number.isFinite(millis) ? { firstSeen: new Date(millis).toISOString() } : {}),
      ...(comment ? { comment: comment.slice(0, 1024) } : {}),
    });
  }
}
