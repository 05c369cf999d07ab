/**
 * @module intel/indicator-index
 * Where the matcher keeps its indicators: one table per kind of value, keyed by the canonical
 * value (intel/normalise) and holding slot codes (intel/slot-groups), so that an event's value
 * is one lookup. IPv4 addresses as int32 (intel/hash-tables `IntTable`); CIDR ranges in tries
 * (intel/cidr), IPv4-mapped IPv6 ranges and addresses with the IPv4 ones; domains and URL hosts
 * hashed backwards (`fnv1aReverse`) so that a name's parents are looked up during one scan; long
 * values that nearly always miss (hashes, JA3/JA4, user-agents) behind a sampled-hash filter.
 * Adding and removing touch one key; the tables never need a rebuild.
 */
import { Ipv4PrefixTrie, Ipv6PrefixTrie } from './cidr.js';
import { IntTable, TextTable, fnv1a, fnv1aReverse } from './hash-tables.js';
import { NOT_IPV4, isIPv4Mapped, parseIPv4, parseIPv6, parsePrefix } from './ip.js';
import type { IndicatorType } from './model.js';
import { SlotGroups } from './slot-groups.js';
import { urlHost } from './url-host.js';

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

export class IndicatorIndex {
  readonly groups = new SlotGroups();
  readonly ipv4 = new IntTable();
  readonly ipv6 = new TextTable();
  readonly cidr4 = new Ipv4PrefixTrie();
  readonly cidr6 = new Ipv6PrefixTrie();
  readonly domains = new TextTable(fnv1aReverse);
  readonly urls = new TextTable();
  /** Hosts of URL indicators → how many: an event URL is normalised only when its host is here. */
  readonly urlHosts = new TextTable(fnv1aReverse);
  readonly md5 = new TextTable(fnv1a, true);
  readonly sha1 = new TextTable(fnv1a, true);
  readonly sha256 = new TextTable(fnv1a, true);
  readonly emails = new TextTable();
  readonly ja3 = new TextTable(fnv1a, true);
  readonly ja4 = new TextTable(fnv1a, true);
  readonly userAgents = new TextTable(fnv1a, true);

  /** Indexes `slot` under a canonical value; false when the value cannot be indexed as `type`. */
  insert(type: IndicatorType, canonical: string, slot: number): boolean {
    const key = indexKeyOf(type, canonical);
    if (key === null) return false;
    this.insertKey(key, slot);
    return true;
  }

  /** Takes `slot` out from under a canonical value (as given to `insert`). */
  delete(type: IndicatorType, canonical: string, slot: number): void {
    const key = indexKeyOf(type, canonical);
    if (key !== null) this.deleteKey(key, slot);
  }

  clear(): void {
    this.groups.clear();
    this.ipv4.clear();
    this.ipv6.clear();
    this.cidr4.clear();
    this.cidr6.clear();
    for (const table of ['domain', 'url', 'md5', 'sha1', 'sha256', 'email', 'ja3', 'ja4', 'user-agent'] as const) this.tableOf(table).clear();
    this.urlHosts.clear();
  }

  /** The table of a string-keyed type. */
  tableOf(type: TextType): TextTable {
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
    const groups = this.groups;
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
    const groups = this.groups;
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
    const rest = this.groups.remove(code, slot);
    if (rest !== undefined) {
      table.set(text, rest);
      return false;
    }
    table.delete(text);
    return true;
  }
}
