/**
 * @module intel/stix/observation
 * What a STIX pattern is evaluated against: observations (STIX 2.1 §9.1), each the content of one
 * Observed Data object (§4.14): `number_observed` sightings of a set of Cyber-observable Objects
 * between `first_observed` and `last_observed`. Two sources:
 * - an Observed Data object, with the deprecated embedded `objects` container or with
 *   `object_refs` resolved against the bundle; only the listed SCOs can be reached, since
 *   §9.7.4 treats a reference to an unlisted object as not present;
 * - one ECS event, mapped to the SCOs of §6 (addresses, domain, URL, file with hashes, network
 *   traffic with its endpoints, ports and HTTP request, user account, e-mail, process, X.509
 *   certificate, MAC address, registry key, autonomous system), observed once at `@timestamp`.
 * SCO ids are the deterministic ones of §2.9/§3.4, over each type's ID Contributing Properties
 * (one hash for files and certificates, chosen MD5, SHA-1, SHA-256, SHA-512 first as the
 * python-stix2 generator the spec's examples were computed with does); a process has no
 * contributing property, so its id is random (UUIDv4), as §2.9 requires.
 */
import { randomUUID } from 'node:crypto';
import { getField } from '../../core/event.js';
import type { EcsEvent, EcsValue } from '../../core/event.js';
import { VigilError } from '../../core/errors.js';
import { canonicalHostName } from '../normalise.js';
import { formatAddress, isSingleAddress, parseNetwork } from './address.js';
import { scoId } from './ids.js';
import type { JsonValue } from './ids.js';
import { toStixTimestamp } from './timestamp.js';

/** A STIX Cyber-observable Object: a `type` and its properties. */
export interface Sco {
  type: string;
  id?: string;
  [property: string]: unknown;
}

/** One observation (§9.1): what one Observed Data object reports. */
export interface Observation {
  firstObserved: string;
  lastObserved: string;
  numberObserved: number;
  /** The SCOs, keyed by the reference other SCOs use for them (an id, or a deprecated container key). */
  objects: Readonly<Record<string, Sco>>;
}

/** The parts of an Observed Data object (§4.14) an observation is made of. */
export interface ObservedDataLike {
  first_observed: string;
  last_observed: string;
  number_observed: number;
  objects?: Readonly<Record<string, unknown>>;
  object_refs?: readonly string[];
}

/** The observation an Observed Data object reports; `bundle` resolves its `object_refs`. */
export function observationFromObservedData(od: ObservedDataLike, bundle?: ReadonlyMap<string, unknown>): Observation {
  const objects: Record<string, Sco> = {};
  if (od.objects) {
    for (const [key, value] of Object.entries(od.objects)) if (isSco(value)) objects[key] = value;
  } else {
    for (const ref of od.object_refs ?? []) {
      const value = bundle?.get(ref);
      if (isSco(value)) objects[ref] = value;
    }
  }
  return { firstObserved: od.first_observed, lastObserved: od.last_observed, numberObserved: od.number_observed, objects };
}

const HASHES: readonly (readonly [string, string])[] = [
  ['md5', 'MD5'],
  ['sha1', 'SHA-1'],
  ['sha256', 'SHA-256'],
  ['sha512', 'SHA-512'],
];

const HIVES: Readonly<Record<string, string>> = {
  HKLM: 'HKEY_LOCAL_MACHINE',
  HKCU: 'HKEY_CURRENT_USER',
  HKU: 'HKEY_USERS',
  HKCR: 'HKEY_CLASSES_ROOT',
  HKCC: 'HKEY_CURRENT_CONFIG',
};

/** One ECS event as one observation, so a pattern can be evaluated against it. */
export function eventToObservation(event: EcsEvent): Observation {
  const at = Date.parse(event['@timestamp']);
  if (Number.isNaN(at)) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `@timestamp '${event['@timestamp']}' is not a timestamp` }, { field: '@timestamp' });
  const time = toStixTimestamp(at);
  const builder = new ObservationBuilder(event);
  builder.build(time);
  return { firstObserved: time, lastObserved: time, numberObserved: 1, objects: builder.objects };
}

