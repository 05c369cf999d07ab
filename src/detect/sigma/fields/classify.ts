/**
 * @module detect/sigma/fields/classify
 * How routing (fields/routing) reads an event's logsource profile and derives its logsource keys:
 * the Windows channel and Sysmon event-id tables of the Sigma taxonomy appendix v2.1.0 ("Log
 * Sources"), datasets of our normalisers and of Filebeat modules, syslog programs and facilities,
 * CEF/LEEF device vendors, and ECS categorisation. The table of what maps to what is in
 * fields/routing's module comment.
 */
import type { EcsEvent } from '../../../core/event.js';
import { sysmonCategories, windowsServiceChannels } from './taxonomy.js';

/** Separates the parts of a signature (informational: caches are keyed by the parts themselves). */
const SEP = '\u0001';
/** Bound on cached signatures: crafted channel names must not grow memory without end. */
const CACHE_LIMIT = 4096;

const SECURITY_PROVIDER = 'microsoft-windows-security-auditing';
const SYSMON_PROVIDER = 'microsoft-windows-sysmon';
const SYSMON_CHANNEL = 'microsoft-windows-sysmon/operational';
const LINUX_SYSMON_CHANNEL = 'linux-sysmon/operational';

/** Lower-cased channel → taxonomy services. */
const SERVICES_OF_CHANNEL: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [service, channels] of Object.entries(windowsServiceChannels)) {
    for (const channel of channels) {
      const key = channel.toLowerCase();
      const list = map.get(key);
      if (list === undefined) map.set(key, [service]);
      else list.push(service);
    }
  }
  return map;
})();

/** Datasets whose keys do not depend on anything else in the event. */
const DATASET_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ['nginx.access', ['category=webserver', 'service=nginx']],
  ['apache.access', ['category=webserver', 'service=apache']],
  ['iis.access', ['category=webserver', 'service=iis']],
  ['nginx.error', ['service=nginx']],
  ['apache.error', ['service=apache']],
  ['auditd.log', ['product=linux', 'service=auditd']],
]);

const SYSLOG_DATASETS = new Set(['syslog', 'system.syslog', 'system.auth']);

/** Programs writing to auth.log (facility auth/authpriv) besides sshd and sudo. */
const AUTH_PROGRAMS = new Set([
  'su', 'login', 'passwd', 'useradd', 'usermod', 'userdel', 'groupadd', 'groupdel', 'groupmod', 'chpasswd',
  'chage', 'chsh', 'systemd-logind', 'polkitd', 'unix_chkpwd', 'pkexec', 'gdm-password', 'lightdm',
]);
const PROGRAM_SERVICES: ReadonlyMap<string, string> = new Map([
  ['cron', 'cron'], ['crond', 'cron'], ['anacron', 'cron'],
  ['vsftpd', 'vsftpd'],
  ['clamd', 'clamav'], ['freshclam', 'clamav'], ['clamav', 'clamav'],
  ['guacd', 'guacamole'], ['guacamole', 'guacamole'],
  ['auditd', 'auditd'], ['audispd', 'auditd'], ['audit', 'auditd'],
]);

const FIREWALL_WORDS = [
  'firewall', 'fortigate', 'fortios', 'pan-os', 'panos', 'palo alto', 'ngfw', 'check point', 'checkpoint',
  'vpn-1', 'pfsense', 'opnsense', 'sonicwall', 'watchguard', 'netscreen', 'juniper srx', 'cisco asa', 'sophos',
];
const FIREWALL_TOKENS = new Set(['asa', 'srx', 'utm', 'xgs']);
const PROXY_WORDS = ['proxy', 'bluecoat', 'blue coat', 'squid', 'zscaler', 'websense', 'web gateway', 'skyhigh', 'netskope'];

type Obj = Record<string, unknown>;

