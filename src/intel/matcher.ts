/**
 * @module intel/matcher
 * The indicator store's in-memory matcher: which indicators an event's fields hit, at line rate,
 * over a million indicators. Every value is looked up in a table keyed by canonical values
 * (intel/indicator-index), so the cost of an event depends on its fields, not on how many
 * indicators there are:
 * - IP addresses (IPv4 parsed by hand to an int32, no allocation; IPv4-mapped IPv6 matched as
 *   IPv4 both ways) against exact addresses and every CIDR range containing them;
 * - host names against domain indicators: the name and each parent down to two labels, so
 *   `a.b.evil.vn` hits `a.b.evil.vn`, `b.evil.vn` and `evil.vn` (a single label is never an
 *   indicator), in one backward scan without making substrings;
 * - URLs: the host as a domain (or IP), and the normalised URL, normalised only when some URL
 *   indicator has that host (normalising costs more than all the rest);
 * - hashes, e-mail addresses, JA3, JA4, user-agents: one table per type.
 * An indicator lives in one slot of parallel arrays: id, type, canonical value, the instant after
 * which it stops matching — the earlier of `validUntil` and the decay floor (intel/decay), in a
 * Float64Array, so the hot path compares two numbers — and the object itself unless `resolve`
 * supplies it on a hit. Adding or removing an indicator touches its own keys only; indicators are
 * treated as immutable (to change one, add the new version under the same id).
 *
 * Expiry and decay are judged at the event's `@timestamp` (a replayed old event is matched as of
 * its time), the current time only when it has none. Revoked indicators are not indexed; those on
 * a warning list are refused (`{ warned }`), and a hit whose event value is on a warning list is
 * dropped. Each indicator is reported once per event, on the first field in `fields` order.
 */
import type { EcsEvent } from '../core/event.js';
import { type DecayPolicy, defaultDecayPolicy, matchableUntil } from './decay.js';
import { type FieldGroup, type MatchedField, compileFieldGroups, defaultMatchedFields } from './event-fields.js';
import { ADDRESS, ANY_HASH, DOMAIN, EMAIL, type FieldVisitor, IP, JA3, JA4, MD5, SHA1, SHA256, URL_KIND, USER_AGENT, walkDefaultFields, walkFieldGroups } from './field-walk.js';
import { IndicatorIndex } from './indicator-index.js';
import { NOT_IPV4, formatIPv6, isIPv4Mapped, parseIPv4, parseIPv6 } from './ip.js';
import { IndicatorSlots } from './indicator-slots.js';
import type { Indicator, IndicatorType } from './model.js';
import { MAX_URL_LENGTH, canonicalHostName, normaliseIndicator, normaliseUrl } from './normalise.js';
import { TextTable, fnv1aOffset, fnv1aReverse, fnv1aStep } from './hash-tables.js';
import { parseTimestamp } from './timestamp.js';
import { type HostRange, locateUrlHost } from './url-host.js';
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

export class IndicatorMatcher implements FieldVisitor {
  readonly counters: MatcherCounters = { events: 0, hits: 0, suppressed: 0, expired: 0, unresolved: 0 };
  private readonly warnings: WarningLists | null;
  private readonly decay: DecayPolicy;
  private readonly now: () => number;
  /** The compiled field list, or null for the default one (walked by `walkDefaultFields`). */
  private readonly groups: readonly FieldGroup[] | null;

