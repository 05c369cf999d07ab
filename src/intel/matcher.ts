/**
 * @module intel/matcher
 * The indicator store's in-memory matcher: which indicators an event's fields hit, at line rate,
 * over a million indicators. Everything an event is looked up in is a hash map or a trie keyed by
 * canonical values (intel/normalise), so the cost of an event depends on its fields, not on how
 * many indicators there are:
 * - IPv4 addresses: a Map from the address as int32 (parsed by hand, no allocation); IPv6: a Map
 *   from RFC 5952 text; IPv4-mapped IPv6 is matched as IPv4 both ways;
 * - CIDR ranges: binary tries (intel/cidr), every range containing the address hits;
 * - domains: a Map, probed for the name and each parent down to two labels, so `a.b.evil.vn`
 *   hits `a.b.evil.vn`, `b.evil.vn` and `evil.vn` (a single label is never an indicator);
 * - URLs: a Map of normalised URLs, probed only when some URL indicator has the event URL's host
 *   (normalising costs more than all the rest); the URL's host is matched as a domain (or IP);
 * - hashes, e-mail addresses, JA3, JA4, user-agents: one Map per type.
 * An indicator lives in one slot of parallel arrays: id, type, canonical value, the instant after
 * which it stops matching — the earlier of `validUntil` and the decay floor (intel/decay), in a
 * Float64Array, so the hot path compares two numbers — and the object itself unless `resolve`
 * supplies it on a hit. Maps hold slots, not indicators (intel/slot-groups). Adding or removing an
 * indicator touches its own keys only; indicators are treated as immutable (to change one, add
 * the new version under the same id).
 *
 * Expiry and decay are judged at the event's `@timestamp` (a replayed old event is matched as of
 * its time), the current time only when it has none. Revoked indicators are not indexed; those on
 * a warning list are refused (`{ warned }`), and a hit whose event value is on a warning list is
 * dropped. Each indicator is reported once per event, on the first field in `fields` order.
 */
import type { EcsEvent } from '../core/event.js';
import { Ipv4PrefixTrie, Ipv6PrefixTrie } from './cidr.js';
import { type DecayPolicy, defaultDecayPolicy, matchableUntil } from './decay.js';
import { type FieldGroup, type MatchedField, compileFieldGroups, defaultMatchedFields } from './event-fields.js';
import { ADDRESS, ANY_HASH, DOMAIN, EMAIL, type FieldVisitor, IP, JA3, JA4, MD5, SHA1, SHA256, URL_KIND, USER_AGENT, walkDefaultFields, walkFieldGroups } from './field-walk.js';
import { NOT_IPV4, formatIPv6, isIPv4Mapped, parseIPv4, parseIPv6, parsePrefix } from './ip.js';
import { type Indicator, type IndicatorType, indicatorTypes } from './model.js';
import { MAX_URL_LENGTH, canonicalHostName, normaliseIndicator, normaliseUrl } from './normalise.js';
import { IntTable, TextTable, fnv1a, fnv1aOffset, fnv1aReverse, fnv1aStep } from './hash-tables.js';
import { SlotGroups } from './slot-groups.js';
import { parseTimestamp } from './timestamp.js';
import { type HostRange, locateUrlHost, urlHost } from './url-host.js';
import type { WarningLists } from './warning-lists.js';

export interface MatchHit {
  indicator: Indicator;
  /** The ECS field that matched (`source.ip`, `url.domain` …). */
  field: string;
  /** The event's value, canonical (lower-cased domain, normalised URL …). */
  value: string;
}

export type AddOutcome = { added: true } | { warned: string } | { error: string } | { revoked: true };

export interface AddSummary {
  added: number;
  revoked: number;
  warned: { id: string; list: string }[];
  errors: { id: string; error: string }[];
}

export interface MatcherOptions {
  /** Lists of values never to alert on (intel/warning-lists); none when absent. */
  warnings?: WarningLists | null;
  decay?: DecayPolicy;
  /** Clock for events without a usable `@timestamp` (ms since the epoch). */
  now?: () => number;
  /** The ECS fields read and how (intel/event-fields). */
  fields?: readonly MatchedField[];
  /**
   * Where hits get their `Indicator` from. Without it the matcher keeps every indicator object it
   * is given (simple; what tests do). With it, the matcher keeps only each indicator's id, type
   * and canonical value, and calls this on a hit (the store's cached lookup by id): a million
   * indicators as loaded from the store take about 700 bytes each as objects, several times what
   * the matcher itself needs (see bench/intel.ts). A hit whose indicator it no longer knows is
   * dropped.
   */
  resolve?: (id: string) => Indicator | undefined;
  /** How many indicators to make room for at once (the store's count), instead of growing step by step. */
  expectedIndicators?: number;
}

