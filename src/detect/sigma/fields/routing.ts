/**
 * @module detect/sigma/fields/routing
 * Which Sigma logsources an ECS event belongs to, so that each event meets only the rules that can
 * apply to it. Logsource names and the Windows channel / Sysmon event-id tables are the Sigma
 * taxonomy appendix v2.1.0's ("Log Sources"); a rule applies when every key it states (category,
 * product, service) is among the event's keys, as pySigma's `LogsourceCondition` matches:
 * `product: windows` alone reaches every Windows event, a rule stating nothing reaches every event.
 *
 *   event                                                    keys
 *   ───────────────────────────────────────────────────────  ─────────────────────────────────────────
 *   winlog.*                                                 product=windows (product=linux for Linux-Sysmon)
 *     channel (case-insensitive), e.g. Security, System       + service=<taxonomy service of the channel>
 *     Sysmon (channel or provider) event N                   + service=sysmon, category=<Sysmon N>: 1 process_creation,
 *                                                              3 network_connection, 7 image_load, 11 file_event,
 *                                                              12/13/14 registry_*, 22 dns_query … (taxonomy table)
 *     Security 4688                                          + category=process_creation
 *     PowerShell/Operational, PowerShellCore 4103 / 4104     + category=ps_module / ps_script
 *     Windows PowerShell 400 / 600 / 800                     + category=ps_classic_start / _provider_start / _script
 *   dataset nginx.access / apache.access / iis.access        category=webserver, service=nginx / apache / iis
 *   dataset nginx.error / apache.error                       service=nginx / apache
 *   dataset zeek.<log>                                       product=zeek, service=<log> (connection → conn);
 *                                                            http → category=proxy and webserver, dns → dns,
 *                                                            connection → firewall (pySigma ecs_zeek_beats)
 *   dataset auditd.log                                       product=linux, service=auditd
 *   dataset syslog, system.syslog, system.auth               product=linux, service=syslog, and by program:
 *     sshd, sshd-session                                     + service=sshd, service=auth
 *     sudo                                                   + service=sudo, service=auth
 *       (an allowed sudo: event.category process, type start) + category=process_creation
 *     su, login, passwd, useradd … ; facility auth/authpriv   + service=auth
 *     cron / CRON, vsftpd, clamd/freshclam, guacd, auditd    + service=cron / vsftpd / clamav / guacamole / auditd
 *   dataset cef, leef                                        by device vendor/product: firewalls (FortiGate,
 *                                                            PAN-OS, Check Point, ASA, SRX, pfSense, Sophos …)
 *                                                            → category=firewall; web proxies (Blue Coat, Squid,
 *                                                            Zscaler …) → category=proxy
 *   any other ECS document                                   product from host.os.type/family/platform or
 *                                                            event.module (windows, sysmon, linux, macos) and
 *                                                            category from ECS categorisation: process+start →
 *                                                            process_creation, process+end → process_termination,
 *                                                            file+creation → file_event, file+deletion →
 *                                                            file_delete, registry → registry_event (+ _set /
 *                                                            _add / _delete by type change / creation /
 *                                                            deletion), library → image_load, driver →
 *                                                            driver_load, network+connection/start on a host →
 *                                                            network_connection, dns → dns_query on Windows else
 *                                                            dns, web → webserver
 *
 * Keys are `category=…`, `product=…`, `service=…`, lower case. The few texts each kind of event is
 * classified by (its "profile": channel, event id, provider; dataset, program, facility …) are read
 * without allocating; keys and candidate lists are derived from the profile alone and cached in
 * nested Maps keyed by those texts, so routing an event is reading a few fields and six Map lookups.
 */
import type { EcsEvent } from '../../../core/event.js';
import type { Logsource } from '../contract.js';
import type { Profile } from './classify.js';
import { ProfileCache, keysOfProfile, readProfile, signatureOfProfile } from './classify.js';

/** Scratch for the profile of the event being routed: routing is synchronous, so one suffices. */
const scratch: Profile = { family: '', a: '', b: '', c: '', d: '', e: '' };

/**
 * The signature of an event: the family and the inputs its keys depend on, joined. Two events with
 * the same signature belong to the same logsources.
 */
export function logsourceSignatureOf(event: EcsEvent): string {
  return signatureOfProfile(readProfile(event, { family: '', a: '', b: '', c: '', d: '', e: '' }));
}

const keysCache = new ProfileCache<readonly string[]>();

/** The keys of the profile in `p`, cached. */
function cachedKeys(p: Profile): readonly string[] {
  let keys = keysCache.get(p);
  if (keys === undefined) {
    keys = Object.freeze(keysOfProfile(p));
    keysCache.set(p, keys);
  }
  return keys;
}

/** The logsource keys (`category=…`, `product=…`, `service=…`) an event satisfies. */
export function logsourceKeysOf(event: EcsEvent): string[] {
  return [...cachedKeys(readProfile(event, scratch))];
}

function norm(value: string | undefined): string {
  return value === undefined ? '' : value.trim().toLowerCase();
}

/** The keys a rule's logsource requires, in the order category, product, service. */
function requiredKeys(logsource: Logsource): string[] {
  const keys: string[] = [];
  const category = norm(logsource.category);
  const product = norm(logsource.product);
  const service = norm(logsource.service);
  if (category !== '') keys.push('category=' + category);
  if (product !== '') keys.push('product=' + product);
  if (service !== '') keys.push('service=' + service);
  return keys;
}

/**
 * The canonical key of a rule's logsource: its stated keys, lower case, space-separated
 * (`category=process_creation product=windows`); `*` when it states none (it applies to all).
 * Rules with the same key apply to the same events. `definition` is free text and ignored.
 */
export function ruleLogsourceKey(logsource: Logsource): string {
  const keys = requiredKeys(logsource);
  return keys.length === 0 ? '*' : keys.join(' ');
}

interface RouteGroup {
  readonly requires: readonly string[];
}

interface RouteEntry<T> {
  readonly group: number;
  readonly item: T;
}

/**
 * Items (compiled rules) indexed by logsource. `candidates(event)` returns, in the order added,
 * the items whose logsource the event satisfies; the answer is cached per event signature, so
 * after warm-up it is one signature and one Map lookup.
 */
export class LogsourceRouter<T> {
  private readonly groups: RouteGroup[] = [];
  private readonly groupIndex = new Map<string, number>();
  private readonly entries: RouteEntry<T>[] = [];
  private readonly cache = new ProfileCache<readonly T[]>();

  add(logsource: Logsource, item: T): void {
    const key = ruleLogsourceKey(logsource);
    let group = this.groupIndex.get(key);
    if (group === undefined) {
      group = this.groups.length;
      this.groups.push({ requires: requiredKeys(logsource) });
      this.groupIndex.set(key, group);
    }
    this.entries.push({ group, item });
    this.cache.clear();
  }

  /** Number of items added. */
  get size(): number {
    return this.entries.length;
  }

  candidates(event: EcsEvent): readonly T[] {
    const profile = readProfile(event, scratch);
    const hit = this.cache.get(profile);
    if (hit !== undefined) return hit;
    const keys = cachedKeys(profile);
    const applies = this.groups.map((g) => g.requires.every((k) => keys.includes(k)));
    const out: T[] = [];
    for (const entry of this.entries) if (applies[entry.group] === true) out.push(entry.item);
    const frozen = Object.freeze(out);
    this.cache.set(profile, frozen);
    return frozen;
  }
}
