/**
 * @module ingest/syslog/sensor-resolver
 * Finds which sensor a syslog sender is. Syslog carries no credentials of its own (RFC 5426 §6
 * and RFC 6587 §5: anyone can send to the port), so the sender is identified by what the
 * transport proves: the TLS client certificate (RFC 5425 §5.2, subject CN or SHA-256
 * fingerprint) or, weaker, the source address, matched against `Sensor.syslogSources`.
 *
 * Only enabled sensors are indexed: a disabled sensor is unknown. When several sources match an
 * address, the most specific wins (longest prefix: a /32 entry beats a /24 beats a /16, as in IP
 * routing), so an agency can register a whole range while one host in it is a different sensor;
 * for the same prefix the sensor listed first wins and the clash is reported in `problems`.
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, what a dual-stack socket reports) are treated
 * as IPv4, in lookups and in configured sources. A resolver is immutable: build a new one when
 * sensors change.
 */
import { BlockList, isIP } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import type { Sensor } from '../../core/model.js';

export interface ResolverProblem {
  sensorId: string;
  entry: string;
  reason: string;
}

interface SourceEntry {
  sensor: Sensor;
  family: 'ipv4' | 'ipv6';
  prefix: number;
  range: BlockList;
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
const FINGERPRINT = /^[0-9a-f]{64}$/;
/** Remembered lookups; cleared when full (a cache, not a record of peers). */
const CACHE_LIMIT = 4096;

export class SyslogSensorResolver {
  /** Configuration entries that were ignored, and why. */
  readonly problems: ResolverProblem[] = [];
  private readonly sources: SourceEntry[] = [];
  private readonly anySource = new BlockList();
  private readonly byFingerprint = new Map<string, Sensor>();
  private readonly byCommonName = new Map<string, Sensor>();
  private readonly byIdMap = new Map<string, Sensor>();
  private readonly cache = new Map<string, Sensor | null>();

  constructor(sensors: readonly Sensor[]) {
    for (const sensor of sensors) {
      if (!sensor.enabled) continue;
      this.byIdMap.set(sensor.id, sensor);
      for (const entry of sensor.syslogSources) this.addSource(sensor, entry);
      for (const id of sensor.tlsClientIds) this.addClientId(sensor, id);
    }
    // Stable sort: for equal prefixes the sensor listed first stays first.
    this.sources.sort((a, b) => b.prefix - a.prefix);
  }

  /** The enabled sensor with this id, or null. */
  byId(sensorId: string): Sensor | null {
    return this.byIdMap.get(sensorId) ?? null;
  }

  /** The enabled sensor whose `syslogSources` hold `ip` most specifically, or null. */
  bySourceAddress(ip: string): Sensor | null {
    const cached = this.cache.get(ip);
    if (cached !== undefined) return cached;
    const found = this.lookUpAddress(ip);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(ip, found);
    return found;
  }

  /**
   * The enabled sensor that lists the certificate's SHA-256 fingerprint (preferred) or its
   * subject CN in `tlsClientIds`. The caller must have verified the certificate against the CA
   * (`socket.authorized`): an unverified certificate proves nothing. A subject with several CNs
   * is ambiguous and matches by fingerprint only. CNs compare exactly; fingerprints compare
   * case-insensitively with or without colons.
   */
  byTlsClient(cert: PeerCertificate): Sensor | null {
    const fingerprint = typeof cert.fingerprint256 === 'string' ? normaliseFingerprint(cert.fingerprint256) : null;
    if (fingerprint !== null) {
      const sensor = this.byFingerprint.get(fingerprint);
      if (sensor) return sensor;
    }
    // Typed as a string, but Node returns an array when the subject has several CNs.
    const commonName: unknown = (cert.subject as PeerCertificate['subject'] | undefined)?.CN;
    if (typeof commonName !== 'string' || commonName === '') return null;
    return this.byCommonName.get(commonName) ?? null;
  }

  private lookUpAddress(ip: string): Sensor | null {
    const address = normaliseAddress(ip);
    if (address === null) return null;
    if (!this.anySource.check(address.ip, address.family)) return null;
    for (const source of this.sources) {
      if (source.family === address.family && source.range.check(address.ip, address.family)) return source.sensor;
    }
    return null;
  }

  private addSource(sensor: Sensor, entry: string): void {
    const slash = entry.indexOf('/');
    const address = normaliseAddress(slash === -1 ? entry.trim() : entry.slice(0, slash).trim());
    if (address === null) {
      this.problems.push({ sensorId: sensor.id, entry, reason: 'not an IP address or CIDR range' });
      return;
    }
    const maxPrefix = address.family === 'ipv4' ? 32 : 128;
    let prefix = maxPrefix;
    if (slash !== -1) {
      const text = entry.slice(slash + 1).trim();
      prefix = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
      // `::ffff:10.0.0.0/104` is the IPv4 range 10.0.0.0/8.
      if (address.mapped) prefix -= 96;
      if (!(prefix >= 0 && prefix <= maxPrefix)) {
        this.problems.push({ sensorId: sensor.id, entry, reason: `prefix must be 0-${maxPrefix}` });
        return;
      }
    }
    const clash = this.sources.find((s) => s.family === address.family && s.prefix === prefix && s.range.check(address.ip, address.family) && s.sensor.id !== sensor.id);
    if (clash) this.problems.push({ sensorId: sensor.id, entry, reason: `same range as sensor ${clash.sensor.id}, which wins` });
    const range = new BlockList();
    range.addSubnet(address.ip, prefix, address.family);
    this.anySource.addSubnet(address.ip, prefix, address.family);
    this.sources.push({ sensor, family: address.family, prefix, range });
  }

  private addClientId(sensor: Sensor, id: string): void {
    const fingerprint = normaliseFingerprint(id);
    const index = fingerprint !== null ? this.byFingerprint : this.byCommonName;
    const key = fingerprint ?? id.trim();
    if (key === '') return;
    const holder = index.get(key);
    if (holder && holder.id !== sensor.id) {
      this.problems.push({ sensorId: sensor.id, entry: id, reason: `also a TLS client id of sensor ${holder.id}, which wins` });
      return;
    }
    index.set(key, sensor);
  }
}

/** `AB:CD:…` or `abcd…` → 64 lower-case hex digits; null when it is not a SHA-256 fingerprint. */
function normaliseFingerprint(text: string): string | null {
  const hex = text.trim().replace(/:/g, '').toLowerCase();
  return FINGERPRINT.test(hex) ? hex : null;
}

function normaliseAddress(text: string): { ip: string; family: 'ipv4' | 'ipv6'; mapped: boolean } | null {
  const percent = text.indexOf('%'); // IPv6 zone id (fe80::1%eth0) does not take part in matching
  const ip = percent === -1 ? text : text.slice(0, percent);
  const mapped = MAPPED_IPV4.exec(ip);
  if (mapped?.[1] !== undefined && isIP(mapped[1]) === 4) return { ip: mapped[1], family: 'ipv4', mapped: true };
  const version = isIP(ip);
  if (version === 4) return { ip, family: 'ipv4', mapped: false };
  if (version === 6) return { ip, family: 'ipv6', mapped: false };
  return null;
}
