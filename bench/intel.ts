/**
 * @module bench/intel
 * `npm run bench:intel`: the indicator matcher (src/intel/matcher) at the size of a national
 * centre's store, on one core.
 *  1. Build: 1,000,000 indicators, generated deterministically (seeded) in a feed-like mix — 45%
 *     IPv4, 5% IPv6, 5% CIDR, 20% domains, 10% URLs, 12% hashes (MD5, SHA-1, SHA-256), 3% e-mail,
 *     JA3, JA4, user-agents — as full `Indicator` objects the way the store loads them (pages of
 *     10,000 passed through JSON, so strings are flat and arrays their own). The matcher is built
 *     the way intel/pipeline builds it: with the default warning lists, and with `resolve` (it
 *     keeps id, type and canonical value, not the objects, which are measured apart: their size
 *     alone is past the memory goal). Build time counts `addAll` only, not generating the pages;
 *     RSS is taken after GCs and once V8 has returned the freed pages (node runs with --expose-gc).
 *  2. CIDR structure: the trie (src/intel/cidr) against one hash map per prefix length, on the
 *     bench's IPv4 ranges and 1M public addresses; both must give the same answers.
 *  3. Match: 1,000,000 ECS events (source.ip, destination.ip, url.domain, url.original,
 *     user_agent.original, a tenth with file hashes; ~1% carrying an indicator, plus what random
 *     source addresses hit by chance), made as JSON text and parsed, so every string is fresh as
 *     from ingest; generated before timing, their garbage collected before each pass. A warm-up
 *     pass on a separate 100,000, then BENCH_PASSES timed passes (default 3; the matcher hashes
 *     strings itself, so a pass gains nothing from hashes V8 cached in the strings before), each
 *     also timed per slice of 50,000 events. Shared machines vary by a factor of several from one
 *     second to the next, so the state of the machine (an integer loop and random reads over
 *     4 MiB) is measured before and after.
 *  4. Incremental: adding 10,000 indicators to the loaded matcher, and removing them.
 * Goals: load 1M in ≤ 10 s and ≤ 500 MB RSS; match ≤ 1 µs per event (≥ 1M events/s).
 * Environment: BENCH_INDICATORS (default 1000000), BENCH_EVENTS (default 1000000), BENCH_PASSES
 * (default 3), BENCH_SEED.
 */
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { EcsEvent } from '../src/core/event.js';
import { Ipv4PrefixTrie } from '../src/intel/cidr.js';
import { ipv4Mask, formatIPv4, formatIPv6, parsePrefix } from '../src/intel/ip.js';
import { IntTable } from '../src/intel/hash-tables.js';
import { IndicatorMatcher } from '../src/intel/matcher.js';
import type { Indicator, IndicatorType } from '../src/intel/model.js';
import { buildWarningLists } from '../src/intel/warning-lists.js';

const indicatorCount = Number(process.env['BENCH_INDICATORS'] ?? 1_000_000);
const eventCount = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const warmupCount = Math.min(100_000, eventCount);
const passCount = Math.max(1, Number(process.env['BENCH_PASSES'] ?? 3));
const seed = Number(process.env['BENCH_SEED'] ?? 20260302);
const BASE = Date.parse('2026-03-02T00:00:00.000Z');
const DAY = 86_400_000;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const gc = (globalThis as { gc?: () => void }).gc;
function rssAfterGc(): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().rss;
}
/**
 * RSS once the garbage is collected and V8 has handed the freed pages back (it unmaps them from a
 * background task, so RSS right after a GC still counts them).
 */
