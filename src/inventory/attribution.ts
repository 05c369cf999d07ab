/**
 * @module inventory/attribution
 * Which information system an event concerns. Built once from the systems of every organisation
 * (and again when they change), then asked per event on the detection hot path: synchronous, no
 * per-event allocation on the common paths, nothing awaited.
 *
 * Tenancy first: only systems of the event's own organisation (`organization.id`, set by ingest
 * from the sensor, never from the payload) can claim it; a system of organisation A never claims
 * an event of organisation B, whatever the addresses say (private ranges repeat across agencies).
 *
 * Then the most specific claim wins:
 * 1. an exact host name (`url.domain`, host of `url.full`/`url.original`, `destination.domain`,
 *    `server.domain`, `host.name`, `host.hostname`);
 * 2. a wildcard `*.suffix` on one of those names — the longest suffix;
 * 3. a base URL whose host is the event's and whose path is a prefix of the event's path at a
 *    segment boundary — the longest path (scheme and port are not compared: logs behind a TLS
 *    terminator rarely carry them faithfully);
 * 4. an IP range holding `destination.ip`, `server.ip` or `host.ip` — the narrowest;
 * 5. the sensor that sent the event (`observer.id`), when exactly one system of the organisation
 *    names it (a sensor watching several systems says nothing about which).
 * Two systems of one organisation claiming the same name, URL or range: the one registered first.
 */
import type { EcsEvent, EcsValue } from '../core/event.js';
import { Ipv4PrefixTrie, Ipv6PrefixTrie } from '../intel/cidr.js';
import { isIPv4Mapped, NOT_IPV4, parseIPv4, parseIPv6, parsePrefix } from '../intel/ip.js';
import { canonicalHostName } from '../intel/normalise.js';
import { locateUrlHost, type HostRange } from '../intel/url-host.js';
import { splitBaseUrl } from './addresses.js';
import type { InformationSystem } from './model.js';

/** What the attributor needs of a system. */
export type AttributableSystem = Pick<InformationSystem, 'id' | 'orgId' | 'hostnames' | 'urls' | 'ipRanges' | 'sensorIds'> & { createdAt?: string };

export type AttributionRule = 'hostname' | 'wildcard' | 'url' | 'cidr' | 'sensor';

export interface Attribution {
  systemId: string;
  rule: AttributionRule;
  /** The event field whose value decided. */
  field: string;
}

/** organisation id → system id (the first registered). */
type ByOrg = Map<string, string>;
interface UrlClaim {
  path: string;
  systemId: string;
}
interface RangeGroup {
  len: number;
  byOrg: ByOrg;
}

const HOST_FIELDS: readonly (readonly [object: string, field: string, path: string])[] = [
  ['url', 'domain', 'url.domain'],
  ['destination', 'domain', 'destination.domain'],
  ['server', 'domain', 'server.domain'],
  ['host', 'name', 'host.name'],
  ['host', 'hostname', 'host.hostname'],
];
const IP_FIELDS: readonly (readonly [object: string, field: string, path: string])[] = [
  ['destination', 'ip', 'destination.ip'],
  ['server', 'ip', 'server.ip'],
  ['host', 'ip', 'host.ip'],
];
const AMBIGUOUS = '';

function claim(map: Map<string, ByOrg>, key: string, orgId: string, systemId: string): void {
  let byOrg = map.get(key);
  if (byOrg === undefined) {
    byOrg = new Map();
    map.set(key, byOrg);
  }
  if (!byOrg.has(orgId)) byOrg.set(orgId, systemId);
}

function child(event: EcsEvent, object: string, field: string): EcsValue | undefined {
  const parent = event[object];
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return undefined;
  return parent[field];
}

export class SystemAttributor {
  private readonly orgs = new Set<string>();
  private readonly exact = new Map<string, ByOrg>();
  private readonly wildcard = new Map<string, ByOrg>();
  /** host → organisation → claims, longest path first. */
  private readonly urls = new Map<string, Map<string, UrlClaim[]>>();
  private readonly groups: RangeGroup[] = [];
  private ipv4: Ipv4PrefixTrie | null = null;
  private ipv6: Ipv6PrefixTrie | null = null;
  private readonly sensors = new Map<string, { orgId: string; systemId: string }>();
  private readonly found = new Int32Array(129);
  private readonly words = new Int32Array(4);
  private readonly hostRange: HostRange = { text: '', start: 0, end: 0, ipv6: false };
  /** Which field `absoluteUrl` read. */
  private urlField = 'url.full';
  /** The system of the last successful `rangeOf`. */
  private rangeHit = '';
  private readonly names: string[] = new Array<string>(HOST_FIELDS.length + 1).fill('');
  private readonly nameFields: string[] = new Array<string>(HOST_FIELDS.length + 1).fill('');
  readonly size: number;