  private readonly slots: IndicatorSlots;
  private readonly resolve: ((id: string) => Indicator | undefined) | null;
  private readonly slotById = new TextTable();
  /** Canonical value → slot code, per kind (intel/indicator-index). */
  private readonly index = new IndicatorIndex();

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
    this.slots = new IndicatorSlots(this.resolve === null);
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
    const slot = this.slots.allocate(indicator, canonical, Math.min(validUntil, matchableUntil(indicator, this.decay)));
    if (!this.index.insert(indicator.type, canonical, slot)) {
      this.slots.release(slot);
      return { error: `"${canonical}" could not be indexed as ${indicator.type}` };
    }
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
    this.slots.clear();
    this.slotById.clear();
    this.index.clear();
    this.generation = 0;
    if (Array.isArray(indicators)) this.reserve(indicators.length);
    return this.addAll(indicators);
  }

  /** The indicators the event hits, each once. Never throws, whatever the event holds. */
  match(event: EcsEvent): MatchHit[] {
    this.counters.events++;
    if (event === null || typeof event !== 'object' || this.slotById.size === 0) return [];
    if (this.generation === 0xffffffff) {
      this.slots.seen.fill(0);
      this.generation = 0;
    }
    this.generation++;
    this.event = event;
    this.eventMs = NaN;
    this.lastDomain = '';
    this.lastDomainHash = 0;
    try {
      // The matcher is the walk's visitor itself: a closure in between cost ~10% (bench/intel.ts).
      if (this.groups === null) walkDefaultFields(event, this);
      else walkFieldGroups(event, this.groups, this);
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

  /**
   * The field walk's callback (intel/field-walk `FieldVisitor`), during `match` only: called at
   * any other time it does nothing.
   */
  visit(kind: number, field: string, value: string): void {
    if (this.event === null) return;
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
        if (value.length === 32) this.matchHex(this.index.md5, field, value, 'md5');
        return;
      case SHA1:
        if (value.length === 40) this.matchHex(this.index.sha1, field, value, 'sha1');
        return;
      case SHA256:
        if (value.length === 64) this.matchHex(this.index.sha256, field, value, 'sha256');
        return;
      case ANY_HASH:
        // ECS `related.hash` holds every hash of the event, JA3 included: tell them by length.
        if (value.length === 32) {
          this.matchHex(this.index.md5, field, value, 'md5');
          this.matchHex(this.index.ja3, field, value, 'ja3');
        } else if (value.length === 40) this.matchHex(this.index.sha1, field, value, 'sha1');
        else if (value.length === 64) this.matchHex(this.index.sha256, field, value, 'sha256');
        return;
      case EMAIL:
        if (this.index.emails.size > 0) this.matchEmail(field, value);
        return;
      case JA3:
        if (value.length === 32) this.matchHex(this.index.ja3, field, value, 'ja3');
        return;
      case JA4:
        if (value.length === 36) this.matchHex(this.index.ja4, field, value, 'ja4');
        return;
      case USER_AGENT:
        if (this.index.userAgents.size > 0) this.matchText(this.index.userAgents, field, value.trim(), 'user-agent');
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
    if (this.index.ipv6.size > 0) {
      const canonical = formatIPv6(words);
      const code = this.index.ipv6.get(canonical);
      if (code !== undefined) this.hitCode(code, field, canonical, 'ipv6');
    }
    if (this.index.cidr6.size > 0) {
      const found = this.index.cidr6.collect(words, this.found6);
      for (let k = 0; k < found; k++) this.hitCode(this.found6[k] as number, field, text, 'ipv6');
    }
  }

  private matchIPv4(field: string, text: string, addr: number): void {
    if (this.index.ipv4.size > 0) {
      const code = this.index.ipv4.get(addr);
      if (code !== undefined) this.hitCode(code, field, text, 'ipv4');
    }
    if (this.index.cidr4.size > 0) {
      const found = this.index.cidr4.collect(addr, this.found4);
      for (let k = 0; k < found; k++) this.hitCode(this.found4[k] as number, field, text, 'ipv4');
    }
  }

  private matchDomain(field: string, raw: string): void {
    if (this.index.domains.size === 0 || raw.length === 0 || raw.length > MAX_HOST_LENGTH) return;
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
    const domains = this.index.domains.size > 0 ? this.index.domains : null;
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
    if (raw.length === 0) return;
    const urls = this.index.urls.size > 0;
    let text: string;
    let start: number;
    let end: number;
    let hash: number;
    if (this.hostIsLastDomain(raw)) {
      // The host is the name just matched as `url.domain`: only the URL itself is left.
      if (!urls) return;
      text = this.lastDomain;
      start = 0;
      end = text.length;
      hash = this.lastDomainHash;
    } else {
      const range = this.hostRange;
      if (!locateUrlHost(raw, range)) return;
      text = range.text;
      start = range.start;
      end = range.end;
      if (end - start > MAX_HOST_LENGTH) return;
      const last = text.charCodeAt(end - 1);
      if (range.ipv6 || (last >= 48 && last <= 57)) {
        text = start === 0 && end === text.length ? text : text.slice(start, end);
        this.matchIp(field, text);
        if (!urls) return;
        start = 0;
        end = text.length;
        hash = fnv1aReverse(text);
      } else {
        if (!urls && this.index.domains.size === 0) return;
        this.scanDomain(field, text, start, end);
        text = this.nameText;
        start = this.nameStart;
        end = this.nameEnd;
        hash = this.nameHash;
      }
    }
    // Normalising the URL costs more than the rest of the event: only when a URL indicator has this host.
    if (urls && raw.length <= MAX_URL_LENGTH && this.index.urlHosts.getRange(hash, text, start, end) !== undefined) {
      const normalised = normaliseUrl(raw.trim());
      if ('value' in normalised) {
        const code = this.index.urls.get(normalised.value);
        if (code !== undefined) this.hitCode(code, field, normalised.value, 'url');
      }
    }
  }

  /**
   * Whether `raw` is `http://` or `https://`, then the name `scanDomain` last matched as a whole
   * field (normally `url.domain`), then a path, query or fragment or nothing. A port or anything
   * else after the name (`evil.vn:x@other.vn`: userinfo!) takes the full reading.
   */
  private hostIsLastDomain(raw: string): boolean {
    const last = this.lastDomain;
    if (last.length === 0) return false;
    const at = raw.startsWith('https://') ? 8 : raw.startsWith('http://') ? 7 : 0;
    if (at === 0 || !raw.startsWith(last, at)) return false;
    const after = at + last.length;
    if (after === raw.length) return true;
    const c = raw.charCodeAt(after);
    return c === 47 || c === 63 || c === 35 || c === 92; // / ? # \
  }

  private matchEmail(field: string, raw: string): void {
    const at = raw.lastIndexOf('@');
    if (at <= 0 || raw.length > 320) return;
    const domain = raw.slice(at + 1);
    const canonical = canonicalHostName(domain);
    const address = canonical === domain ? raw : `${raw.slice(0, at)}@${canonical}`;
    this.matchText(this.index.emails, field, address.trim(), 'email');
  }

  /** A value canonical up to ASCII case (hashes, JA3/JA4): tested by the sampled filter first. */
  private matchHex(table: TextTable, field: string, value: string, type: IndicatorType): void {
    if (table.size === 0 || !table.mightContain(value)) return;
    this.matchText(table, field, asciiLower(value), type);
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
    const members = this.index.groups.members(code);
    for (let k = 0; k < members.length; k++) this.hitSlot(members[k] as number, field, value, type);
  }

  private hitSlot(slot: number, field: string, value: string, type: IndicatorType): void {
    const slots = this.slots;
    if (slots.seen[slot] === this.generation) return;
    const id = slots.ids[slot];
    if (id === undefined) return;
    if (this.eventTime() > (slots.deadline[slot] as number)) {
      this.counters.expired++;
      return;
    }
    // The value, not the indicator, decides: another field's value may still hit this indicator.
    if (this.warnings !== null && this.warnings.check(type, value) !== null) {
      this.counters.suppressed++;
      return;
    }
    const indicator = slots.objects !== null ? slots.objects[slot] : (this.resolve as (id: string) => Indicator | undefined)(id);
    if (indicator === undefined) {
      this.counters.unresolved++;
      return;
    }
    slots.seen[slot] = this.generation;
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

  /** Room for `count` indicators in the slots and the id table. */
  private reserve(count: number): void {
    this.slots.reserve(count);
    this.slotById.reserve(count);
  }

  private removeSlot(slot: number): void {
    const id = this.slots.ids[slot];
    if (id === undefined) return;
    this.index.delete(this.slots.typeOf(slot), this.slots.values[slot] as string, slot);
    this.slots.release(slot);
    this.slotById.delete(id);
  }
}