function objectAt(parent: Obj | undefined, key: string): Obj | undefined {
  if (parent === undefined) return undefined;
  const v = parent[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function textAt(parent: Obj | undefined, key: string): string {
  if (parent === undefined) return '';
  const v = parent[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return '';
}

/** An ECS keyword list (`event.category`) as one comma-joined string; a lone string too. */
function listAt(parent: Obj | undefined, key: string): string {
  if (parent === undefined) return '';
  const v = parent[key];
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) return '';
  let out = '';
  for (const item of v) if (typeof item === 'string') out = out.length === 0 ? item : out + ',' + item;
  return out;
}

/**
 * The inputs an event is classified by: a family letter and up to five texts. Read into one
 * module-level scratch object, so classifying allocates nothing (detection is synchronous).
 */
export interface Profile {
  family: string;
  a: string;
  b: string;
  c: string;
  d: string;
  e: string;
}

export function readProfile(event: EcsEvent, p: Profile): Profile {
  const root = event as Obj;
  const ev = objectAt(root, 'event');
  const winlog = objectAt(root, 'winlog');
  p.d = '';
  p.e = '';
  if (winlog !== undefined) {
    p.family = 'W';
    p.a = textAt(winlog, 'channel');
    p.b = textAt(winlog, 'event_id') || textAt(ev, 'code');
    p.c = textAt(winlog, 'provider_name') || textAt(ev, 'provider');
    return p;
  }
  const dataset = textAt(ev, 'dataset');
  p.a = dataset;
  if (DATASET_KEYS.has(dataset) || dataset.startsWith('zeek.')) {
    p.family = 'D';
    p.b = '';
    p.c = '';
  } else if (SYSLOG_DATASETS.has(dataset)) {
    const syslog = objectAt(objectAt(root, 'log'), 'syslog');
    p.family = 'S';
    p.b = textAt(syslog, 'appname') || textAt(objectAt(root, 'process'), 'name');
    p.c = textAt(objectAt(syslog, 'facility'), 'code');
    p.d = hasText(ev, 'category', 'process') && hasText(ev, 'type', 'start') ? 'p' : '';
  } else if (dataset === 'cef' || dataset === 'leef') {
    const device = objectAt(objectAt(root, dataset), 'device');
    p.family = 'C';
    p.b = textAt(device, 'vendor');
    p.c = textAt(device, 'product');
  } else {
    const os = objectAt(objectAt(root, 'host'), 'os');
    p.family = 'G';
    p.b = textAt(ev, 'module');
    p.c = textAt(os, 'type') || textAt(os, 'family') || textAt(os, 'platform');
    p.d = listAt(ev, 'category');
    p.e = listAt(ev, 'type');
  }
  return p;
}

/** True when the keyword field (a string or a list of strings) holds `value`. */
function hasText(parent: Obj | undefined, key: string, value: string): boolean {
  if (parent === undefined) return false;
  const v = parent[key];
  return v === value || (Array.isArray(v) && v.includes(value));
}

export function signatureOfProfile(p: Profile): string {
  return p.family + SEP + p.a + SEP + p.b + SEP + p.c + SEP + p.d + SEP + p.e;
}

interface TrieNode<V> {
  readonly children: Map<string, TrieNode<V>>;
  value: V | undefined;
}

function trieNode<V>(): TrieNode<V> {
  return { children: new Map(), value: undefined };
}

/**
 * Values cached by profile: nested Maps keyed by the profile's texts as read from the event, so a
 * hit is six Map lookups and no string is built. Bounded: crafted channel names cannot grow it.
 */
export class ProfileCache<V> {
  private root: TrieNode<V> = trieNode();
  private count = 0;

  get(p: Profile): V | undefined {
    return this.root.children.get(p.family)?.children.get(p.a)?.children.get(p.b)?.children.get(p.c)?.children.get(p.d)?.children.get(p.e)?.value;
  }

  set(p: Profile, value: V): void {
    if (this.count >= CACHE_LIMIT) this.clear();
    let node = this.root;
    for (const part of [p.family, p.a, p.b, p.c, p.d, p.e]) {
      let next = node.children.get(part);
      if (next === undefined) {
        next = trieNode();
        node.children.set(part, next);
      }
      node = next;
    }
    if (node.value === undefined) this.count++;
    node.value = value;
  }

  clear(): void {
    this.root = trieNode();
    this.count = 0;
  }
}

function windowsKeys(channel: string, eventId: string, provider: string): string[] {
  const ch = channel.toLowerCase();
  const prov = provider.toLowerCase();
  if (ch === LINUX_SYSMON_CHANNEL || prov === 'linux-sysmon') {
    return ['product=linux', 'service=sysmon', ...(sysmonCategories[eventId] ?? []).map((c) => 'category=' + c)];
  }
  const keys = ['product=windows'];
  const services = SERVICES_OF_CHANNEL.get(ch);
  if (services !== undefined) for (const s of services) keys.push('service=' + s);
  const sysmon = ch === SYSMON_CHANNEL || (ch === '' && prov === SYSMON_PROVIDER);
  if (sysmon) {
    if (services === undefined) keys.push('service=sysmon');
    for (const c of sysmonCategories[eventId] ?? []) keys.push('category=' + c);
    return keys;
  }
  if (ch === 'security' || (ch === '' && prov === SECURITY_PROVIDER)) {
    if (services === undefined) keys.push('service=security');
    if (eventId === '4688') keys.push('category=process_creation');
  } else if (ch === 'microsoft-windows-powershell/operational' || ch === 'powershellcore/operational') {
    if (eventId === '4103') keys.push('category=ps_module');
    else if (eventId === '4104') keys.push('category=ps_script');
  } else if (ch === 'windows powershell') {
    if (eventId === '400') keys.push('category=ps_classic_start');
    else if (eventId === '600') keys.push('category=ps_classic_provider_start');
    else if (eventId === '800') keys.push('category=ps_classic_script');
  }
  return keys;
}

function datasetKeys(dataset: string): string[] {
  const fixed = DATASET_KEYS.get(dataset);
  if (fixed !== undefined) return [...fixed];
  // zeek.<log> as Filebeat's zeek module names it.
  const log = dataset.slice(5);
  const service = log === 'connection' ? 'conn' : log;
  const keys = ['product=zeek', 'service=' + service];
  if (log === 'http') keys.push('category=proxy', 'category=webserver');
  else if (log === 'dns') keys.push('category=dns');
  else if (log === 'connection' || log === 'conn') keys.push('category=firewall');
  return keys;
}

function syslogKeys(dataset: string, program: string, facility: string, started: string): string[] {
  const keys = ['product=linux', 'service=syslog'];
  const services = new Set<string>();
  // RFC 5424 §6.2.1 facilities 4 (auth) and 10 (authpriv) are what auth.log collects.
  if (dataset === 'system.auth' || facility === '4' || facility === '10') services.add('auth');
  const name = program.toLowerCase();
  if (name.startsWith('sshd')) services.add('sshd').add('auth');
  else if (name === 'sudo') services.add('sudo').add('auth');
  else if (AUTH_PROGRAMS.has(name)) services.add('auth');
  else {
    const service = PROGRAM_SERVICES.get(name);
    if (service !== undefined) services.add(service);
  }
  for (const s of services) keys.push('service=' + s);
  if (started === 'p') keys.push('category=process_creation');
  return keys;
}

function deviceKeys(vendor: string, product: string): string[] {
  const text = (vendor + ' ' + product).toLowerCase();
  if (PROXY_WORDS.some((w) => text.includes(w))) return ['category=proxy'];
  if (FIREWALL_WORDS.some((w) => text.includes(w))) return ['category=firewall'];
  for (const token of text.split(/[^a-z0-9-]+/)) if (FIREWALL_TOKENS.has(token)) return ['category=firewall'];
  return [];
}

function productOf(module: string, os: string): string | undefined {
  const m = module.toLowerCase();
  if (m === 'windows' || m === 'sysmon' || m === 'powershell' || m === 'security') return 'windows';
  const o = os.toLowerCase();
  if (o === 'windows') return 'windows';
  if (o === 'macos' || o === 'darwin') return 'macos';
  if (o === 'linux' || o === 'debian' || o === 'rhel' || o === 'ubuntu' || o === 'redhat' || o === 'suse' || o === 'arch') return 'linux';
  if (m === 'auditd') return 'linux';
  return undefined;
}

function genericKeys(module: string, os: string, categoryList: string, typeList: string): string[] {
  const keys: string[] = [];
  const product = productOf(module, os);
  if (product !== undefined) keys.push('product=' + product);
  const categories = categoryList === '' ? [] : categoryList.split(',');
  const types = typeList === '' ? [] : typeList.split(',');
  const has = (t: string): boolean => types.includes(t);
  for (const category of categories) {
    switch (category) {
      case 'process':
        if (has('start')) keys.push('category=process_creation');
        if (has('end')) keys.push('category=process_termination');
        break;
      case 'file':
        if (has('creation')) keys.push('category=file_event');
        if (has('deletion')) keys.push('category=file_delete');
        break;
      case 'registry':
        keys.push('category=registry_event');
        if (has('change')) keys.push('category=registry_set');
        if (has('creation')) keys.push('category=registry_add');
        if (has('deletion')) keys.push('category=registry_delete');
        break;
      case 'library': keys.push('category=image_load'); break;
      case 'driver': keys.push('category=driver_load'); break;
      case 'network':
        if (product !== undefined && (has('connection') || has('start'))) keys.push('category=network_connection');
        break;
      case 'dns': keys.push(product === 'windows' ? 'category=dns_query' : 'category=dns'); break;
      case 'web': keys.push('category=webserver'); break;
    }
  }
  return [...new Set(keys)];
}

/** The keys of a profile: derived from the profile's texts alone. */
export function keysOfProfile(p: Profile): string[] {
  switch (p.family) {
    case 'W': return windowsKeys(p.a, p.b, p.c);
    case 'D': return datasetKeys(p.a);
    case 'S': return syslogKeys(p.a, p.b, p.c, p.d);
    case 'C': return deviceKeys(p.b, p.c);
    default: return genericKeys(p.b, p.c, p.d, p.e);
  }
}