  constructor(systems: readonly AttributableSystem[]) {
    const ordered = [...systems].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id.localeCompare(b.id));
    const groupByPrefix = new Map<string, number>();
    for (const system of ordered) {
      const { orgId, id } = system;
      this.orgs.add(orgId);
      for (const name of system.hostnames) {
        if (name.startsWith('*.')) claim(this.wildcard, name.slice(2), orgId, id);
        else claim(this.exact, name, orgId, id);
      }
      for (const url of system.urls) {
        const { host, path } = splitBaseUrl(url);
        let byOrg = this.urls.get(host);
        if (byOrg === undefined) this.urls.set(host, (byOrg = new Map()));
        const claims = byOrg.get(orgId) ?? [];
        if (!claims.some((c) => c.path === path)) claims.push({ path, systemId: id });
        claims.sort((a, b) => b.path.length - a.path.length);
        byOrg.set(orgId, claims);
      }
      for (const range of system.ipRanges) this.addRange(range, orgId, id, groupByPrefix);
      for (const sensorId of system.sensorIds) {
        const known = this.sensors.get(sensorId);
        if (known === undefined) this.sensors.set(sensorId, { orgId, systemId: id });
        else if (known.orgId === orgId && known.systemId !== id) known.systemId = AMBIGUOUS;
      }
    }
    this.size = ordered.length;
  }

  private addRange(range: string, orgId: string, systemId: string, groupByPrefix: Map<string, number>): void {
    const prefix = parsePrefix(range);
    if ('error' in prefix) return; // stored ranges were checked on the way in
    let index = groupByPrefix.get(range);
    if (index === undefined) {
      index = this.groups.length;
      this.groups.push({ len: prefix.len, byOrg: new Map() });
      groupByPrefix.set(range, index);
      if (prefix.version === 4) (this.ipv4 ??= new Ipv4PrefixTrie()).set(prefix.net, prefix.len, index);
      else (this.ipv6 ??= new Ipv6PrefixTrie()).set(prefix.words, prefix.len, index);
    }
    const byOrg = (this.groups[index] as RangeGroup).byOrg;
    if (!byOrg.has(orgId)) byOrg.set(orgId, systemId);
  }

  /** The system of the event's organisation that the event concerns, or null. */
  systemOf(event: EcsEvent, orgId: string | undefined = event.organization?.id): string | null {
    return this.attribute(event, orgId)?.systemId ?? null;
  }

  /** As `systemOf`, with the rule and field that decided. */
  attribute(event: EcsEvent, orgId: string | undefined = event.organization?.id): Attribution | null {
    if (orgId === undefined || !this.orgs.has(orgId)) return null;
    return this.byHostname(event, orgId) ?? this.byUrl(event, orgId) ?? this.byAddress(event, orgId) ?? this.bySensor(event, orgId);
  }

  /** Exact names first (any field), then the longest wildcard suffix over all fields. */
  private byHostname(event: EcsEvent, orgId: string): Attribution | null {
    if (this.exact.size === 0 && this.wildcard.size === 0) return null;
    // The event's names, gathered once into reused slots (no array per event).
    const names = this.names;
    let count = 0;
    const fromUrl = this.urlHost(event);
    if (fromUrl !== null) {
      names[count] = fromUrl;
      this.nameFields[count++] = this.urlField;
    }
    for (const [object, field, path] of HOST_FIELDS) {
      const name = this.hostNameAt(event, object, field);
      if (name === null) continue;
      names[count] = name;
      this.nameFields[count++] = path;
    }
    for (let k = 0; k < count; k++) {
      const hit = this.exact.get(names[k] as string)?.get(orgId);
      if (hit !== undefined) return { systemId: hit, rule: 'hostname', field: this.nameFields[k] as string };
    }
    if (this.wildcard.size === 0) return null;
    let systemId: string | undefined;
    let field = '';
    let bestLength = 0;
    for (let k = 0; k < count; k++) {
      const name = names[k] as string;
      // Suffixes from the longest down; stop once they are no longer than the best found.
      for (let dot = name.indexOf('.'); dot !== -1 && name.length - dot - 1 > bestLength; dot = name.indexOf('.', dot + 1)) {
        const hit = this.wildcard.get(name.slice(dot + 1))?.get(orgId);
        if (hit !== undefined) {
          systemId = hit;
          field = this.nameFields[k] as string;
          bestLength = name.length - dot - 1;
          break;
        }
      }
    }
    return systemId === undefined ? null : { systemId, rule: 'wildcard', field };
  }

  private hostNameAt(event: EcsEvent, object: string, field: string): string | null {
    const value = child(event, object, field);
    if (typeof value !== 'string' || value.length === 0) return null;
    return canonicalHostName(value) || null;
  }

  /** The host of an absolute `url.full` or `url.original`. */
  private urlHost(event: EcsEvent): string | null {
    const text = this.absoluteUrl(event);
    if (text === null || !locateUrlHost(text, this.hostRange)) return null;
    return this.hostRange.text.slice(this.hostRange.start, this.hostRange.end);
  }

  /** `url.full`, else `url.original` when it is absolute (a proxy's request target); sets `urlField`. */
  private absoluteUrl(event: EcsEvent): string | null {
    const full = child(event, 'url', 'full');
    if (typeof full === 'string' && full.includes('://')) {
      this.urlField = 'url.full';
      return full;
    }
    const original = child(event, 'url', 'original');
    if (typeof original === 'string' && original.includes('://')) {
      this.urlField = 'url.original';
      return original;
    }
    return null;
  }

  private byUrl(event: EcsEvent, orgId: string): Attribution | null {
    if (this.urls.size === 0) return null;
    let host: string | null = null;
    let path: string | null = null;
    let field = 'url.domain';
    const absolute = this.absoluteUrl(event);
    if (absolute !== null && locateUrlHost(absolute, this.hostRange)) {
      field = this.urlField;
      const range = this.hostRange;
      host = range.text.slice(range.start, range.end);
      // The path starts at the first "/" after the authority (ports, brackets and credentials before it).
      const authority = absolute.indexOf('://') + 3;
      const slash = absolute.indexOf('/', authority);
      const end = searchEnd(absolute);
      path = slash === -1 || slash > end ? '' : absolute.slice(slash, end);
    } else {
      host = this.hostNameAt(event, 'url', 'domain');
      const urlPath = child(event, 'url', 'path');
      if (typeof urlPath === 'string') path = urlPath;
      else {
        const original = child(event, 'url', 'original');
        if (typeof original === 'string') path = original.slice(0, searchEnd(original));
      }
    }
    if (host === null || path === null) return null;
    const claims = this.urls.get(host)?.get(orgId);
    if (claims === undefined) return null;
    for (const c of claims) {
      if (c.path.length === 0 || (path.startsWith(c.path) && (path.length === c.path.length || path.charCodeAt(c.path.length) === 47))) {
        return { systemId: c.systemId, rule: 'url', field };
      }
    }
    return null;
  }

  /** The narrowest range of the organisation over every address field (ECS allows arrays). */
  private byAddress(event: EcsEvent, orgId: string): Attribution | null {
    if (this.ipv4 === null && this.ipv6 === null) return null;
    let systemId: string | undefined;
    let field = '';
    let bestLen = -1;
    for (const [object, name, path] of IP_FIELDS) {
      const value = child(event, object, name);
      const n = Array.isArray(value) ? value.length : 1;
      for (let k = 0; k < n; k++) {
        const v = Array.isArray(value) ? value[k] : value;
        if (typeof v !== 'string') continue;
        const len = this.rangeOf(v, orgId);
        if (len > bestLen) {
          bestLen = len;
          systemId = this.rangeHit;
          field = path;
        }
      }
    }
    return systemId === undefined ? null : { systemId, rule: 'cidr', field };
  }

  /** The prefix length of the organisation's narrowest range holding `address` (its system in `rangeHit`), or −1. */
  private rangeOf(address: string, orgId: string): number {
    const found = this.found;
    let count = 0;
    const v4 = parseIPv4(address, false);
    if (v4 !== NOT_IPV4) {
      if (this.ipv4 !== null) count = this.ipv4.collect(v4, found);
    } else if (parseIPv6(address, this.words)) {
      if (isIPv4Mapped(this.words)) {
        // ::ffff:a.b.c.d is the IPv4 host a.b.c.d (RFC 4291 §2.5.5.2)
        if (this.ipv4 !== null) count = this.ipv4.collect(this.words[3] as number, found);
      } else if (this.ipv6 !== null) count = this.ipv6.collect(this.words, found);
    }
    // `collect` lists covering ranges shortest first: the narrowest of this organisation is the last one it holds.
    for (let k = count - 1; k >= 0; k--) {
      const group = this.groups[found[k] as number] as RangeGroup;
      const systemId = group.byOrg.get(orgId);
      if (systemId !== undefined) {
        this.rangeHit = systemId;
        return group.len;
      }
    }
    return -1;
  }

  private bySensor(event: EcsEvent, orgId: string): Attribution | null {
    const sensorId = event.observer?.id;
    if (sensorId === undefined) return null;
    const known = this.sensors.get(sensorId);
    if (known === undefined || known.orgId !== orgId || known.systemId === AMBIGUOUS) return null;
    return { systemId: known.systemId, rule: 'sensor', field: 'observer.id' };
  }
}

/** Where the path of a URL (or request target) ends: at `?`, `#` or the end. */
function searchEnd(text: string): number {
  const q = text.indexOf('?');
  const h = text.indexOf('#');
  if (q === -1) return h === -1 ? text.length : h;
  return h === -1 ? q : Math.min(q, h);
}

/** An attributor that claims nothing (no systems registered). */
export const emptyAttributor = new SystemAttributor([]);
