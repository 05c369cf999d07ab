/**
 * @module intel/warning-lists
 * Values that must never raise an intelligence alert, in named lists: a hit on a public DNS
 * resolver, a private address, a CDN edge or the government's own ranges is a feed's mistake or
 * noise, and the list's name says why it was dropped. (The idea and the import format are MISP's
 * "warninglists".) Three kinds of entry:
 * - `ranges`: IPv4/IPv6 addresses and CIDR ranges; an address inside one is listed, and a CIDR
 *   range is listed when it lies wholly inside one;
 * - `domains`: `example.vn` lists that name only; `*.example.vn` lists it and every name under it;
 * - `values`: exact values of the other types (hashes, URLs, e-mail addresses, JA3/JA4,
 *   user-agents), canonicalised as intel/normalise does for the type their shape shows.
 * A URL is also listed when its host is; an e-mail address when its domain is.
 *
 * Lists are configuration: built once, every bad entry reported together (a `ConfigError`).
 */
import { ConfigError } from '../core/errors.js';
import { builtinWarningLists, defaultBuiltinWarningListNames } from './builtin-warning-lists.js';
import { Ipv4PrefixTrie, Ipv6PrefixTrie } from './cidr.js';
import { NOT_IPV4, isIPv4Mapped, parseIPv4, parseIPv6, parsePrefix } from './ip.js';
import type { IndicatorType } from './model.js';
import { canonicalHostName, normaliseIndicator, normaliseUrl } from './normalise.js';
import { urlHost } from './url-host.js';

export interface WarningListSpec {
  /** Unique name, shown as the reason a value was suppressed (`public-dns-resolvers`). */
  name: string;
  description: string;
  ranges?: readonly string[];
  domains?: readonly string[];
  values?: readonly string[];
}

const words = new Int32Array(4);

export class WarningLists {
  readonly names: readonly string[];
  private readonly v4 = new Ipv4PrefixTrie();
  private readonly v6 = new Ipv6PrefixTrie();
  private readonly exactDomains = new Map<string, number>();
  private readonly domainSuffixes = new Map<string, number>();
  private readonly values = new Map<string, number>();

  /** Throws a `ConfigError` listing every invalid entry and duplicate name. */
  constructor(specs: readonly WarningListSpec[]) {
    const problems: { path: string; message: string }[] = [];
    const names: string[] = [];
    specs.forEach((spec, index) => {
      const at = `warningLists[${index}]`;
      if (typeof spec.name !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(spec.name)) problems.push({ path: `${at}.name`, message: `"${String(spec.name)}" is not a list name (lower-case letters, digits, ".", "_", "-")` });
      else if (names.includes(spec.name)) problems.push({ path: `${at}.name`, message: `"${spec.name}" is used by two lists` });
      const list = names.length;
      names.push(spec.name);
      (spec.ranges ?? []).forEach((entry, k) => {
        const problem = this.addRange(entry, list);
        if (problem !== null) problems.push({ path: `${at}.ranges[${k}]`, message: problem });
      });
      (spec.domains ?? []).forEach((entry, k) => {
        const problem = this.addDomain(entry, list);
        if (problem !== null) problems.push({ path: `${at}.domains[${k}]`, message: problem });
      });
      (spec.values ?? []).forEach((entry, k) => {
        if (typeof entry !== 'string' || entry.trim().length === 0) problems.push({ path: `${at}.values[${k}]`, message: 'an entry is a non-empty string' });
        else if (!this.values.has(canonicalValue(entry))) this.values.set(canonicalValue(entry), list);
      });
    });
    if (problems.length > 0) throw new ConfigError(problems);
    this.names = Object.freeze(names);
  }