async function settledRss(): Promise<number> {
  for (let round = 0; round < 5; round++) {
    rssAfterGc();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return rssAfterGc();
}
const heapUsed = (): number => process.memoryUsage().heapUsed;

// -------------------------------------------------------------------------------------------
// Deterministic generation

/** sfc32 (PractRand's small fast counter): good enough, fast, and seeded. */
function generator(s: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = s | 0;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}
const rand = generator(seed);
const below = (n: number): number => rand() % n;
const pick = <T>(items: readonly T[]): T => items[below(items.length)] as T;
const hex = (length: number): string => {
  let text = '';
  while (text.length < length) text += rand().toString(16).padStart(8, '0');
  return text.slice(0, length);
};

/** A public unicast IPv4 (not in the special-purpose ranges the warning lists refuse). */
function publicIPv4(): number {
  for (;;) {
    const addr = rand() | 0;
    const first = addr >>> 24;
    if (first === 0 || first === 10 || first === 127 || first >= 224 || first === 100 || first === 169 || first === 172 || first === 192 || first === 198) continue;
    if (first === 104 || first === 8 || first === 1 || first === 9) continue; // CDN and resolvers
    return addr;
  }
}

const syllables = ['ba', 'ke', 'lo', 'mi', 'nu', 'po', 'ra', 'si', 'tu', 'vy', 'xa', 'qu', 'zen', 'dar', 'kor', 'lex'];
const tlds = ['com', 'net', 'org', 'info', 'xyz', 'top', 'ru', 'cn', 'io', 'online', 'site', 'vn', 'com.vn', 'shop', 'click'];
const feeds = ['taxii:alliance-a/apt', 'taxii:alliance-a/crime', 'misp:circl', 'misp:vncert', 'misp:botvrij', 'abuse.ch:urlhaus', 'abuse.ch:feodo', 'abuse.ch:malwarebazaar', 'analyst:usr_soc1', 'analyst:usr_soc2', 'spamhaus:drop', 'firehol:level1'];
const families = ['emotet', 'qakbot', 'cobalt-strike', 'asyncrat', 'redline', 'lumma', 'mirai', 'plugx', 'shadowpad', 'phishing'];
const agents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/124.0.200 Chrome/118.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Zalo/24.10 (Android 13; vi_VN)',
  'curl/8.5.0',
];
const benignSites = [
  'dichvucong.gov.vn', 'dichvucong.hanoi.gov.vn', 'portal.hochiminhcity.gov.vn', 'thuvienphapluat.vn', 'vnexpress.net', 'www.google.com', 'fonts.googleapis.com',
  'www.facebook.com', 'zalo.me', 'chat.zalo.me', 'login.microsoftonline.com', 'outlook.office365.com', 'cdn.jsdelivr.net', 'api.vneid.gov.vn', 'baochinhphu.vn',
  'tuoitre.vn', 'shopee.vn', 'tiki.vn', 'static.xx.fbcdn.net', 'update.microsoft.com', 'github.com', 'vietcombank.com.vn', 'mail.mof.gov.vn', 'sso.hanoi.gov.vn',
];
const paths = ['/', '/dich-vu-cong/tiep-nhan-ho-so', '/tra-cuu-ho-so?ma-ho-so=000.00.31.H26-261124-0012', '/static/js/app.3f9c1b.js', '/api/v1/thu-tuc?linh-vuc=ho-tich&trang=2', '/dang-nhap?redirect=%2Fho-so-cua-toi', '/favicon.ico'];

let serial = 0;
function freshLabel(): string {
  serial++;
  return `${pick(syllables)}${pick(syllables)}${serial.toString(36)}`;
}
function maliciousDomain(): string {
  const base = `${freshLabel()}.${pick(tlds)}`;
  return below(4) === 0 ? `${pick(['login', 'secure', 'cdn', 'update', 'mail'])}.${base}` : base;
}
function isoAround(daysBack: number): string {
  return new Date(BASE - below(daysBack * 24) * 3_600_000 - below(3_600_000)).toISOString();
}

/** CIDR lengths as blocklists have them: mostly /24 and single hosts, few large ranges. */
function cidrLength(): number {
  const r = below(100);
  if (r < 25) return 32;
  if (r < 40) return 25 + below(7);
  if (r < 80) return 24;
  if (r < 99) return 20 + below(4);
  return 16 + below(4);
}