/** What `match` counted since the matcher was made (the component counters, see STYLE). */
export interface MatcherCounters {
  events: number;
  hits: number;
  /** Hits dropped because the event's value is on a warning list. */
  suppressed: number;
  /** Candidate hits on indicators past `validUntil` or decayed below the floor at the event's time. */
  expired: number;
  /** Hits dropped because `resolve` did not know the indicator any more. */
  unresolved: number;
}

/** Longer than this (RFC 1035 §2.3.4 plus a trailing dot), no host name can be an indicator. */
const MAX_HOST_LENGTH = 254;

type TextType = Exclude<IndicatorType, 'ipv4' | 'ipv6' | 'cidr'>;

/** Where an indicator is indexed, derived from its type and canonical value. */
type IndexKey =
  | { table: 'ipv4'; addr: number }
  | { table: 'ipv6'; text: string }
  | { table: 'cidr4'; net: number; len: number }
  | { table: 'cidr6'; words: Int32Array; len: number }
  | { table: TextType; text: string };

const keyWords = new Int32Array(4);

function indexKeyOf(type: IndicatorType, canonical: string): IndexKey | null {
  switch (type) {
    case 'ipv4': {
      const addr = parseIPv4(canonical, true);
      return addr === NOT_IPV4 ? null : { table: 'ipv4', addr };
    }
    case 'ipv6':
      if (!parseIPv6(canonical, keyWords)) return null;
      return isIPv4Mapped(keyWords) ? { table: 'ipv4', addr: keyWords[3] as number } : { table: 'ipv6', text: canonical };
    case 'cidr': {
      const prefix = parsePrefix(canonical);
      if ('error' in prefix) return null;
      if (prefix.version === 4) return { table: 'cidr4', net: prefix.net, len: prefix.len };
      // `::ffff:0:0/96` and longer are IPv4 ranges written as IPv6 (RFC 4291 §2.5.5.2).
      if (isIPv4Mapped(prefix.words) && prefix.len >= 96) return { table: 'cidr4', net: prefix.words[3] as number, len: prefix.len - 96 };
      return { table: 'cidr6', words: prefix.words, len: prefix.len };
    }
    default:
      return { table: type, text: canonical };
  }
}

/**
 * Whether a host field holds an address (`source.address` may; `url.domain` may be an IP
 * literal): a host name never ends in a digit (RFC 3696 §2), and an IPv6 literal has a colon and
 * ends in a hex digit or a colon — checked only then, as most names end in other letters.
 */
function looksLikeAddress(value: string): boolean {
  const last = value.charCodeAt(value.length - 1) | 0x20;
  if (last >= 48 && last <= 57) return true;
  return (last === 58 || (last >= 97 && last <= 102)) && value.indexOf(':') !== -1;
}

/** Lower-cases ASCII only when there is something to lower-case (hashes usually arrive lower-case). */
function asciiLower(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return text.toLowerCase();
  }
  return text;
}

export class IndicatorMatcher {
  readonly counters: MatcherCounters = { events: 0, hits: 0, suppressed: 0, expired: 0, unresolved: 0 };
  private readonly warnings: WarningLists | null;
  private readonly decay: DecayPolicy;
  private readonly now: () => number;
  /** The compiled field list, or null for the default one (walked by `walkDefaultFields`). */
  private readonly groups: readonly FieldGroup[] | null;
  private readonly visitor: FieldVisitor = { visit: (kind, field, value) => this.visit(kind, field, value) };

