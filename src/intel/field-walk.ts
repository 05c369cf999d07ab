/**
 * @module intel/field-walk
 * Reading the matched fields (intel/event-fields) out of an event, in their order, handing every
 * string (and every string item of an array, up to a cap) to a visitor.
 *
 * Two walkers, one result. `walkDefaultFields` is the default list written out as plain property
 * reads; `walkFieldGroups` reads any compiled list with computed keys. Measured on parsed events
 * (bench/intel.ts machine), the written-out walk costs about a tenth of the computed one: every
 * `object[name]` with a name from a table is a megamorphic keyed load, while `object.name` gets
 * an inline cache per site. The matcher uses the first when its fields are the default list;
 * `field-walk.test.ts` checks that both visit the same values in the same order.
 */
import type { EcsEvent, EcsObject, EcsValue } from '../core/event.js';
import type { FieldGroup } from './event-fields.js';

export interface FieldVisitor {
  /** A string value of a field: `kind` indexes event-fields `fieldKinds`. */
  visit(kind: number, field: string, value: string): void;
}

/**
 * At most this many items of an array field are read: ECS arrays of addresses and hosts are
 * short, and a hostile event must not make one match arbitrarily slow.
 */
export const MAX_ARRAY_ITEMS = 64;

// Indexes of event-fields `fieldKinds`.
export const IP = 0;
export const ADDRESS = 1;
export const DOMAIN = 2;
export const URL_KIND = 3;
export const MD5 = 4;
export const SHA1 = 5;
export const SHA256 = 6;
export const ANY_HASH = 7;
export const EMAIL = 8;
export const JA3 = 9;
export const JA4 = 10;
export const USER_AGENT = 11;

function visitValue(visitor: FieldVisitor, kind: number, field: string, value: EcsValue | undefined): void {
  if (typeof value === 'string') visitor.visit(kind, field, value);
  else if (Array.isArray(value)) {
    const count = Math.min(value.length, MAX_ARRAY_ITEMS);
    for (let k = 0; k < count; k++) {
      const item = value[k];
      if (typeof item === 'string') visitor.visit(kind, field, item);
    }
  }
}

/** `value` when it is a plain object (a field set), else null. */
function objectOf(value: EcsValue | undefined): EcsObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

/** Any compiled field list, with computed keys. */
export function walkFieldGroups(event: EcsEvent, groups: readonly FieldGroup[], visitor: FieldVisitor): void {
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as FieldGroup;
    const root = objectOf(event[group.top]);
    if (root === null) continue;
    const fields = group.fields;
    for (let f = 0; f < fields.length; f++) {
      const compiled = fields[f] as (typeof fields)[number];
      const path = compiled.path;
      let node: EcsValue | undefined = root;
      for (let s = 0; s < path.length && node !== undefined; s++) {
        const parent = objectOf(node);
        node = parent === null ? undefined : parent[path[s] as string];
      }
      visitValue(visitor, compiled.kind, compiled.field, node);
    }
  }
}

/**
 * event-fields `defaultMatchedFields`, written out: the same fields, grouped by top-level object
 * in the order of their first appearance in the list, fields in list order within a group.
 */
export function walkDefaultFields(event: EcsEvent, visitor: FieldVisitor): void {
  const source = objectOf(event.source);
  if (source !== null) {
    visitValue(visitor, IP, 'source.ip', source.ip);
    visitValue(visitor, ADDRESS, 'source.address', source.address);
    const user = objectOf(source.user);
    if (user !== null) visitValue(visitor, EMAIL, 'source.user.email', user.email);
  }
  const destination = objectOf(event.destination);
  if (destination !== null) {
    visitValue(visitor, IP, 'destination.ip', destination.ip);
    visitValue(visitor, ADDRESS, 'destination.address', destination.address);
    visitValue(visitor, DOMAIN, 'destination.domain', destination.domain);
  }
  const client = objectOf(event.client);
  if (client !== null) visitValue(visitor, IP, 'client.ip', client.ip);
  const server = objectOf(event.server);
  if (server !== null) {
    visitValue(visitor, IP, 'server.ip', server.ip);
    visitValue(visitor, DOMAIN, 'server.domain', server.domain);
  }
  const host = objectOf(event.host);
  if (host !== null) visitValue(visitor, IP, 'host.ip', host.ip);
  const url = objectOf(event.url);
  if (url !== null) {
    visitValue(visitor, DOMAIN, 'url.domain', url.domain);
    visitValue(visitor, URL_KIND, 'url.full', url.full);
    visitValue(visitor, URL_KIND, 'url.original', url.original);
  }
  const tls = objectOf(event.tls);
  if (tls !== null) {
    const tlsClient = objectOf(tls.client);
    if (tlsClient !== null) {
      visitValue(visitor, DOMAIN, 'tls.client.server_name', tlsClient.server_name);
      visitValue(visitor, JA3, 'tls.client.ja3', tlsClient.ja3);
      visitValue(visitor, JA4, 'tls.client.ja4', tlsClient.ja4);
    }
  }
  const dns = objectOf(event.dns);
  if (dns !== null) {
    const question = objectOf(dns.question);
    if (question !== null) visitValue(visitor, DOMAIN, 'dns.question.name', question.name);
  }
  const file = objectOf(event.file);
  if (file !== null) {
    const hash = objectOf(file.hash);
    if (hash !== null) {
      visitValue(visitor, MD5, 'file.hash.md5', hash.md5);
      visitValue(visitor, SHA1, 'file.hash.sha1', hash.sha1);
      visitValue(visitor, SHA256, 'file.hash.sha256', hash.sha256);
    }
  }
  const process = objectOf(event.process);
  if (process !== null) {
    const hash = objectOf(process.hash);
    if (hash !== null) {
      visitValue(visitor, MD5, 'process.hash.md5', hash.md5);
      visitValue(visitor, SHA1, 'process.hash.sha1', hash.sha1);
      visitValue(visitor, SHA256, 'process.hash.sha256', hash.sha256);
    }
  }
  const email = objectOf(event.email);
  if (email !== null) {
    const from = objectOf(email.from);
    if (from !== null) visitValue(visitor, EMAIL, 'email.from.address', from.address);
    const to = objectOf(email.to);
    if (to !== null) visitValue(visitor, EMAIL, 'email.to.address', to.address);
    const cc = objectOf(email.cc);
    if (cc !== null) visitValue(visitor, EMAIL, 'email.cc.address', cc.address);
    const bcc = objectOf(email.bcc);
    if (bcc !== null) visitValue(visitor, EMAIL, 'email.bcc.address', bcc.address);
    const replyTo = objectOf(email.reply_to);
    if (replyTo !== null) visitValue(visitor, EMAIL, 'email.reply_to.address', replyTo.address);
    const sender = objectOf(email.sender);
    if (sender !== null) visitValue(visitor, EMAIL, 'email.sender.address', sender.address);
  }
  const user = objectOf(event.user);
  if (user !== null) visitValue(visitor, EMAIL, 'user.email', user.email);
  const userAgent = objectOf(event.user_agent);
  if (userAgent !== null) visitValue(visitor, USER_AGENT, 'user_agent.original', userAgent.original);
  const related = objectOf(event.related);
  if (related !== null) {
    visitValue(visitor, IP, 'related.ip', related.ip);
    visitValue(visitor, DOMAIN, 'related.hosts', related.hosts);
    visitValue(visitor, ANY_HASH, 'related.hash', related.hash);
  }
}