function valueFor(type: IndicatorType): string {
  switch (type) {
    case 'ipv4':
      return formatIPv4(publicIPv4());
    case 'ipv6':
      return formatIPv6(Int32Array.of(0x2a000000 | (rand() & 0xffffff), rand() | 0, rand() & 0xffff, rand() | 0));
    case 'cidr':
      if (below(10) === 0) {
        const len = 32 + below(33);
        const words = Int32Array.of(0x24000000 | (rand() & 0x3ffffff), rand() | 0, 0, 0);
        const prefix = parsePrefix(`${formatIPv6(words)}/${len}`);
        return 'error' in prefix ? '2400::/12' : `${formatIPv6(prefix.version === 6 ? prefix.words : words)}/${len}`;
      } else {
        const len = cidrLength();
        return `${formatIPv4(publicIPv4() & ipv4Mask(len))}/${len}`;
      }
    case 'domain':
      return maliciousDomain();
    case 'url':
      return `${pick(['http', 'https'])}://${maliciousDomain()}/${freshLabel()}/${pick(['index.php', 'login.html', 'payload.bin', 'gate.php', 'invoice.zip'])}${below(3) === 0 ? `?id=${below(100000)}` : ''}`;
    case 'md5':
      return hex(32);
    case 'sha1':
      return hex(40);
    case 'sha256':
      return hex(64);
    case 'email':
      return `${freshLabel()}@${maliciousDomain()}`;
    case 'ja3':
      return hex(32);
    case 'ja4':
      return `t13d${String(10 + below(30)).padStart(2, '0')}${String(10 + below(20)).padStart(2, '0')}h2_${hex(12)}_${hex(12)}`;
    case 'user-agent':
      return `${pick(['Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)', 'python-requests', 'Go-http-client', 'sqlmap', 'Nuclei', 'zgrab'])}/${below(10)}.${below(100)} ${freshLabel()}`;
    default:
      return '';
  }
}

/** The mix, per thousand. */
const mix: [IndicatorType, number][] = [
  ['ipv4', 450], ['ipv6', 50], ['cidr', 50], ['domain', 200], ['url', 100], ['md5', 40], ['sha1', 40], ['sha256', 40],
  ['email', 10], ['ja3', 5], ['ja4', 5], ['user-agent', 10],
];
const mixTable: IndicatorType[] = mix.flatMap(([type, perThousand]) => new Array<IndicatorType>(perThousand).fill(type));

/**
 * Indicators as the store loads them: generated in chunks and passed through JSON, so that every
 * string is flat and every array its own, as rows read from SQLite are (template literals would
 * leave rope strings, bigger than what a real load holds).
 */
export function makeIndicators(first: number, count: number): Indicator[] {
  const out: Indicator[] = [];
  for (let start = first; start < first + count; start += 10_000) {
    const chunk = generateIndicators(start, Math.min(10_000, first + count - start));
    for (const indicator of JSON.parse(JSON.stringify(chunk)) as Indicator[]) out.push(indicator);
  }
  return out;
}

function generateIndicators(first: number, count: number): Indicator[] {
  const out: Indicator[] = new Array<Indicator>(count);
  for (let k = 0; k < count; k++) {
    const i = first + k;
    const type = mixTable[i % 1000] as IndicatorType;
    const firstSeen = isoAround(400);
    out[k] = {
      id: `ind_${(i + 1).toString(36).padStart(8, '0')}${hex(8)}`,
      type,
      value: valueFor(type),
      source: pick(feeds),
      confidence: 40 + below(61),
      firstSeen,
      lastSeen: isoAround(14),
      validUntil: below(4) === 0 ? new Date(BASE + (below(200) - 2) * DAY).toISOString() : null,
      killChain: below(3) === 0 ? ['lockheed-martin-cyber-kill-chain:command-and-control'] : [],
      attack: below(3) === 0 ? ['T1071'] : [],
      labels: [pick(families)],
      description: null,
      tlp: pick(['clear', 'green', 'green', 'amber'] as const),
      ownerOrgId: 'org_root',
      sharedWith: [],
      stixId: below(2) === 0 ? `indicator--${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}` : null,
      revoked: false,
      createdAt: firstSeen,
      updatedAt: firstSeen,
    };
  }
  return out;
}

// -------------------------------------------------------------------------------------------
// Events

export interface Targets {
  ipv4: string[];
  cidr: string[];
  domain: string[];
  url: string[];
  md5: string[];
  sha256: string[];
  ua: string[];
}

/** Every 7th indicator (without an end of validity) can be put into an event. */
export function collectTargets(indicators: Indicator[], targets: Targets): void {
  for (let i = 0; i < indicators.length; i += 7) {
    const { type, value, validUntil } = indicators[i] as Indicator;
    if (validUntil !== null) continue;
    if (type === 'ipv4') targets.ipv4.push(value);
    else if (type === 'cidr' && !value.includes(':')) targets.cidr.push(value);
    else if (type === 'domain') targets.domain.push(value);
    else if (type === 'url') targets.url.push(value);
    else if (type === 'md5') targets.md5.push(value);
    else if (type === 'sha256') targets.sha256.push(value);
    else if (type === 'user-agent') targets.ua.push(value);
  }
}