  /** The name of the list that suppresses `value` as a `type` value, or null. `value` is canonical. */
  check(type: IndicatorType, value: string): string | null {
    if (typeof value !== 'string') return null;
    switch (type) {
      case 'ipv4':
      case 'ipv6':
        return this.checkAddress(value);
      case 'cidr':
        return this.checkRange(value);
      case 'domain':
        return this.checkDomain(value);
      case 'url':
        return this.checkUrl(value);
      case 'email': {
        const listed = this.values.get(value);
        if (listed !== undefined) return this.nameOf(listed);
        const at = value.lastIndexOf('@');
        return at === -1 ? null : this.checkDomain(value.slice(at + 1));
      }
      default: {
        const listed = this.values.get(value);
        return listed === undefined ? null : this.nameOf(listed);
      }
    }
  }

  /** An IPv4 (int32, intel/ip) address inside a listed range, most specific list first. */
  checkIPv4(addr: number): string | null {
    const listed = this.v4.longest(addr);
    return listed === undefined ? null : this.nameOf(listed);
  }

  /** IPv4 or IPv6 address text (IPv4-mapped IPv6 is checked as IPv4). */
  checkAddress(text: string): string | null {
    const v4 = parseIPv4(text, false);
    if (v4 !== NOT_IPV4) return this.checkIPv4(v4);
    if (!parseIPv6(text, words)) return null;
    if (isIPv4Mapped(words)) return this.checkIPv4(words[3] as number);
    const listed = this.v6.longest(words);
    return listed === undefined ? null : this.nameOf(listed);
  }

  /** A CIDR range lying wholly inside a listed range (a listed range no longer than it covers it). */
  checkRange(text: string): string | null {
    const prefix = parsePrefix(text);
    if ('error' in prefix) return null;
    let listed: number | undefined;
    if (prefix.version === 4) listed = this.v4.longest(prefix.net, prefix.len);
    else if (isIPv4Mapped(prefix.words) && prefix.len >= 96) listed = this.v4.longest(prefix.words[3] as number, prefix.len - 96);
    else listed = this.v6.longest(prefix.words, prefix.len);
    return listed === undefined ? null : this.nameOf(listed);
  }

  /** A host name listed exactly or under a listed `*.` suffix. Canonicalises it first. */
  checkDomain(text: string): string | null {
    const name = canonicalHostName(text);
    if (name.length === 0) return null;
    const exact = this.exactDomains.get(name);
    if (exact !== undefined) return this.nameOf(exact);
    if (this.domainSuffixes.size === 0) return null;
    for (let i = 0; i !== -1 && i < name.length; ) {
      const listed = this.domainSuffixes.get(i === 0 ? name : name.slice(i));
      if (listed !== undefined) return this.nameOf(listed);
      const dot = name.indexOf('.', i);
      i = dot === -1 ? -1 : dot + 1;
    }
    return null;
  }

  /** A URL listed exactly, or whose host is listed. */
  checkUrl(text: string): string | null {
    const listed = this.values.get(text);
    if (listed !== undefined) return this.nameOf(listed);
    const host = urlHost(text);
    if (host.length === 0) return null;
    return host.includes(':') || parseIPv4(host, false) !== NOT_IPV4 ? this.checkAddress(host) : this.checkDomain(host);
  }

  private nameOf(list: number): string {
    return this.names[list] ?? '';
  }

  private addRange(entry: unknown, list: number): string | null {
    if (typeof entry !== 'string') return 'an entry is a string';
    const text = entry.trim();
    const prefix = parsePrefix(asPrefix(text));
    if ('error' in prefix) return `"${text}": ${prefix.error}`;
    if (prefix.version === 4) {
      if (this.v4.get(prefix.net, prefix.len) === undefined) this.v4.set(prefix.net, prefix.len, list);
    } else if (this.v6.get(prefix.words, prefix.len) === undefined) {
      this.v6.set(prefix.words, prefix.len, list);
    }
    return null;
  }

