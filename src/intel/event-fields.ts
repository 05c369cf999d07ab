/**
 * @module intel/event-fields
 * Which ECS fields the indicator matcher reads, and as what. Names follow the ECS reference
 * (https://www.elastic.co/guide/en/ecs/current/): `source.ip` is typed `ip`; `source.address` may
 * be an address or a host name (ECS "source.address": "the raw address … IP, domain or unix
 * socket"); `url.domain` may be an IP literal; `related.*` repeat what other fields hold, so they
 * come last and a hit is reported on the specific field first (the matcher reports each
 * indicator once per event). `tls.client.ja4` is not an ECS field yet; Zeek and Suricata
 * pipelines write it there.
 *
 * The list compiles to groups by top-level key: the matcher reads `event.source` once and then
 * its sub-fields, and skips a whole group with one read when the event has no such object (most
 * events have three or four of the fourteen).
 */
import { ConfigError } from '../core/errors.js';

export const fieldKinds = ['ip', 'address', 'domain', 'url', 'md5', 'sha1', 'sha256', 'hash', 'email', 'ja3', 'ja4', 'user-agent'] as const;
/**
 * How a field's value is matched: `ip` an address; `address` an address or a host name; `domain`
 * a host name (or an IP literal); `url` an absolute URL (and its host); `hash` any of MD5, SHA-1,
 * SHA-256 and JA3 by length; the others one indicator type each.
 */
export type FieldKind = (typeof fieldKinds)[number];

export interface MatchedField {
  field: string;
  kind: FieldKind;
}

export const defaultMatchedFields: readonly MatchedField[] = Object.freeze([
  { field: 'source.ip', kind: 'ip' },
  { field: 'destination.ip', kind: 'ip' },
  { field: 'client.ip', kind: 'ip' },
  { field: 'server.ip', kind: 'ip' },
  { field: 'source.address', kind: 'address' },
  { field: 'destination.address', kind: 'address' },
  { field: 'host.ip', kind: 'ip' },
  { field: 'url.domain', kind: 'domain' },
  { field: 'destination.domain', kind: 'domain' },
  { field: 'server.domain', kind: 'domain' },
  { field: 'tls.client.server_name', kind: 'domain' },
  { field: 'dns.question.name', kind: 'domain' },
  { field: 'url.full', kind: 'url' },
  { field: 'url.original', kind: 'url' },
  { field: 'file.hash.md5', kind: 'md5' },
  { field: 'file.hash.sha1', kind: 'sha1' },
  { field: 'file.hash.sha256', kind: 'sha256' },
  { field: 'process.hash.md5', kind: 'md5' },
  { field: 'process.hash.sha1', kind: 'sha1' },
  { field: 'process.hash.sha256', kind: 'sha256' },
  { field: 'email.from.address', kind: 'email' },
  { field: 'email.to.address', kind: 'email' },
  { field: 'email.cc.address', kind: 'email' },
  { field: 'email.bcc.address', kind: 'email' },
  { field: 'email.reply_to.address', kind: 'email' },
  { field: 'email.sender.address', kind: 'email' },
  { field: 'source.user.email', kind: 'email' },
  { field: 'user.email', kind: 'email' },
  { field: 'tls.client.ja3', kind: 'ja3' },
  { field: 'tls.client.ja4', kind: 'ja4' },
  { field: 'user_agent.original', kind: 'user-agent' },
  { field: 'related.ip', kind: 'ip' },
  { field: 'related.hosts', kind: 'domain' },
  { field: 'related.hash', kind: 'hash' },
] satisfies MatchedField[]);

export interface CompiledField {
  /** The dotted ECS name, reported in hits. */
  readonly field: string;
  /** Path below the group's top-level object. */
  readonly path: readonly string[];
  /** Index in `fieldKinds`. */
  readonly kind: number;
}

export interface FieldGroup {
  readonly top: string;
  readonly fields: readonly CompiledField[];
}

/**
 * Groups fields by their top-level key, in order of first appearance (which keeps `related` last).
 * Throws a `ConfigError` naming every field that is not a dotted name or has an unknown kind.
 */
export function compileFieldGroups(fields: readonly MatchedField[]): FieldGroup[] {
  const groups = new Map<string, CompiledField[]>();
  const problems: { path: string; message: string }[] = [];
  fields.forEach(({ field, kind }, index) => {
    const segments = String(field).split('.');
    const top = segments[0] as string;
    const kindIndex = fieldKinds.indexOf(kind);
    if (segments.length < 2 || segments.some((s) => s.length === 0)) problems.push({ path: `intel.fields[${index}].field`, message: `"${field}" is not a dotted ECS field name` });
    if (kindIndex === -1) problems.push({ path: `intel.fields[${index}].kind`, message: `unknown kind "${String(kind)}"; known: ${fieldKinds.join(', ')}` });
    if (problems.length > 0) return;
    let group = groups.get(top);
    if (group === undefined) {
      group = [];
      groups.set(top, group);
    }
    group.push({ field, path: segments.slice(1), kind: kindIndex });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return [...groups].map(([top, compiled]) => ({ top, fields: compiled }));
}