function eventJson(i: number, targets: Targets): string {
  const sourceIp = formatIPv4(publicIPv4());
  const destinationIp = `203.119.${8 + below(4)}.${1 + below(254)}`;
  let domain = pick(benignSites);
  let original = `https://${domain}${pick(paths)}`;
  let agent = pick(agents);
  let source = sourceIp;
  let file: unknown;
  if (below(10) === 0) file = { hash: { md5: hex(32), sha256: hex(64) } };
  if (below(100) === 0) {
    // ~1% carry an indicator, in the field where it would appear
    switch (below(7)) {
      case 0:
        source = pick(targets.ipv4);
        break;
      case 1: {
        const prefix = parsePrefix(pick(targets.cidr));
        if (!('error' in prefix) && prefix.version === 4) source = formatIPv4(prefix.net | (rand() & ~ipv4Mask(prefix.len)));
        break;
      }
      case 2:
        domain = `www.${pick(targets.domain)}`;
        original = `http://${domain}/`;
        break;
      case 3:
        original = pick(targets.url);
        domain = new URL(original).hostname;
        break;
      case 4:
        file = { hash: { md5: pick(targets.md5), sha256: hex(64) } };
        break;
      case 5:
        file = { hash: { md5: hex(32), sha256: pick(targets.sha256) } };
        break;
      default:
        agent = pick(targets.ua);
    }
  }
  return JSON.stringify({
    '@timestamp': new Date(BASE + i * 17).toISOString(),
    event: { kind: 'event', category: ['network', 'web'], type: ['access'], dataset: 'nginx.access', outcome: 'success' },
    source: { ip: source, port: 1024 + below(60000) },
    destination: { ip: destinationIp, port: 443 },
    url: { domain, original },
    http: { request: { method: 'GET' }, response: { status_code: 200 } },
    user_agent: { original: agent },
    ...(file === undefined ? {} : { file }),
    organization: { id: 'org_hanoi' },
  });
}

export function makeEvents(count: number, targets: Targets, offset: number): EcsEvent[] {
  const events: EcsEvent[] = new Array<EcsEvent>(count);
  for (let i = 0; i < count; i++) events[i] = JSON.parse(eventJson(offset + i, targets)) as EcsEvent;
  return events;
}

// -------------------------------------------------------------------------------------------
// The alternative CIDR structure: one Map per prefix length, probing the lengths present.

class PrefixLengthMaps {
  /** One table per prefix length: JavaScript Maps, or the matcher's own int tables (hash-tables). */
  private readonly maps: (Map<number, number> | IntTable)[];
  private lengths: number[] = [];

  constructor(kind: 'map' | 'int-table') {
    this.maps = Array.from({ length: 33 }, () => (kind === 'map' ? new Map<number, number>() : new IntTable()));
  }

  set(net: number, len: number, payload: number): void {
    (this.maps[len] as Map<number, number> | IntTable).set(net & ipv4Mask(len), payload);
    if (!this.lengths.includes(len)) this.lengths = [...this.lengths, len].sort((a, b) => a - b);
  }

  collect(addr: number, out: Int32Array): number {
    let found = 0;
    const lengths = this.lengths;
    for (let k = 0; k < lengths.length; k++) {
      const len = lengths[k] as number;
      const value = (this.maps[len] as Map<number, number> | IntTable).get(addr & (len === 0 ? 0 : (-1 << (32 - len)) | 0));
      if (value !== undefined) out[found++] = value;
    }
    return found;
  }

  get lengthCount(): number {
    return this.lengths.length;
  }
}