  private addDomain(entry: unknown, list: number): string | null {
    if (typeof entry !== 'string') return 'an entry is a string';
    const text = entry.trim();
    const suffix = text.startsWith('*.');
    const bare = suffix ? text.slice(2) : text;
    const singleLabel = !bare.includes('.');
    if (singleLabel && !suffix) return `"${text}": a single label is only allowed as a suffix ("*.${text}")`;
    // normalise refuses a single label (no indicator may be a TLD); a suffix may be one (`*.local`),
    // so such a label is checked under a placeholder parent, which is then taken off.
    const normalised = normaliseIndicator('domain', singleLabel ? `${bare}.x` : bare);
    if ('error' in normalised) return normalised.error;
    const name = singleLabel ? normalised.value.slice(0, -2) : normalised.value;
    const target = suffix ? this.domainSuffixes : this.exactDomains;
    if (!target.has(name)) target.set(name, list);
    return null;
  }
}

/** An address as the one-address range (`/32`, `/128`); a range as it is. */
function asPrefix(text: string): string {
  return text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
}

/**
 * A `values` entry canonicalised by its shape: hex is lower-cased (hashes, JA3), a JA4 too, an
 * absolute URL normalised, an e-mail address gets a lower-case domain; anything else (a
 * user-agent) is kept as written, trimmed.
 */
function canonicalValue(entry: string): string {
  const text = entry.trim();
  if (/^[0-9a-fA-F]+$/.test(text)) return text.toLowerCase();
  const ja4 = normaliseIndicator('ja4', text);
  if ('value' in ja4) return ja4.value;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text)) {
    const url = normaliseUrl(text);
    if ('value' in url) return url.value;
  }
  if (/^[^\s@]+@[^\s@]+$/.test(text)) {
    const email = normaliseIndicator('email', text);
    if ('value' in email) return email.value;
  }
  return text;
}

/** The default lists: the built-in ones named (all but `documentation` when none are) plus the user's. */
export function buildWarningLists(user: readonly WarningListSpec[] = [], builtinNames: readonly string[] = defaultBuiltinWarningListNames): WarningLists {
  const unknown = builtinNames.filter((name) => !builtinWarningLists.some((list) => list.name === name));
  if (unknown.length > 0) throw new ConfigError(unknown.map((name) => ({ path: 'warningLists.builtin', message: `no built-in warning list "${name}"; known: ${builtinWarningLists.map((l) => l.name).join(', ')}` })));
  return new WarningLists([...builtinWarningLists.filter((list) => builtinNames.includes(list.name)), ...user]);
}

/**
 * A MISP warning list (github.com/MISP/misp-warninglists, `list.json`: name, description, type,
 * list) as a spec. Types `cidr` and `hostname` (a name and everything under it, as MISP matches
 * them) map directly; `string` entries go by shape (address or range, domain, other value).
 * `substring` and `regex` lists are refused: they cannot be hash lookups.
 */
export function warningListFromMisp(json: unknown, name?: string): WarningListSpec | { error: string } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { error: 'a MISP warning list is a JSON object' };
  const record = json as Record<string, unknown>;
  const entries = record['list'];
  if (!Array.isArray(entries) || entries.some((e) => typeof e !== 'string')) return { error: '"list" is not an array of strings' };
  const listName = name ?? `misp-${String(record['name'] ?? 'list').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 58)}`;
  const spec = { name: listName, description: String(record['description'] ?? record['name'] ?? 'MISP warning list') };
  const strings = entries as string[];
  switch (record['type']) {
    case 'cidr':
      return { ...spec, ranges: strings };
    case 'hostname':
      return { ...spec, domains: strings.map((e) => `*.${e.replace(/^\*?\./, '')}`) };
    case 'string': {
      const ranges: string[] = [];
      const domains: string[] = [];
      const values: string[] = [];
      for (const entry of strings) {
        const text = entry.trim();
        if (!('error' in parsePrefix(asPrefix(text)))) ranges.push(text);
        else if ('value' in normaliseIndicator('domain', text)) domains.push(text);
        else values.push(text);
      }
      return { ...spec, ranges, domains, values };
    }
    default:
      return { error: `MISP warning lists of type "${String(record['type'])}" are not supported (cidr, hostname and string are)` };
  }
}