  // Slots: what an indicator needs to be matched, found again and removed, in parallel arrays.
  private ids: (string | undefined)[] = [];
  /** Canonical values (the map keys are the same strings). */
  private values: string[] = [];
  /** Index in model `indicatorTypes`. */
  private types = new Uint8Array(1024);
  /** The indicator objects, unless `resolve` gives them on demand. */
  private objects: (Indicator | undefined)[] | null;
  private readonly resolve: ((id: string) => Indicator | undefined) | null;
  /** The last instant (epoch ms) each indicator matches: validUntil and decay (intel/decay). */
  private deadline = new Float64Array(1024);
  private seen = new Uint32Array(1024);
  private freeSlots: number[] = [];
  private readonly slotById = new TextTable();
  private slotGroups = new SlotGroups();

  // Indexes: canonical value → slot code (intel/slot-groups).
  private readonly ipv4 = new IntTable();
  private readonly ipv6 = new TextTable();
  private readonly cidr4 = new Ipv4PrefixTrie();
  private readonly cidr6 = new Ipv6PrefixTrie();
  /** Hashed backwards, so that a name's parents are looked up by hashes taken in one scan. */
  private readonly domains = new TextTable(fnv1aReverse);
  private readonly urls = new TextTable();
  /** Hosts of URL indicators → how many: an event URL is normalised only when its host is here. */
  private readonly urlHosts = new TextTable(fnv1aReverse);
  private readonly md5 = new TextTable();
  private readonly sha1 = new TextTable();
  private readonly sha256 = new TextTable();
  private readonly emails = new TextTable();
  private readonly ja3 = new TextTable();
  private readonly ja4 = new TextTable();
  /** With the sampled-hash prefilter: every event has a long user-agent, nearly none is an indicator. */
  private readonly userAgents = new TextTable(fnv1a, true);

  // State of the current `match` call.
  private generation = 0;
  private hits: MatchHit[] | null = null;
  private event: EcsEvent | null = null;
  private eventMs = NaN;
  private lastDomain = '';
  private lastDomainHash = 0;
  private nameText = '';
  private nameStart = 0;
  private nameEnd = 0;
  private nameHash = 0;
  private readonly hostRange: HostRange = { text: '', start: 0, end: 0, ipv6: false };
  private readonly found4 = new Int32Array(33);
  private readonly found6 = new Int32Array(129);
  private readonly words = new Int32Array(4);

  constructor(indicators: Iterable<Indicator> = [], options: MatcherOptions = {}) {
    this.warnings = options.warnings ?? null;
    this.decay = options.decay ?? defaultDecayPolicy;
    this.now = options.now ?? Date.now;
    const fields = options.fields ?? defaultMatchedFields;
    const compiled = compileFieldGroups(fields);
    this.groups = fields === defaultMatchedFields ? null : compiled;
    this.resolve = options.resolve ?? null;
    this.objects = this.resolve === null ? [] : null;
    this.reserve(Math.max(options.expectedIndicators ?? 0, Array.isArray(indicators) ? indicators.length : 0));
    this.addAll(indicators);
  }

  /** Indicators indexed (not counting refused, revoked or invalid ones). */
  get size(): number {
    return this.slotById.size;
  }

  has(id: string): boolean {
    return this.slotById.get(id) !== undefined;
  }

  /**
   * Indexes an indicator, replacing the one with the same id. A revoked one only removes its
   * predecessor; one on a warning list or with an invalid value is not indexed and says why.
   */
  add(indicator: Indicator): AddOutcome {
    const previous = this.slotById.get(indicator.id);
    if (previous !== undefined) this.removeSlot(previous);
    if (indicator.revoked) return { revoked: true };
    const normalised = normaliseIndicator(indicator.type, indicator.value);
    if ('error' in normalised) return { error: normalised.error };
    // Share the indicator's own string when it is already canonical (it should be: model.ts).
    const canonical = normalised.value === indicator.value ? indicator.value : normalised.value;
    const listed = this.warnings?.check(indicator.type, canonical) ?? null;
    if (listed !== null) return { warned: listed };
    const validUntil = indicator.validUntil === null ? Infinity : parseTimestamp(indicator.validUntil);
    if (Number.isNaN(validUntil)) return { error: `validUntil "${indicator.validUntil}" is not a timestamp` };
    const key = indexKeyOf(indicator.type, canonical);
    if (key === null) return { error: `"${canonical}" could not be indexed as ${indicator.type}` };
    const slot = this.allocateSlot();
    this.ids[slot] = indicator.id;
    this.values[slot] = canonical;
    this.types[slot] = indicatorTypes.indexOf(indicator.type);
    if (this.objects !== null) this.objects[slot] = indicator;
    this.deadline[slot] = Math.min(validUntil, matchableUntil(indicator, this.decay));
    this.insertKey(key, slot);
    this.slotById.set(indicator.id, slot);
    return { added: true };
  }