function compareCidrStructures(indicators: Indicator[], addresses: Int32Array): void {
  const trie = new Ipv4PrefixTrie();
  const maps = new PrefixLengthMaps('map');
  const tables = new PrefixLengthMaps('int-table');
  let payload = 0;
  for (const indicator of indicators) {
    if (indicator.type !== 'cidr' || indicator.value.includes(':')) continue;
    const prefix = parsePrefix(indicator.value);
    if ('error' in prefix || prefix.version !== 4) continue;
    trie.set(prefix.net, prefix.len, payload);
    maps.set(prefix.net, prefix.len, payload);
    tables.set(prefix.net, prefix.len, payload);
    payload++;
  }
  const out = new Int32Array(33);
  const run = (collect: (addr: number, out: Int32Array) => number): { ns: number; found: number } => {
    let found = 0;
    for (let i = 0; i < addresses.length; i++) found += collect(addresses[i] as number, out); // warm-up
    found = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < addresses.length; i++) found += collect(addresses[i] as number, out);
    return { ns: Number(process.hrtime.bigint() - started) / addresses.length, found };
  };
  const trieResult = run((addr, o) => trie.collect(addr, o));
  const mapsResult = run((addr, o) => maps.collect(addr, o));
  const tablesResult = run((addr, o) => tables.collect(addr, o));
  // Same answers, address by address (order: all shortest first).
  const a = new Int32Array(33);
  const b = new Int32Array(33);
  let mismatches = 0;
  for (let i = 0; i < addresses.length; i += 13) {
    const n = trie.collect(addresses[i] as number, a);
    const m = tables.collect(addresses[i] as number, b);
    if (n !== m || a.subarray(0, n).some((v, k) => v !== b[k])) mismatches++;
  }
  const same = mismatches === 0 && trieResult.found === mapsResult.found && trieResult.found === tablesResult.found;
  console.log(`CIDR structures: ${payload.toLocaleString('en')} IPv4 ranges over ${maps.lengthCount} prefix lengths, ${trie.nodeCount.toLocaleString('en')} trie nodes; ${addresses.length.toLocaleString('en')} lookups of every covering range`);
  console.log(`  binary trie with /16 and /20 summaries ${trieResult.ns.toFixed(0)} ns/lookup; one hash table per prefix length present: ${tablesResult.ns.toFixed(0)} ns (int tables), ${mapsResult.ns.toFixed(0)} ns (Maps); ${trieResult.found.toLocaleString('en')} containments; ${same ? 'identical answers' : `MISMATCH (${mismatches})`}`);
}

// -------------------------------------------------------------------------------------------