class ObservationBuilder {
  readonly objects: Record<string, Sco> = {};

  constructor(private readonly event: EcsEvent) {}

  build(time: string): void {
    const source = this.address('source.ip') ?? this.address('client.ip');
    const destination = this.address('destination.ip') ?? this.address('server.ip');
    for (const [side, ref] of [['source', source], ['destination', destination]] as const) {
      const asNumber = this.num(`${side}.as.number`);
      const addr = ref ? this.objects[ref] : undefined;
      if (addr && asNumber !== undefined) addr.belongs_to_refs = [this.add('autonomous-system', { number: asNumber }, ['number'])];
      const mac = this.str(`${side}.mac`);
      if (addr && mac && /^[0-9a-f]{2}([-:][0-9a-f]{2}){5}$/i.test(mac)) {
        addr.resolves_to_refs = [this.add('mac-addr', { value: mac.toLowerCase().replace(/-/g, ':') }, ['value'])];
      }
    }
    const domains = [this.str('url.domain'), this.str('dns.question.name'), this.str('destination.domain')].map((d) => (d ? this.domain(d) : undefined));
    const dnsName = domains[1];
    if (dnsName) {
      const answers = this.strings('dns.resolved_ip').map((ip) => this.addAddress(ip)).filter((r): r is string => r !== undefined);
      if (answers.length > 0) (this.objects[dnsName] as Sco).resolves_to_refs = answers;
    }
    this.url();
    this.networkTraffic(source, destination ?? domains[2] ?? domains[0], time);
    this.file('file', this.str('file.name'), this.str('file.directory'), this.num('file.size'));
    this.userAccount();
    this.email();
    this.process();
    this.certificate();
    this.registryKey();
  }

  private address(field: string): string | undefined {
    const value = this.str(field);
    return value ? this.addAddress(value) : undefined;
  }

  private addAddress(text: string): string | undefined {
    const net = parseNetwork(text);
    if (!net || !isSingleAddress(net)) return undefined;
    return this.add(net.bytes.length === 4 ? 'ipv4-addr' : 'ipv6-addr', { value: formatAddress(net.bytes) }, ['value']);
  }

  /** Host names are case-insensitive (RFC 4343): kept in the form the line-rate matcher uses (lower-case ASCII, no root dot). */
  private domain(name: string): string | undefined {
    const value = canonicalHostName(name.trim());
    if (value === '' || parseNetwork(value)) return undefined;
    return this.add('domain-name', { value }, ['value']);
  }

  private url(): void {
    const full = this.str('url.full') ?? this.str('url.original');
    const absolute = full && /^[a-z][a-z0-9+.-]*:\/\//i.test(full) ? full : undefined;
    const [scheme, domain] = [this.str('url.scheme'), this.str('url.domain')];
    let value = absolute;
    if (!value && scheme && domain) {
      const port = this.num('url.port');
      const path = this.str('url.original') ?? `${this.str('url.path') ?? '/'}${this.str('url.query') ? `?${this.str('url.query') ?? ''}` : ''}`;
      value = `${scheme}://${domain}${port !== undefined ? `:${port}` : ''}${path.startsWith('/') ? path : `/${path}`}`;
    }
    if (value) this.add('url', { value }, ['value']);
  }