  /** Adds (or replaces) many; what was refused, with why. */
  addAll(indicators: Iterable<Indicator>): AddSummary {
    const summary: AddSummary = { added: 0, revoked: 0, warned: [], errors: [] };
    for (const indicator of indicators) {
      const outcome = this.add(indicator);
      if ('added' in outcome) summary.added++;
      else if ('revoked' in outcome) summary.revoked++;
      else if ('warned' in outcome) summary.warned.push({ id: indicator.id, list: outcome.warned });
      else summary.errors.push({ id: indicator.id, error: outcome.error });
    }
    return summary;
  }

  /** Removes an indicator by id; false when it was not indexed. */
  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    this.removeSlot(slot);
    return true;
  }

  /** Replaces every indicator (a full reload from the store). */
  replaceAll(indicators: Iterable<Indicator>): AddSummary {
    this.ids = [];
    this.values = [];
    this.types = new Uint8Array(1024);
    if (this.objects !== null) this.objects = [];
    this.deadline = new Float64Array(1024);
    this.seen = new Uint32Array(1024);
    this.freeSlots = [];
    this.slotById.clear();
    this.slotGroups.clear();
    this.ipv4.clear();
    this.ipv6.clear();
    this.cidr4.clear();
    this.cidr6.clear();
    for (const table of ['domain', 'url', 'md5', 'sha1', 'sha256', 'email', 'ja3', 'ja4', 'user-agent'] as const) this.tableOf(table).clear();
    this.urlHosts.clear();
    this.generation = 0;
    return this.addAll(indicators);
  }

  /** The indicators the event hits, each once. Never throws, whatever the event holds. */
  match(event: EcsEvent): MatchHit[] {
    this.counters.events++;
    if (event === null || typeof event !== 'object' || this.slotById.size === 0) return [];
    if (this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.generation = 0;
    }
    this.generation++;
    this.event = event;
    this.eventMs = NaN;
    this.lastDomain = '';
    this.lastDomainHash = 0;
    try {
      if (this.groups === null) walkDefaultFields(event, this.visitor);
      else walkFieldGroups(event, this.groups, this.visitor);
    } catch {
      // Only a hostile object (a throwing getter, a proxy) gets here; what was found stands.
    }
    const hits = this.hits;
    this.hits = null;
    this.event = null;
    if (hits === null) return [];
    this.counters.hits += hits.length;
    return hits;
  }

  private visit(kind: number, field: string, value: string): void {
    switch (kind) {
      case IP:
        this.matchIp(field, value);
        return;
      case ADDRESS:
      case DOMAIN:
        if (looksLikeAddress(value)) this.matchIp(field, value);
        else this.matchDomain(field, value);
        return;
      case URL_KIND:
        this.matchUrl(field, value);
        return;
      case MD5:
        if (value.length === 32 && this.md5.size > 0) this.matchText(this.md5, field, asciiLower(value), 'md5');
        return;
      case SHA1:
        if (value.length === 40 && this.sha1.size > 0) this.matchText(this.sha1, field, asciiLower(value), 'sha1');
        return;
      case SHA256:
        if (value.length === 64 && this.sha256.size > 0) this.matchText(this.sha256, field, asciiLower(value), 'sha256');
        return;
      case ANY_HASH:
        // ECS `related.hash` holds every hash of the event, JA3 included: tell them by length.
        if (value.length === 32) {
          const lower = asciiLower(value);
          if (this.md5.size > 0) this.matchText(this.md5, field, lower, 'md5');
          if (this.ja3.size > 0) this.matchText(this.ja3, field, lower, 'ja3');
        } else if (value.length === 40) this.visit(SHA1, field, value);
        else if (value.length === 64) this.visit(SHA256, field, value);
        return;
      case EMAIL:
        if (this.emails.size > 0) this.matchEmail(field, value);
        return;
      case JA3:
        if (value.length === 32 && this.ja3.size > 0) this.matchText(this.ja3, field, asciiLower(value), 'ja3');
        return;
      case JA4:
        if (value.length === 36 && this.ja4.size > 0) this.matchText(this.ja4, field, asciiLower(value), 'ja4');
        return;
      case USER_AGENT:
        if (this.userAgents.size > 0) this.matchText(this.userAgents, field, value.trim(), 'user-agent');
        return;
      default:
        return;
    }
  }

  private matchIp(field: string, text: string): void {
    const v4 = parseIPv4(text, false);
    if (v4 !== NOT_IPV4) {
      this.matchIPv4(field, text, v4);
      return;
    }
    if (text.length < 2 || text.length > 64 || text.indexOf(':') === -1) return;
    const words = this.words;
    if (!parseIPv6(text, words)) {
      // A zone index (`fe80::1%eth0`) names an interface; the address is what can match.
      const zone = text.indexOf('%');
      if (zone === -1 || !parseIPv6(text, words, 0, zone)) return;
    }
    if (isIPv4Mapped(words)) {
      this.matchIPv4(field, text, words[3] as number);
      return;
    }
    if (this.ipv6.size > 0) {
      const canonical = formatIPv6(words);
      const code = this.ipv6.get(canonical);
      if (code !== undefined) this.hitCode(code, field, canonical, 'ipv6');
    }
    if (this.cidr6.size > 0) {
      const found = this.cidr6.collect(words, this.found6);
      for (let k = 0; k < found; k++) this.hitCode(this.found6[k] as number, field, text, 'ipv6');
    }
  }

  private matchIPv4(field: string, text: string, addr: number): void {
    if (this.ipv4.size > 0) {
      const code = this.ipv4.get(addr);
      if (code !== undefined) this.hitCode(code, field, text, 'ipv4');
    }
    if (this.cidr4.size > 0) {
      const found = this.cidr4.collect(addr, this.found4);
      for (let k = 0; k < found; k++) this.hitCode(this.found4[k] as number, field, text, 'ipv4');
    }
  }

  private matchDomain(field: string, raw: string): void {
    if (this.domains.size === 0 || raw.length === 0 || raw.length > MAX_HOST_LENGTH) return;
    this.scanDomain(field, raw, 0, raw.length);
  }

  /**
   * Matches the host name `text[start, end)` and each parent with at least two labels, in one
   * backward scan: the running `fnv1aReverse` hash at each dot is the hash of the suffix after
   * it, looked up in place (`TextTable.getRange`), so no substring is made unless something is
   * found. A name with upper-case or non-ASCII letters is canonicalised and scanned again (the
   * suffixes already looked up were lower-case ASCII, and a repeated hit is reported once).
   * Leaves the canonical name's range and whole hash in `name*` (for the URL hosts).
   */
  private scanDomain(field: string, text: string, start: number, rawEnd: number, canonical = false): void {
    const end = rawEnd > start && text.charCodeAt(rawEnd - 1) === 46 ? rawEnd - 1 : rawEnd;
    this.nameText = text;
    this.nameStart = start;
    this.nameEnd = end;
    // `url.domain` and the host of `url.original` are usually the same name: look it up once.
    const last = this.lastDomain;
    if (last.length === end - start && last.length > 0 && text.startsWith(last, start)) {
      this.nameHash = this.lastDomainHash;
      return;
    }
    const domains = this.domains.size > 0 ? this.domains : null;
    let hash = fnv1aOffset;
    let dots = 0;
    for (let i = end - 1; i >= start; i--) {
      const c = text.charCodeAt(i);
      if (c === 46) {
        if (domains !== null && dots > 0) {
          const code = domains.getRange(hash, text, i + 1, end);
          if (code !== undefined) this.hitCode(code, field, this.nameValue(), 'domain');
        }
        dots++;
      } else if (!canonical && ((c >= 65 && c <= 90) || c > 127)) {
        const name = canonicalHostName(text.slice(start, rawEnd));
        this.scanDomain(field, name, 0, name.length, true);
        return;
      }
      hash = fnv1aStep(hash, c);
    }
    if (domains !== null && dots > 0) {
      const code = domains.getRange(hash, text, start, end);
      if (code !== undefined) this.hitCode(code, field, this.nameValue(), 'domain');
    }
    this.nameHash = hash;
    if (start === 0 && end === text.length) {
      this.lastDomain = text;
      this.lastDomainHash = hash;
    }
  }

  /** The name `scanDomain` is on, as a string (only made for a hit). */
  private nameValue(): string {
    const { nameText, nameStart, nameEnd } = this;
    return nameStart === 0 && nameEnd === nameText.length ? nameText : nameText.slice(nameStart, nameEnd);
  }

  private matchUrl(field: string, raw: string): void {
    const range = this.hostRange;
    if (raw.length === 0 || !locateUrlHost(raw, range)) return;
    let text = range.text;
    let start = range.start;
    let end = range.end;
    if (end - start > MAX_HOST_LENGTH) return;
    const urls = this.urls.size > 0;
    let hash: number;
    const last = text.charCodeAt(end - 1);
    if (range.ipv6 || (last >= 48 && last <= 57)) {
      text = start === 0 && end === text.length ? text : text.slice(start, end);
      this.matchIp(field, text);
      if (!urls) return;
      start = 0;
      end = text.length;
      hash = fnv1aReverse(text);
    } else {
      if (!urls && this.domains.size === 0) return;
      this.scanDomain(field, text, start, end);
      text = this.nameText;
      start = this.nameStart;
      end = this.nameEnd;
      hash = this.nameHash;
    }
    // Normalising the URL costs more than the rest of the event: only when a URL indicator has this host.
    if (urls && raw.length <= MAX_URL_LENGTH && this.urlHosts.getRange(hash, text, start, end) !== undefined) {
      const normalised = normaliseUrl(raw.trim());
      if ('value' in normalised) {
        const code = this.urls.get(normalised.value);
        if (code !== undefined) this.hitCode(code, field, normalised.value, 'url');
      }
    }
  }

  private matchEmail(field: string, raw: string): void {
    const at = raw.lastIndexOf('@');
    if (at <= 0 || raw.length > 320) return;
    const domain = raw.slice(at + 1);
    const canonical = canonicalHostName(domain);
    const address = canonical === domain ? raw : `${raw.slice(0, at)}@${canonical}`;
    this.matchText(this.emails, field, address.trim(), 'email');
  }

  private matchText(table: TextTable, field: string, value: string, type: IndicatorType): void {
    const code = table.get(value);
    if (code !== undefined) this.hitCode(code, field, value, type);
  }

  private hitCode(code: number, field: string, value: string, type: IndicatorType): void {
    if (code >= 0) {
      this.hitSlot(code, field, value, type);
      return;
    }
    const members = this.slotGroups.members(code);
    for (let k = 0; k < members.length; k++) this.hitSlot(members[k] as number, field, value, type);
  }

  private hitSlot(slot: number, field: string, value: string, type: IndicatorType): void {
    if (this.seen[slot] === this.generation) return;
    const id = this.ids[slot];
    if (id === undefined) return;
    if (this.eventTime() > (this.deadline[slot] as number)) {
      this.counters.expired++;
      return;
    }
    // The value, not the indicator, decides: another field's value may still hit this indicator.
    if (this.warnings !== null && this.warnings.check(type, value) !== null) {
      this.counters.suppressed++;
      return;
    }
    const indicator = this.objects !== null ? this.objects[slot] : (this.resolve as (id: string) => Indicator | undefined)(id);
    if (indicator === undefined) {
      this.counters.unresolved++;
      return;
    }
    this.seen[slot] = this.generation;
    (this.hits ??= []).push({ indicator, field, value });
  }

  /** The event's `@timestamp` in ms, parsed once and only when a candidate hit needs it. */
  private eventTime(): number {
    if (Number.isNaN(this.eventMs)) {
      const stamp = this.event?.['@timestamp'];
      const parsed = typeof stamp === 'string' ? parseTimestamp(stamp) : NaN;
      this.eventMs = Number.isNaN(parsed) ? this.now() : parsed;
    }
    return this.eventMs;
  }

  private tableOf(type: TextType): TextTable {
    switch (type) {
      case 'domain':
        return this.domains;
      case 'url':
        return this.urls;
      case 'md5':
        return this.md5;
      case 'sha1':
        return this.sha1;
      case 'sha256':
        return this.sha256;
      case 'email':
        return this.emails;
      case 'ja3':
        return this.ja3;
      case 'ja4':
        return this.ja4;
      case 'user-agent':
        return this.userAgents;
    }
  }

  private insertKey(key: IndexKey, slot: number): void {
    const groups = this.slotGroups;
    switch (key.table) {
      case 'ipv4':
        this.ipv4.set(key.addr, groups.add(this.ipv4.get(key.addr), slot));
        return;
      case 'ipv6':
        this.ipv6.set(key.text, groups.add(this.ipv6.get(key.text), slot));
        return;
      case 'cidr4':
        this.cidr4.set(key.net, key.len, groups.add(this.cidr4.get(key.net, key.len), slot));
        return;
      case 'cidr6':
        this.cidr6.set(key.words, key.len, groups.add(this.cidr6.get(key.words, key.len), slot));
        return;
      default: {
        const table = this.tableOf(key.table);
        const existing = table.get(key.text);
        table.set(key.text, groups.add(existing, slot));
        if (key.table === 'url' && existing === undefined) {
          const host = urlHost(key.text);
          this.urlHosts.set(host, (this.urlHosts.get(host) ?? 0) + 1);
        }
      }
    }
  }

  private deleteKey(key: IndexKey, slot: number): void {
    const groups = this.slotGroups;
    switch (key.table) {
      case 'ipv4': {
        const code = this.ipv4.get(key.addr);
        if (code === undefined) return;
        const rest = groups.remove(code, slot);
        if (rest === undefined) this.ipv4.delete(key.addr);
        else this.ipv4.set(key.addr, rest);
        return;
      }
      case 'ipv6':
        this.deleteText(this.ipv6, key.text, slot);
        return;
      case 'cidr4': {
        const code = this.cidr4.get(key.net, key.len);
        if (code === undefined) return;
        const rest = groups.remove(code, slot);
        if (rest === undefined) this.cidr4.delete(key.net, key.len);
        else this.cidr4.set(key.net, key.len, rest);
        return;
      }
      case 'cidr6': {
        const code = this.cidr6.get(key.words, key.len);
        if (code === undefined) return;
        const rest = groups.remove(code, slot);
        if (rest === undefined) this.cidr6.delete(key.words, key.len);
        else this.cidr6.set(key.words, key.len, rest);
        return;
      }
      default:
        if (this.deleteText(this.tableOf(key.table), key.text, slot) && key.table === 'url') {
          const host = urlHost(key.text);
          const count = (this.urlHosts.get(host) ?? 1) - 1;
          if (count <= 0) this.urlHosts.delete(host);
          else this.urlHosts.set(host, count);
        }
    }
  }

  /** Removes `slot` under `text`; true when no slot is left there. */
  private deleteText(table: TextTable, text: string, slot: number): boolean {
    const code = table.get(text);
    if (code === undefined) return false;
    const rest = this.slotGroups.remove(code, slot);
    if (rest !== undefined) {
      table.set(text, rest);
      return false;
    }
    table.delete(text);
    return true;
  }

  /** Room for `count` indicators in the slot arrays and the id table. */
  private reserve(count: number): void {
    if (count <= this.deadline.length) return;
    this.slotById.reserve(count);
    this.growSlots(count);
  }

  private growSlots(capacity: number): void {
    const deadline = new Float64Array(capacity);
    deadline.set(this.deadline);
    this.deadline = deadline;
    const seen = new Uint32Array(capacity);
    seen.set(this.seen);
    this.seen = seen;
    const types = new Uint8Array(capacity);
    types.set(this.types);
    this.types = types;
  }

  private allocateSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.ids.length;
    this.ids.push(undefined);
    this.values.push('');
    this.objects?.push(undefined);
    if (slot === this.deadline.length) this.growSlots(slot * 2);
    return slot;
  }

  private removeSlot(slot: number): void {
    const id = this.ids[slot];
    if (id === undefined) return;
    const key = indexKeyOf(indicatorTypes[this.types[slot] as number] as IndicatorType, this.values[slot] as string);
    if (key !== null) this.deleteKey(key, slot);
    this.ids[slot] = undefined;
    this.values[slot] = '';
    if (this.objects !== null) this.objects[slot] = undefined;
    this.deadline[slot] = -Infinity;
    this.slotById.delete(id);
    this.freeSlots.push(slot);
  }
}