/** Time of `work` as wall clock and as this process's CPU time (the machine may be shared). */
function timed<T>(work: () => T): { result: T; wallMs: number; cpuMs: number } {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = work();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

interface PassResult {
  hits: number;
  eventsWithHits: number;
  wallMs: number;
  cpuMs: number;
  /** ns/event of each slice of CHUNK events, wall clock. */
  chunks: number[];
}

const CHUNK = 50_000;

/**
 * One timed pass of `match` over every event, also timed per slice of 50,000 events: on a shared
 * machine a slice now and then runs on an uncontended core, and the fastest slices show what one
 * core does; the whole pass shows what this machine did.
 */
function matchPass(matcher: IndicatorMatcher, events: EcsEvent[]): PassResult {
  const chunks: number[] = [];
  const { result, wallMs, cpuMs } = timed(() => {
    let hits = 0;
    let eventsWithHits = 0;
    for (let start = 0; start < events.length; start += CHUNK) {
      const end = Math.min(events.length, start + CHUNK);
      const began = process.hrtime.bigint();
      for (let i = start; i < end; i++) {
        const found = matcher.match(events[i] as EcsEvent);
        if (found.length > 0) {
          hits += found.length;
          eventsWithHits++;
        }
      }
      chunks.push(Number(process.hrtime.bigint() - began) / (end - start));
    }
    return { hits, eventsWithHits };
  });
  return { ...result, wallMs, cpuMs, chunks };
}

/**
 * The state of the machine: ns per iteration of an integer loop (the core's speed; about 0.3 on
 * this bench's machine when nothing else runs) and per dependent random read over 4 MiB, four
 * times the L2 cache here (memory latency, which the matcher's table lookups pay; 15–20 ns when
 * quiet, several times more when other tenants thrash the shared cache). The fastest of five.
 */
function machineState(): { loopNs: number; readNs: number } {
  let loopNs = Infinity;
  let readNs = Infinity;
  const slots = (4 * 1024 * 1024) / 4;
  const next = new Int32Array(slots);
  // one random cycle through cache lines (16 int32 apart)
  const lines = slots / 16;
  const order = Array.from({ length: lines }, (_, i) => i);
  for (let i = lines - 1; i > 0; i--) {
    const j = below(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  for (let k = 0; k < lines; k++) next[(order[k] as number) * 16] = (order[(k + 1) % lines] as number) * 16;
  for (let round = 0; round < 5; round++) {
    let began = process.hrtime.bigint();
    let x = 0;
    for (let i = 0; i < 20_000_000; i++) x = (x + i) | 0;
    loopNs = Math.min(loopNs, Number(process.hrtime.bigint() - began) / 20_000_000);
    began = process.hrtime.bigint();
    let at = 0;
    for (let i = 0; i < 1_000_000; i++) at = next[at] as number;
    readNs = Math.min(readNs, Number(process.hrtime.bigint() - began) / 1_000_000);
    if (x === 42 && at === -1) console.log(''); // keep both loops
  }
  return { loopNs, readNs };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** The bench's `resolve`: a stand-in object for the id (the store would answer from its cache). */
function standIn(id: string): Indicator {
  return { id, type: 'ipv4', value: '', source: 'bench', confidence: 50, firstSeen: '', lastSeen: '', validUntil: null, killChain: [], attack: [], labels: [], description: null, tlp: 'green', ownerOrgId: 'org_root', sharedWith: [], stixId: null, revoked: false, createdAt: '', updatedAt: '' };
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}${gc ? '' : ' (no --expose-gc: RSS without a forced GC)'}`);
  console.log(`goals: load 1M indicators ≤ 10 s and ≤ 500 MB RSS; match ≤ 1 µs/event (≥ 1M events/s) on one core`);

  // What a loaded Indicator object costs, to explain why the matcher runs with `resolve`.
  const heapBefore = (rssAfterGc(), heapUsed());
  let sample: Indicator[] | null = makeIndicators(20_000_000, 100_000);
  const perObject = (rssAfterGc(), heapUsed() - heapBefore) / sample.length;
  sample = null;
  console.log(`\nindicator objects as loaded from the store: ${perObject.toFixed(0)} bytes each on the heap → ${mib(perObject * indicatorCount)} for ${indicatorCount.toLocaleString('en')}; the matcher is built with \`resolve\` and keeps id, type and canonical value only`);

  // Build: the indicators arrive in pages (as from a paged SELECT) and are not kept.
  const rssStart = await settledRss();
  const warnings = buildWarningLists();
  const matcher = new IndicatorMatcher([], { warnings, now: () => BASE, resolve: standIn, expectedIndicators: indicatorCount });
  const counts = new Map<string, number>();
  const targets: Targets = { ipv4: [], cidr: [], domain: [], url: [], md5: [], sha256: [], ua: [] };
  const cidrs: Indicator[] = [];
  let buildWall = 0;
  let buildCpu = 0;
  let warned = 0;
  let invalid = 0;
  let firstError = '';
  const generateStarted = performance.now();
  for (let start = 0; start < indicatorCount; start += 10_000) {
    const page = makeIndicators(start, Math.min(10_000, indicatorCount - start));
    for (const indicator of page) counts.set(indicator.type, (counts.get(indicator.type) ?? 0) + 1);
    collectTargets(page, targets);
    for (const indicator of page) if (indicator.type === 'cidr') cidrs.push(indicator);
    const { result: summary, wallMs, cpuMs } = timed(() => matcher.addAll(page));
    buildWall += wallMs;
    buildCpu += cpuMs;
    warned += summary.warned.length;
    invalid += summary.errors.length;
    firstError ||= summary.errors[0]?.error ?? '';
  }
  const generateSeconds = (performance.now() - generateStarted) / 1000 - buildWall / 1000;
  const rssBuilt = await settledRss();
  const memory = process.memoryUsage();
  console.log(`indicators: ${indicatorCount.toLocaleString('en')} (seed ${seed}; generated in ${generateSeconds.toFixed(1)} s, not counted): ${[...counts].map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')}`);
  console.log(`build: ${(buildWall / 1000).toFixed(2)} s wall, ${(buildCpu / 1000).toFixed(2)} s CPU → ${matcher.size.toLocaleString('en')} indexed, ${warned} on warning lists, ${invalid} invalid${firstError ? ` (first: ${firstError})` : ''}`);
  console.log(`RSS after GC: ${mib(rssStart)} before, ${mib(rssBuilt)} with the matcher built (heap used ${mib(memory.heapUsed)}, array buffers ${mib(memory.arrayBuffers)})`);

  const generateEventsStarted = performance.now();
  const warmup = makeEvents(warmupCount, targets, 0);
  const events = makeEvents(eventCount, targets, warmupCount);
  console.log(`\nevents: ${warmup.length.toLocaleString('en')} warm-up + ${events.length.toLocaleString('en')} timed, generated and JSON-parsed in ${((performance.now() - generateEventsStarted) / 1000).toFixed(1)} s`);

  const addresses = new Int32Array(1_000_000);
  for (let i = 0; i < addresses.length; i++) addresses[i] = publicIPv4();
  compareCidrStructures(cidrs, addresses);

  rssAfterGc();
  let warmHits = 0;
  for (const event of warmup) warmHits += matcher.match(event).length;
  const stateBefore = machineState();
  const passes: PassResult[] = [];
  for (let p = 0; p < passCount; p++) {
    // The bench's own garbage (the events' JSON text) must not be collected inside a timed pass;
    // and after a full GC the matcher's tables are out of the caches: warm them up again, as a
    // running matcher is.
    rssAfterGc();
    for (const event of warmup) matcher.match(event);
    passes.push(matchPass(matcher, events));
  }
  const stateAfter = machineState();
  const pass = passes.reduce((best, current) => (current.wallMs < best.wallMs ? current : best));
  const nsWall = (pass.wallMs * 1e6) / events.length;
  const nsCpu = (pass.cpuMs * 1e6) / events.length;
  const spread = passes.map((p) => `${((p.wallMs * 1e6) / events.length).toFixed(0)}/${((p.cpuMs * 1e6) / events.length).toFixed(0)}`).join(', ');
  const chunks = passes.flatMap((p) => p.chunks);
  const bestChunk = Math.min(...chunks);
  const medianChunk = median(chunks);
  const byField = new Map<string, number>();
  for (let i = 0; i < 200_000 && i < events.length; i++) for (const hit of matcher.match(events[i] as EcsEvent)) byField.set(hit.field, (byField.get(hit.field) ?? 0) + 1);
  console.log(`match, one core: best pass ${nsWall.toFixed(0)} ns/event wall (${Math.round(1e9 / nsWall).toLocaleString('en')} events/s), ${nsCpu.toFixed(0)} ns/event CPU; ${passCount} passes wall/CPU ns: ${spread}`);
  console.log(`  slices of ${CHUNK.toLocaleString('en')} events: fastest ${bestChunk.toFixed(0)} ns/event (${Math.round(1e9 / bestChunk).toLocaleString('en')} events/s), median ${medianChunk.toFixed(0)} ns/event (${Math.round(1e9 / medianChunk).toLocaleString('en')} events/s)`);
  console.log(`  machine before / after: integer loop ${stateBefore.loopNs.toFixed(2)} / ${stateAfter.loopNs.toFixed(2)} ns per iteration (0.3 quiet), random read over 4 MiB ${stateBefore.readNs.toFixed(0)} / ${stateAfter.readNs.toFixed(0)} ns (15–20 quiet)`);
  console.log(`  ${pass.eventsWithHits.toLocaleString('en')} events with hits (${((100 * pass.eventsWithHits) / events.length).toFixed(2)}%), ${pass.hits.toLocaleString('en')} hits; warm-up ${warmHits.toLocaleString('en')} hits`);
  console.log(`  hits by field (first 200k events): ${[...byField].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', ')}; suppressed by warning lists ${matcher.counters.suppressed}, expired/decayed ${matcher.counters.expired}`);

  const extra = makeIndicators(30_000_000, 10_000);
  const added = timed(() => matcher.addAll(extra));
  const removed = timed(() => {
    for (const indicator of extra) matcher.remove(indicator.id);
  });
  console.log(`incremental: +10,000 indicators into ${matcher.size.toLocaleString('en')} in ${added.wallMs.toFixed(0)} ms, −10,000 in ${removed.wallMs.toFixed(0)} ms`);

  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const buildSeconds = buildWall / 1000;
  console.log(`\ngoals: load ${buildSeconds.toFixed(2)} s ≤ 10 s ${verdict(buildSeconds <= 10)}; RSS ${mib(rssBuilt)} ≤ 500 MB ${verdict(rssBuilt <= 500 * 1024 * 1024)}; match ≤ 1000 ns/event: whole pass ${nsWall.toFixed(0)} ns ${verdict(nsWall <= 1000)}, median slice ${medianChunk.toFixed(0)} ns ${verdict(medianChunk <= 1000)}, fastest slice ${bestChunk.toFixed(0)} ns ${verdict(bestChunk <= 1000)}`);
  console.log(`peak RSS ${mib(process.resourceUsage().maxRSS * 1024)} (with the events)`);
}

// Run when executed, not when imported (a profiling harness imports the generators).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