  private networkTraffic(src: string | undefined, dst: string | undefined, time: string): void {
    const [srcPort, dstPort] = [this.num('source.port') ?? this.num('client.port'), this.num('destination.port') ?? this.num('server.port')];
    const userAgent = this.str('user_agent.original');
    const method = this.str('http.request.method');
    if (!src && !dst && srcPort === undefined && dstPort === undefined && !userAgent && !method) return;
    const protocols = [this.str('network.type'), this.str('network.transport'), this.str('network.protocol')]
      .filter((p): p is string => p !== undefined)
      .map((p) => p.toLowerCase());
    // `protocols` is required (§6.12); without ECS network fields, the address family is what is known.
    const family = [src, dst].some((ref) => ref !== undefined && this.objects[ref]?.type === 'ipv6-addr') ? 'ipv6' : 'ipv4';
    const traffic: Record<string, JsonValue> = { start: time, protocols: protocols.length > 0 ? protocols : [family] };
    if (src) traffic.src_ref = src;
    if (dst) traffic.dst_ref = dst;
    if (srcPort !== undefined) traffic.src_port = srcPort;
    if (dstPort !== undefined) traffic.dst_port = dstPort;
    if (userAgent || method) {
      const headers: Record<string, JsonValue> = {};
      if (userAgent) headers['User-Agent'] = userAgent;
      const host = this.str('url.domain');
      if (host) headers.Host = host;
      const referrer = this.str('http.request.referrer');
      if (referrer) headers.Referer = referrer;
      const query = this.str('url.query');
      const http: Record<string, JsonValue> = { request_header: headers };
      if (method) http.request_method = method.toLowerCase();
      const path = this.str('url.path');
      if (path) http.request_value = query ? `${path}?${query}` : path;
      const version = this.str('http.version');
      if (version) http.request_version = `http/${version}`.toLowerCase();
      traffic.extensions = { 'http-request-ext': http };
    }
    this.add('network-traffic', traffic, ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions']);
  }

  /** A file with the hashes, name and directory ECS gives under `prefix` (`file`, `process`, …). */
  private file(prefix: string, name: string | undefined, directory: string | undefined, size?: number): string | undefined {
    const hashes: Record<string, JsonValue> = {};
    for (const [ecs, stix] of HASHES) {
      const h = this.str(`${prefix}.hash.${ecs}`);
      if (h) hashes[stix] = h.toLowerCase();
    }
    if (Object.keys(hashes).length === 0 && !name) return undefined;
    const file: Record<string, JsonValue> = {};
    if (Object.keys(hashes).length > 0) file.hashes = hashes;
    if (name) file.name = name;
    if (size !== undefined) file.size = size;
    if (directory) file.parent_directory_ref = this.add('directory', { path: directory }, ['path']);
    return this.add('file', file, ['hashes', 'name', 'extensions', 'parent_directory_ref']);
  }

  private userAccount(): void {
    const [login, id, fullName] = [this.str('user.name'), this.str('user.id'), this.str('user.full_name')];
    if (!login && !id) return;
    const account: Record<string, JsonValue> = {};
    if (login) account.account_login = login;
    if (id) account.user_id = id;
    if (fullName) account.display_name = fullName;
    this.add('user-account', account, ['account_type', 'user_id', 'account_login']);
    const email = this.str('user.email');
    if (email) this.add('email-addr', { value: email }, ['value']);
  }

  private email(): void {
    const from = this.strings('email.from.address').map((a) => this.add('email-addr', { value: a }, ['value']));
    const to = this.strings('email.to.address').map((a) => this.add('email-addr', { value: a }, ['value']));
    const subject = this.str('email.subject');
    if (from.length === 0 && to.length === 0 && !subject) return;
    const message: Record<string, JsonValue> = { is_multipart: false };
    if (from[0]) message.from_ref = from[0];
    if (to.length > 0) message.to_refs = to;
    if (subject) message.subject = subject;
    this.add('email-message', message, ['from_ref', 'subject', 'body']);
  }

  private process(): void {
    const parent = this.processAt('process.parent', undefined);
    this.processAt('process', parent);
  }

  private processAt(prefix: string, parentRef: string | undefined): string | undefined {
    const [pid, commandLine, executable, cwd] = [this.num(`${prefix}.pid`), this.str(`${prefix}.command_line`), this.str(`${prefix}.executable`), this.str(`${prefix}.working_directory`)];
    const split = executable ? /^(.*)[\\/]([^\\/]+)$/.exec(executable) : null;
    const image = this.file(prefix, this.str(`${prefix}.name`) ?? split?.[2] ?? executable, split?.[1]);
    if (pid === undefined && !commandLine && !image) return undefined;
    const id = `process--${randomUUID()}`;
    const process: Sco = { type: 'process', spec_version: '2.1', id };
    if (pid !== undefined) process.pid = pid;
    if (commandLine) process.command_line = commandLine;
    if (cwd) process.cwd = cwd;
    if (image) process.image_ref = image;
    if (parentRef) process.parent_ref = parentRef;
    this.objects[id] = process;
    return id;
  }

  private certificate(): void {
    const base = 'tls.server.x509';
    const cert: Record<string, JsonValue> = {};
    const serial = this.str(`${base}.serial_number`);
    if (serial) cert.serial_number = serial;
    const issuer = this.str(`${base}.issuer.distinguished_name`);
    if (issuer) cert.issuer = issuer;
    const subject = this.str(`${base}.subject.distinguished_name`);
    if (subject) cert.subject = subject;
    for (const [ecs, stix] of [['not_before', 'validity_not_before'], ['not_after', 'validity_not_after']] as const) {
      const at = Date.parse(this.str(`${base}.${ecs}`) ?? '');
      if (!Number.isNaN(at)) cert[stix] = toStixTimestamp(at);
    }
    const hashes: Record<string, JsonValue> = {};
    for (const [ecs, stix] of HASHES) {
      const h = this.str(`tls.server.hash.${ecs}`);
      if (h) hashes[stix] = h.toLowerCase();
    }
    if (Object.keys(hashes).length > 0) cert.hashes = hashes;
    if (Object.keys(cert).length > 0) this.add('x509-certificate', cert, ['hashes', 'serial_number']);
  }

  private registryKey(): void {
    const [hive, key] = [this.str('registry.hive'), this.str('registry.key')];
    if (!key) return;
    const fullHive = hive ? (HIVES[hive.toUpperCase()] ?? hive) : undefined;
    const registry: Record<string, JsonValue> = { key: fullHive ? `${fullHive}\\${key}` : key };
    const valueName = this.str('registry.value');
    if (valueName) {
      const data = this.strings('registry.data.strings');
      registry.values = [{ name: valueName, ...(data[0] !== undefined ? { data: data.join('') } : {}) }];
    }
    this.add('windows-registry-key', registry, ['key', 'values']);
  }

  /** Adds an SCO with its deterministic id (same content, same id: added once) and returns the id. */
  private add(type: string, properties: Record<string, JsonValue>, contributing: readonly string[]): string {
    const idProps: Record<string, JsonValue> = {};
    for (const name of contributing) {
      const value = properties[name];
      if (value === undefined) continue;
      idProps[name] = name === 'hashes' && typeof value === 'object' && value !== null && !Array.isArray(value) ? oneHash(value) : value;
    }
    const id = Object.keys(idProps).length > 0 ? scoId(type, idProps) : `${type}--${randomUUID()}`;
    this.objects[id] ??= { type, spec_version: '2.1', id, ...properties };
    return id;
  }

  private str(field: string): string | undefined {
    const v = getField(this.event, field);
    const first: EcsValue | undefined = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') return first === '' ? undefined : first;
    return typeof first === 'number' ? String(first) : undefined;
  }

  private strings(field: string): string[] {
    const v = getField(this.event, field);
    const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
    return items.filter((x): x is string => typeof x === 'string' && x !== '');
  }

  private num(field: string): number | undefined {
    const v = getField(this.event, field);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
    return undefined;
  }
}

/** The one hash that contributes to an id: MD5, else SHA-1, SHA-256, SHA-512, else the first. */
function oneHash(hashes: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  for (const name of ['MD5', 'SHA-1', 'SHA-256', 'SHA-512']) {
    const value = hashes[name];
    if (value !== undefined) return { [name]: value };
  }
  const first = Object.keys(hashes)[0];
  return first === undefined ? {} : { [first]: hashes[first] as JsonValue };
}

function isSco(value: unknown): value is Sco {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
}
