/**
 * @module bench/crs
 * `npm run bench:crs`: the web-transaction analyser side by side with ModSecurity v3 + the OWASP
 * Core Rule Set on the same labelled corpus (`src/analyze/corpus`): CRS 3.3 (Debian's
 * modsecurity-crs) and CRS 4 (a coreruleset checkout), each at paranoia levels 1 and 2, with the
 * default anomaly thresholds (inbound 5, outbound 4). Per configuration: detection rate per attack
 * class, overall detection, false positives on benign traffic, and transactions/s.
 *
 * How a configuration runs: a temporary nginx (own prefix, pid, logs; 127.0.0.1 on free ports)
 * loads Debian's ModSecurity-nginx module, with `modsecurity on` on a server that proxies to a
 * second, ModSecurity-free server answering `200 ok` (nginx's `return` in the inspected location
 * would answer in the rewrite phase, before ModSecurity looks at the request at all). Its rules
 * file is ModSecurity's recommended configuration (engine On, request body access On, audit log
 * and status engine off), then crs-setup with the paranoia level (SecAction 900000/900001) and the
 * thresholds (900110), then the rules. Every corpus transaction is sent as-is over raw HTTP/1.1
 * keep-alive connections (no HTTP library: nothing is re-encoded or refused on the client side);
 * the corpus Host is kept, Content-Length is recomputed, Transfer-Encoding/Connection dropped.
 * A transaction counts as detected when ModSecurity denied it: a 403, or another status that the
 * error log shows as ModSecurity's "Access denied" (the recommended config answers 400 for a body
 * it cannot parse). Transactions the client cannot put on the wire (control characters in the
 * request line, CR/LF in a header) and those nginx itself rejects before ModSecurity sees them
 * count as not detected, and are reported per class. The error log (unique_id = nginx
 * $request_id, echoed in a response header) gives the CRS rules behind every verdict.
 *
 * Not part of CI; skipped (exit 0) when nginx or the ModSecurity module is missing.
 * Environment: BENCH_SEED, BENCH_BENIGN (default 5000), BENCH_ATTACKS (per class, default 300) as
 * in bench/analyze.ts; CRS3_DIR (default /usr/share/modsecurity-crs), CRS3_SETUP (default
 * /etc/modsecurity/crs/crs-setup.conf), CRS4_DIR (default /work/crs4), MODSEC_CONF (ModSecurity's
 * recommended config; found among Debian's paths by default), NGINX (binary), NGINX_WORKERS
 * (default auto), BENCH_CONCURRENCY (connections, default 8), BENCH_KEEP=1 (keep the temp dirs).
 * Arguments: `--only <text>` (run the configurations whose key contains it, e.g. crs4-pl1),
 * `--misses <class> <n>` (print n transactions of <class> that each configuration missed, or for
 * `benign` flagged, with the rules), `--examples <n>` (attacks Vigil missed and CRS caught, per
 * class; default 10).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { arch, cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TransactionAnalyzer } from '../src/analyze/analyzer.js';
import type { Transaction, Verdict } from '../src/analyze/contract.js';
import { deobfuscate } from '../src/analyze/decode.js';
import { detectors } from '../src/analyze/detectors/index.js';
import { corpusClasses, labelledCorpus } from '../src/analyze/corpus/index.js';
import type { LabelledTransaction } from '../src/analyze/corpus/index.js';
import { computeMetrics } from '../src/analyze/corpus/metrics.js';
import type { AnalyzeMetrics } from '../src/analyze/corpus/metrics.js';

// ---------------------------------------------------------------------------------------------
// Settings

const envNumber = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && process.env[name] !== undefined && process.env[name] !== '' ? value : fallback;
};
const envString = (name: string, fallback: string): string => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
};

const seed = envNumber('BENCH_SEED', 20241125);
const benign = envNumber('BENCH_BENIGN', 5000);
const attacksPerClass = envNumber('BENCH_ATTACKS', 300);
const concurrency = Math.max(1, Math.floor(envNumber('BENCH_CONCURRENCY', 8)));
const nginxWorkers = envString('NGINX_WORKERS', 'auto');
const keepTemp = process.env['BENCH_KEEP'] === '1';
const requestTimeoutMs = 15_000;
/** CRS's default inbound anomaly threshold (and outbound 4), set explicitly. */
const inboundThreshold = 5;

function argValue(name: string, count = 1): string[] | undefined {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const values = process.argv.slice(at + 1, at + 1 + count);
  if (values.length < count || values.some((v) => v.startsWith('--'))) {
    console.error('usage: node dist/bench/crs.js [--only <text>] [--misses <class> <n>] [--examples <n>]');
    process.exit(2);
  }
  return values;
}
const only = argValue('--only')?.[0];
const missesArg = argValue('--misses', 2);
const missesClass = missesArg?.[0];
const missesCount = missesArg === undefined ? 0 : Number(missesArg[1]);
const examplesCount = Number(argValue('--examples')?.[0] ?? 10);
if (missesClass !== undefined && missesClass !== 'benign' && !(corpusClasses as readonly string[]).includes(missesClass)) {
  console.error(`--misses: unknown class ${missesClass} (benign, ${corpusClasses.join(', ')})`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Clean-up of what this process started: nginx children and temp dirs, also on error or signal.

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

const running = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

function cleanupSync(): void {
  for (const child of children) {
    if (running(child) && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
  if (!keepTemp) for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
// Environment: nginx, the module, ModSecurity's recommended config, the rule sets, versions.

function run(command: string, args: readonly string[]): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

const firstExisting = (paths: readonly string[]): string | undefined => paths.find((p) => existsSync(p));

function findNginx(): string | undefined {
  const explicit = process.env['NGINX'];
  if (explicit !== undefined && explicit !== '') return existsSync(explicit) ? explicit : undefined;
  const fromPath = (process.env['PATH'] ?? '').split(':').map((d) => join(d, 'nginx'));
  return firstExisting([...fromPath, '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']);
}

const installHint = [
  'install them with (Debian/Ubuntu, as root):',
  '  apt-get update && apt-get install -y nginx libnginx-mod-http-modsecurity modsecurity-crs',
  'and for CRS 4, a checkout of github.com/coreruleset/coreruleset (a release tag) at $CRS4_DIR (default /work/crs4).',
].join('\n');

function skip(reason: string): never {
  console.log(`bench:crs skipped: ${reason}`);
  console.log(installHint);
  process.exit(0);
}

const nginxBin = findNginx();
if (nginxBin === undefined) skip('nginx not found');
const modulePath = firstExisting(['/usr/lib/nginx/modules/ngx_http_modsecurity_module.so', '/usr/share/nginx/modules/ngx_http_modsecurity_module.so', '/usr/lib64/nginx/modules/ngx_http_modsecurity_module.so']);
if (modulePath === undefined) skip('the ModSecurity nginx module (ngx_http_modsecurity_module.so) is not installed');
const modsecConf = firstExisting(
  process.env['MODSEC_CONF'] !== undefined && process.env['MODSEC_CONF'] !== ''
    ? [process.env['MODSEC_CONF']]
    : ['/usr/share/nginx/docs/modsecurity/modsecurity.conf', '/etc/modsecurity/modsecurity.conf-recommended', '/usr/share/modsecurity-crs/modsecurity.conf-recommended', '/etc/nginx/modsecurity.conf'],
);
if (modsecConf === undefined) skip("ModSecurity's recommended configuration (modsecurity.conf) not found; set MODSEC_CONF");
const unicodeMapping = firstExisting([join(dirname(modsecConf), 'unicode.mapping'), '/usr/share/nginx/docs/modsecurity/unicode.mapping', '/etc/nginx/unicode.mapping', '/etc/modsecurity/unicode.mapping']);

interface RuleSet {
  family: 'crs3' | 'crs4';
  name: string;
  dir: string;
  rulesDir: string;
  setupFile: string | undefined;
  version: string;
}

function crsSignature(rulesDir: string): string {
  try {
    const text = readFileSync(join(rulesDir, 'REQUEST-901-INITIALIZATION.conf'), 'utf8');
    return /SecComponentSignature\s+"OWASP_CRS\/([^"]+)"/.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function ruleSet(family: 'crs3' | 'crs4'): RuleSet {
  const dir = family === 'crs3' ? envString('CRS3_DIR', '/usr/share/modsecurity-crs') : envString('CRS4_DIR', '/work/crs4');
  const rulesDir = join(dir, 'rules');
  const setupFile =
    family === 'crs3'
      ? firstExisting([envString('CRS3_SETUP', '/etc/modsecurity/crs/crs-setup.conf'), join(dir, 'crs-setup.conf.example'), join(dir, 'crs-setup.conf')])
      : firstExisting([join(dir, 'crs-setup.conf.example'), join(dir, 'crs-setup.conf')]);
  let version = existsSync(rulesDir) ? crsSignature(rulesDir) : 'missing';
  if (family === 'crs4' && existsSync(join(dir, '.git'))) {
    const described = run('git', ['-C', dir, 'describe', '--tags', '--always']);
    if (described.ok) version += ` (git ${described.out})`;
  }
  return { family, name: family === 'crs3' ? 'CRS3.3' : 'CRS4', dir, rulesDir, setupFile, version };
}

function packageVersions(): string {
  const dpkg = run('dpkg-query', ['-W', '-f', '${Package} ${Version}\n', 'nginx', 'libnginx-mod-http-modsecurity', 'libmodsecurity3', 'modsecurity-crs']);
  if (dpkg.out !== '') return dpkg.out.split('\n').join(', ');
  return run(nginxBin ?? 'nginx', ['-v']).out;
}

// ---------------------------------------------------------------------------------------------
// nginx + ModSecurity + CRS in a temp dir.

interface BenchConfig {
  key: string;
  label: string;
  set: RuleSet;
  paranoia: 1 | 2;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** ModSecurity's recommended config, adapted: engine On, body access On, files in the temp dir, no audit log, no status beacon. */
function recommendedConfig(text: string, dir: string): string {
  const replaced = new Set<string>();
  const set = (directive: string, value: string): ((line: string) => string | null) => {
    const pattern = new RegExp(`^\\s*${directive}\\s`, 'i');
    return (line) => {
      if (!pattern.test(line)) return null;
      replaced.add(directive);
      return `${directive} ${value}`;
    };
  };
  const rewrites = [
    set('SecRuleEngine', 'On'),
    set('SecRequestBodyAccess', 'On'),
    set('SecAuditEngine', 'Off'),
    set('SecAuditLog', join(dir, 'audit.log')),
    set('SecTmpDir', join(dir, 'modsec-tmp')),
    set('SecDataDir', join(dir, 'modsec-data')),
    set('SecStatusEngine', 'Off'),
    ...(unicodeMapping === undefined ? [] : [set('SecUnicodeMapFile', `${unicodeMapping} 20127`)]),
  ];
  const lines = text.split('\n').map((line) => {
    for (const rewrite of rewrites) {
      const out = rewrite(line);
      if (out !== null) return out;
    }
    return line;
  });
  const must: [string, string][] = [
    ['SecRuleEngine', 'On'],
    ['SecRequestBodyAccess', 'On'],
    ['SecAuditEngine', 'Off'],
    ['SecStatusEngine', 'Off'],
    ['SecTmpDir', join(dir, 'modsec-tmp')],
    ['SecDataDir', join(dir, 'modsec-data')],
  ];
  for (const [directive, value] of must) if (!replaced.has(directive)) lines.push(`${directive} ${value}`);
  return lines.join('\n');
}

/** The crs-setup text with this bench's paranoia level and thresholds appended. */
function setupConfig(config: BenchConfig): string {
  const { set, paranoia } = config;
  const text = set.setupFile === undefined ? '' : readFileSync(set.setupFile, 'utf8');
  const active = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
  for (const id of ['900000', '900001', '900110']) {
    if (new RegExp(`id:\\s*'?${id}\\b`).test(active)) throw new Error(`${set.setupFile} already sets rule ${id}; use an untouched crs-setup (the bench sets the paranoia level and thresholds itself)`);
  }
  const version = set.version.split(' ')[0] ?? 'unknown';
  const paranoiaVars =
    set.family === 'crs3'
      ? `setvar:tx.paranoia_level=${paranoia},setvar:tx.executing_paranoia_level=${paranoia}`
      : `setvar:tx.blocking_paranoia_level=${paranoia},setvar:tx.detection_paranoia_level=${paranoia}`;
  return [
    text,
    '',
    '# --- bench/crs.ts ---',
    `SecAction "id:900000,phase:1,pass,t:none,nolog,tag:'OWASP_CRS',ver:'OWASP_CRS/${version}',${paranoiaVars}"`,
    `SecAction "id:900110,phase:1,pass,t:none,nolog,tag:'OWASP_CRS',ver:'OWASP_CRS/${version}',setvar:tx.inbound_anomaly_score_threshold=${inboundThreshold},setvar:tx.outbound_anomaly_score_threshold=4"`,
    '',
  ].join('\n');
}

function mainConfig(config: BenchConfig, dir: string): string {
  const { set } = config;
  const lines = [`Include ${join(dir, 'modsecurity.conf')}`, `Include ${join(dir, 'crs-setup.conf')}`];
  const plugins = join(set.dir, 'plugins');
  const pluginFiles = (suffix: string): string[] =>
    existsSync(plugins)
      ? readdirSync(plugins)
          .filter((f) => f.endsWith(suffix))
          .sort()
          .map((f) => `Include ${join(plugins, f)}`)
      : [];
  if (set.family === 'crs4') lines.push(...pluginFiles('-config.conf'), ...pluginFiles('-before.conf'));
  lines.push(`Include ${join(set.rulesDir, '*.conf')}`);
  if (set.family === 'crs4') lines.push(...pluginFiles('-after.conf'));
  return `${lines.join('\n')}\n`;
}

function nginxConfig(dir: string, port: number, upstreamPort: number): string {
  return `load_module ${modulePath};
worker_processes ${nginxWorkers};
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} info;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'tmp', 'body')};
  proxy_temp_path ${join(dir, 'tmp', 'proxy')};
  fastcgi_temp_path ${join(dir, 'tmp', 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'tmp', 'uwsgi')};
  scgi_temp_path ${join(dir, 'tmp', 'scgi')};
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  upstream backend { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port} default_server;
    server_name _;
    modsecurity on;
    modsecurity_rules_file ${join(dir, 'main.conf')};
    modsecurity_transaction_id "$request_id";
    add_header X-Bench-Tx $request_id always;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
  server {
    listen 127.0.0.1:${upstreamPort};
    modsecurity off;
    location / { return 200 "ok\\n"; }
  }
}
`;
}

interface RunningNginx {
  dir: string;
  port: number;
  child: ChildProcess;
  rulesLoaded: string;
}

async function startNginx(config: BenchConfig): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), `vigil-crs-${config.key}-`));
  tempDirs.add(dir);
  for (const sub of ['tmp', 'modsec-tmp', 'modsec-data']) mkdirSync(join(dir, sub), { recursive: true });
  const [port, upstreamPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'modsecurity.conf'), recommendedConfig(readFileSync(modsecConf as string, 'utf8'), dir));
  writeFileSync(join(dir, 'crs-setup.conf'), setupConfig(config));
  writeFileSync(join(dir, 'main.conf'), mainConfig(config, dir));
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, upstreamPort));
  const args = ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'startup.log')];
  const test = run(nginxBin as string, [...args, '-t']);
  if (!test.ok) throw new Error(`nginx -t failed for ${config.label}:\n${test.out}`);
  const startupLog = existsSync(join(dir, 'startup.log')) ? readFileSync(join(dir, 'startup.log'), 'utf8') : '';
  const rulesLoaded = /rules loaded inline\/local\/remote: ([\d/]+)/.exec(`${test.out}\n${startupLog}`)?.[1] ?? '?';
  const child = spawn(nginxBin as string, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}) for ${config.label}: ${stderr}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on 127.0.0.1:${port} within 20 s for ${config.label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { dir, port, child, rulesLoaded };
}

/** Stops nginx (its error log is complete afterwards); removes its temp dir too unless asked to keep it. */
async function stopNginx(nginx: RunningNginx, removeDir: boolean): Promise<void> {
  const { child } = nginx;
  if (running(child)) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (running(child)) child.kill('SIGKILL');
  }
  children.delete(child);
  if (removeDir && !keepTemp) {
    rmSync(nginx.dir, { recursive: true, force: true });
    tempDirs.delete(nginx.dir);
  }
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 client: the request bytes are exactly the corpus transaction's.

interface RawRequest {
  bytes: Buffer;
  head: boolean;
}

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  close: boolean;
}

const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const droppedHeaders = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/** The bytes of a transaction's request, or why it cannot be put on the wire as an HTTP/1.1 request. */
function buildRequest(t: Pick<Transaction, 'method' | 'uri' | 'headers' | 'body'>): RawRequest | { unsendable: string } {
  if (!tokenPattern.test(t.method)) return { unsendable: 'method is not an HTTP token' };
  if (t.uri === '' || /[\x00-\x20\x7f]/.test(t.uri)) return { unsendable: 'space or control character in the request target' };
  let host = 'localhost';
  const lines = [`${t.method} ${t.uri} HTTP/1.1`];
  const rest: string[] = [];
  for (const [name, value] of Object.entries(t.headers)) {
    if (!tokenPattern.test(name)) return { unsendable: `header name ${JSON.stringify(name)} is not an HTTP token` };
    if (/[\r\n]/.test(value)) return { unsendable: `CR/LF in header ${name}` };
    const lower = name.toLowerCase();
    if (lower === 'host') host = value;
    else if (!droppedHeaders.has(lower)) rest.push(`${name}: ${value}`);
  }
  lines.push(`Host: ${host}`, ...rest);
  let body = Buffer.alloc(0);
  if (t.body !== null) {
    // Binary payloads (e.g. Java serialization) are byte strings (every char ≤ 0xff); text is UTF-8.
    const binary = /[\x00-\x08\x0e-\x1f]/.test(t.body) && !/[^\x00-\xff]/.test(t.body);
    body = Buffer.from(t.body, binary ? 'latin1' : 'utf8');
  }
  if (t.body !== null || ['POST', 'PUT', 'PATCH'].includes(t.method.toUpperCase())) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  return { bytes: Buffer.concat([head, body]), head: t.method.toUpperCase() === 'HEAD' };
}

/** A complete response at the start of `buf` and its length, or null while incomplete. */
function parseResponse(buf: Buffer, head: boolean, atEof: boolean): { response: RawResponse; consumed: number } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine = '', ...headerLines] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.([01]) (\d{3})/.exec(statusLine);
  if (match === null) throw new Error(`bad status line ${JSON.stringify(statusLine.slice(0, 80))}`);
  const status = Number(match[2]);
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const close = match[1] === '0' || (headers.get('connection') ?? '').toLowerCase() === 'close';
  const response = { status, headers, close };
  const start = end + 4;
  if (head || status === 204 || status === 304 || (status >= 100 && status < 200)) return { response, consumed: start };
  if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
    let at = start;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.subarray(at, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size)) throw new Error('bad chunk size');
      if (size === 0) {
        const trailerEnd = buf.indexOf('\r\n\r\n', lineEnd);
        if (buf.subarray(lineEnd, lineEnd + 4).toString('latin1') === '\r\n\r\n') return { response, consumed: lineEnd + 4 };
        return trailerEnd < 0 ? null : { response, consumed: trailerEnd + 4 };
      }
      at = lineEnd + 2 + size + 2;
      if (at > buf.length) return null;
    }
  }
  const length = headers.get('content-length');
  if (length !== undefined) {
    const total = start + Number(length);
    return buf.length >= total ? { response, consumed: total } : null;
  }
  return atEof ? { response: { ...response, close: true }, consumed: buf.length } : null;
}

class ExchangeError extends Error {
  constructor(
    message: string,
    readonly sawBytes: boolean,
  ) {
    super(message);
  }
}

/** One keep-alive connection, one request at a time. */
class Connection {
  private socket: Socket | null = null;
  private alive = false;
  private uses = 0;

  constructor(private readonly port: number) {}

  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.port });
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => undefined); // errors surface through exchange(); keep idle ones from throwing
        socket.on('close', () => {
          if (this.socket === socket) this.alive = false;
        });
        this.socket = socket;
        this.alive = true;
        this.uses = 0;
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
    this.alive = false;
  }

  async send(request: RawRequest): Promise<RawResponse> {
    const reused = this.alive && this.uses > 0;
    try {
      return await this.exchange(request);
    } catch (error) {
      // A kept-alive connection the server closed before answering: once more on a new one.
      if (reused && error instanceof ExchangeError && !error.sawBytes) return this.exchange(request);
      throw error;
    }
  }

  private async exchange(request: RawRequest): Promise<RawResponse> {
    const socket = this.alive && this.socket !== null && !this.socket.destroyed ? this.socket : await this.open();
    this.uses++;
    return new Promise<RawResponse>((resolve, reject) => {
      let buf: Buffer = Buffer.alloc(0);
      const finish = (result: { response: RawResponse } | { error: ExchangeError }): void => {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('end', onEnd);
        socket.off('close', onEnd);
        socket.off('error', onError);
        if ('error' in result) {
          this.close();
          reject(result.error);
          return;
        }
        if (result.response.close) this.close();
        resolve(result.response);
      };
      const attempt = (atEof: boolean): boolean => {
        try {
          const parsed = parseResponse(buf, request.head, atEof);
          if (parsed === null) return false;
          finish({ response: parsed.consumed < buf.length ? { ...parsed.response, close: true } : parsed.response });
        } catch (error) {
          finish({ error: new ExchangeError((error as Error).message, true) });
        }
        return true;
      };
      const onData = (chunk: Buffer): void => {
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        attempt(false);
      };
      const onEnd = (): void => {
        if (!attempt(true)) finish({ error: new ExchangeError('connection closed before a complete response', buf.length > 0) });
      };
      const onError = (error: Error): void => finish({ error: new ExchangeError(error.message, buf.length > 0) });
      const timer = setTimeout(() => finish({ error: new ExchangeError(`no response within ${requestTimeoutMs} ms`, true) }), requestTimeoutMs);
      socket.on('data', onData);
      socket.on('end', onEnd);
      socket.on('close', onEnd);
      socket.on('error', onError);
      socket.write(request.bytes);
    });
  }
}

type Outcome = { kind: 'response'; status: number; tx: string | undefined } | { kind: 'unsendable'; reason: string } | { kind: 'error'; reason: string };

async function sendAll(port: number, requests: readonly (RawRequest | { unsendable: string })[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array<Outcome>(requests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const connection = new Connection(port);
    try {
      for (;;) {
        const i = next++;
        if (i >= requests.length) return;
        const request = requests[i] as RawRequest | { unsendable: string };
        if ('unsendable' in request) {
          outcomes[i] = { kind: 'unsendable', reason: request.unsendable };
          continue;
        }
        try {
          const response = await connection.send(request);
          outcomes[i] = { kind: 'response', status: response.status, tx: response.headers.get('x-bench-tx') };
        } catch (error) {
          outcomes[i] = { kind: 'error', reason: (error as Error).message };
        }
      }
    } finally {
      connection.close();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return outcomes;
}

// ---------------------------------------------------------------------------------------------
// ModSecurity's error log: the rules behind each transaction.

interface LogEntry {
  rules: string[];
  deniedWith: number | null;
  /** The inbound anomaly score of the blocking evaluation (949110), when it fired. */
  inboundScore: number | null;
  /** The anomaly score the policy rules added (each matches one variable, so once each). */
  policyScore: number;
}

/** CRS anomaly score per ModSecurity severity (CRITICAL 2 → 5, ERROR 3 → 4, WARNING 4 → 3, NOTICE 5 → 2). */
const severityScore = new Map([
  [2, 5],
  [3, 4],
  [4, 3],
  [5, 2],
]);

const scoringRules = new Set(['949110', '949111', '959100', '959101', '980100', '980110', '980120', '980130', '980140', '980145', '980150', '980170']);

function readModsecLog(file: string, messages: Map<string, string>): Map<string, LogEntry> {
  const byTx = new Map<string, LogEntry>();
  if (!existsSync(file)) return byTx;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('ModSecurity: ')) continue;
    const tx = /\[unique_id "([^"]+)"\]/.exec(line)?.[1];
    if (tx === undefined) continue;
    const entry = byTx.get(tx) ?? { rules: [], deniedWith: null, inboundScore: null, policyScore: 0 };
    const denied = /Access denied with code (\d+)/.exec(line);
    if (denied !== null) entry.deniedWith = Number(denied[1]);
    const id = /\[id "(\d+)"\]/.exec(line)?.[1];
    if (id === '949110') entry.inboundScore = Number(/Total Score: (\d+)/.exec(line)?.[1] ?? NaN);
    if (id !== undefined && !scoringRules.has(id)) {
      if (policyRules.has(id) && !entry.rules.includes(id)) entry.policyScore += severityScore.get(Number(/\[severity "(\d)"\]/.exec(line)?.[1])) ?? 0;
      if (!entry.rules.includes(id)) entry.rules.push(id);
      const msg = /\[msg "([^"]*)"\]/.exec(line)?.[1] ?? '';
      if ((messages.get(id) ?? '') === '') messages.set(id, msg);
    }
    byTx.set(tx, entry);
  }
  return byTx;
}

/** Rule id → msg from the rule files, for rules whose log lines carry none (chained rules). */
function ruleMessages(rulesDir: string, into: Map<string, string>): void {
  if (!existsSync(rulesDir)) return;
  for (const file of readdirSync(rulesDir).filter((f) => f.endsWith('.conf'))) {
    for (const block of readFileSync(join(rulesDir, file), 'utf8').split(/\n(?=Sec(?:Rule|Action)\b)/)) {
      const id = /\bid:'?(\d+)/.exec(block)?.[1];
      const msg = /\bmsg:'((?:[^'\\]|\\.)*)'/.exec(block)?.[1];
      if (id !== undefined && msg !== undefined && (into.get(id) ?? '') === '') into.set(id, msg);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One configuration, end to end.

type Fate = 'passed' | 'blocked' | 'denied-other' | 'nginx-rejected' | 'unsendable' | 'error';

interface TxResult {
  fate: Fate;
  status: number | null;
  rules: string[];
  /** Blocked only because of policy rules: the inbound score without them is under the threshold. */
  policyOnly: boolean;
  reason?: string;
}

interface ConfigResult {
  config: BenchConfig;
  results: TxResult[];
  seconds: number;
  /** CPU time of this Node process (the HTTP client) while sending. */
  clientCpuSeconds: number;
  rulesLoaded: string;
  metrics: AnalyzeMetrics;
  missing403Log: number;
}

const detectedFate = (fate: Fate): boolean => fate === 'blocked' || fate === 'denied-other';

/**
 * CRS rules that enforce the default setup's site policy rather than recognise an attack payload:
 * a method, content type, file extension, protocol version or charset it does not allow. The
 * corpus's benign traffic never uses PUT or a Java-serialization body, so these rules alone can
 * "detect" attacks; they are counted apart.
 */
const policyRules = new Map([
  ['911100', 'method not allowed by policy'],
  ['920420', 'request content type not allowed by policy'],
  ['920430', 'HTTP protocol version not allowed by policy'],
  ['920440', 'URL file extension restricted by policy'],
  ['920480', 'request content type charset not allowed by policy'],
]);
const policyOnly = (r: TxResult | undefined): boolean => r?.policyOnly === true;

async function probe(port: number, t: Pick<Transaction, 'method' | 'uri' | 'headers' | 'body'>): Promise<number> {
  const request = buildRequest(t);
  if ('unsendable' in request) throw new Error(request.unsendable);
  const connection = new Connection(port);
  try {
    return (await connection.send(request)).status;
  } finally {
    connection.close();
  }
}

const probeHeaders = { Host: 'dichvucong.gov.vn', 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', Accept: 'text/html,application/xhtml+xml', 'Accept-Language': 'vi-VN,vi;q=0.9' };

async function runConfig(config: BenchConfig, corpus: readonly LabelledTransaction[], requests: readonly (RawRequest | { unsendable: string })[], messages: Map<string, string>): Promise<ConfigResult> {
  const nginx = await startNginx(config);
  try {
    // Sanity: a plain GET passes, an obvious SQL injection in the query and in a form body is blocked.
    const checks: [string, Pick<Transaction, 'method' | 'uri' | 'headers' | 'body'>, number][] = [
      ['plain GET', { method: 'GET', uri: '/tra-cuu-ho-so?maHoSo=000.00.12.H26-241125-0001', headers: probeHeaders, body: null }, 200],
      ["GET /?id=1' or '1'='1", { method: 'GET', uri: "/?id=1'%20or%20'1'%3D'1", headers: probeHeaders, body: null }, 403],
      ["POST form id=1' or '1'='1", { method: 'POST', uri: '/dang-nhap', headers: { ...probeHeaders, 'Content-Type': 'application/x-www-form-urlencoded' }, body: "id=1'+or+'1'%3D'1" }, 403],
      ['POST JSON {"q":"<script>alert(1)</script>"}', { method: 'POST', uri: '/api/v1/tim-kiem', headers: { ...probeHeaders, 'Content-Type': 'application/json' }, body: '{"q":"<script>alert(1)</script>"}' }, 403],
    ];
    for (const [name, t, expected] of checks) {
      const status = await probe(nginx.port, t);
      if (status !== expected) throw new Error(`sanity check failed for ${config.label}: ${name} answered ${status}, expected ${expected} (config in ${nginx.dir}; set BENCH_KEEP=1 to keep it)`);
    }
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const outcomes = await sendAll(nginx.port, requests);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const clientCpuSeconds = (cpu.user + cpu.system) / 1e6;
    await stopNginx(nginx, false); // its error log is complete once it has stopped
    const log = readModsecLog(join(nginx.dir, 'error.log'), messages);
    let missing403Log = 0;
    const results = outcomes.map((outcome): TxResult => {
      if (outcome.kind !== 'response') return { fate: outcome.kind, status: null, rules: [], policyOnly: false, reason: outcome.reason };
      const entry = outcome.tx === undefined ? undefined : log.get(outcome.tx);
      const rules = entry?.rules ?? [];
      if (outcome.status === 403) {
        if (entry?.deniedWith !== 403) missing403Log++;
        const score = entry?.inboundScore ?? null;
        const onlyPolicy = entry !== undefined && score !== null && entry.policyScore > 0 && score - entry.policyScore < inboundThreshold;
        return { fate: 'blocked', status: 403, rules, policyOnly: onlyPolicy };
      }
      if (entry?.deniedWith !== undefined && entry.deniedWith !== null) return { fate: 'denied-other', status: outcome.status, rules, policyOnly: false };
      if (outcome.status >= 200 && outcome.status < 300) return { fate: 'passed', status: outcome.status, rules, policyOnly: false };
      return { fate: 'nginx-rejected', status: outcome.status, rules, policyOnly: false };
    });
    const verdicts = results.map((r) => ({ attack: detectedFate(r.fate), classes: [] }));
    const metrics = computeMetrics(
      corpus.map((x) => x.label),
      verdicts,
    );
    return { config, results, seconds, clientCpuSeconds, rulesLoaded: nginx.rulesLoaded, metrics, missing403Log };
  } finally {
    await stopNginx(nginx, true);
  }
}

// ---------------------------------------------------------------------------------------------
// Presentation.

const loadText = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((n / d) * 100).toFixed(2)} %`);
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);
const printable = (s: string): string => JSON.stringify(s).slice(1, -1);

const ordinaryHeaders = new Set(['host', 'accept', 'accept-language', 'accept-encoding', 'cookie', 'referer', 'user-agent', 'content-type']);

/** A transaction as a reader needs it: method, decoded URI and body, and any header out of the ordinary. */
function describe(t: Transaction): string {
  const parts = [`${t.method} ${printable(clip(deobfuscate(t.uri), 200))}`];
  for (const [name, value] of Object.entries(t.headers)) {
    const lower = name.toLowerCase();
    const odd =
      !ordinaryHeaders.has(lower) ||
      /[^\x20-\x7e]/.test(value) ||
      (lower === 'user-agent' ? !value.startsWith('Mozilla/5.0 (') : /[<>'"`{}$|\\%]|\.\.\//.test(value) || (lower === 'content-type' && !/^[a-z/+.-]+(;\s*[a-z]+=[\w-]+)?$/i.test(value)));
    if (odd) parts.push(`[${name}: ${printable(clip(deobfuscate(value), 160))}]`);
  }
  if (t.body !== null) parts.push(`body: ${printable(clip(deobfuscate(t.body).replace(/\s+/g, ' '), 240))}`);
  return parts.join(' ');
}

function table(rows: string[][], rightAlignFrom = 1): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c < rightAlignFrom ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ')).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main.

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const cpu = cpus()[0];
  console.log(`machine: ${cpu?.model ?? 'unknown CPU'} (${cpus().length} logical cores), ${platform()} ${release()} ${arch()}, Node ${process.version}; load average ${loadText()}`);
  console.log(`nginx: ${nginxBin}, module ${modulePath}`);
  console.log(`packages: ${packageVersions()}`);
  console.log(`ModSecurity recommended config: ${modsecConf}${unicodeMapping === undefined ? '' : ` (unicode map ${unicodeMapping})`}`);

  const sets = [ruleSet('crs3'), ruleSet('crs4')];
  const configs: BenchConfig[] = [];
  for (const set of sets) {
    if (!existsSync(set.rulesDir) || !readdirSync(set.rulesDir).some((f) => f.endsWith('.conf'))) {
      console.log(
        `${set.name}: skipped, no rules at ${set.rulesDir} (${set.family === 'crs3' ? 'apt-get install modsecurity-crs, or set CRS3_DIR' : 'set CRS4_DIR to a coreruleset checkout'})`,
      );
      continue;
    }
    console.log(`${set.name}: OWASP_CRS/${set.version}, rules ${set.rulesDir}, setup ${set.setupFile ?? '(none)'}`);
    for (const paranoia of [1, 2] as const) {
      const key = `${set.family}-pl${paranoia}`;
      if (only === undefined || key.includes(only)) configs.push({ key, label: `${set.name} PL${paranoia}`, set, paranoia });
    }
  }

  if (configs.length === 0) {
    if (only !== undefined) {
      console.error(`--only ${only}: no configuration matches (crs3-pl1, crs3-pl2, crs4-pl1, crs4-pl2, among those whose rules are present)`);
      process.exit(2);
    }
    skip('no CRS rules found (neither CRS 3.3 nor CRS 4)');
  }

  const built = performance.now();
  const corpus = labelledCorpus({ seed, benign, attacksPerClass });
  console.log(`corpus: ${corpus.length} transactions (${benign} benign, ${attacksPerClass} per attack class), seed ${seed}, built in ${(performance.now() - built).toFixed(0)} ms`);

  // Vigil, in-process: a warm-up pass whose verdicts are scored, then a timed pass.
  const analyzer = new TransactionAnalyzer(detectors);
  const vigilVerdicts: Verdict[] = corpus.map(({ transaction }) => analyzer.analyze(transaction));
  const vigilStarted = performance.now();
  for (const { transaction } of corpus) analyzer.analyze(transaction);
  const vigilPerSecond = corpus.length / ((performance.now() - vigilStarted) / 1000);
  const labels = corpus.map((x) => x.label);
  const vigil = computeMetrics(labels, vigilVerdicts);

  const requests = corpus.map(({ transaction }) => buildRequest(transaction));
  const messages = new Map<string, string>();
  for (const set of sets) ruleMessages(set.rulesDir, messages);
  const done: ConfigResult[] = [];
  for (const config of configs) {
    process.stdout.write(`\n${config.label}: running ${corpus.length} transactions over ${concurrency} connections… `);
    try {
      const result = await runConfig(config, corpus, requests, messages);
      done.push(result);
      const statuses = new Map<string, number>();
      for (const r of result.results) statuses.set(r.status === null ? r.fate : String(r.status), (statuses.get(r.status === null ? r.fate : String(r.status)) ?? 0) + 1);
      console.log(`${result.seconds.toFixed(1)} s, ${Math.round(corpus.length / result.seconds).toLocaleString('en-US')} transactions/s (client CPU ${result.clientCpuSeconds.toFixed(1)} s; rules loaded ${result.rulesLoaded}; load average after ${loadText()})`);
      console.log(`  responses: ${[...statuses.entries()].sort().map(([s, n]) => `${s}×${n}`).join(', ')}${result.missing403Log > 0 ? `; ${result.missing403Log} 403s without a ModSecurity log line` : ''}`);
    } catch (error) {
      console.log('failed');
      console.error(`  ${(error as Error).message}`);
    }
  }

  // Side by side.
  const columns = [{ name: 'Vigil', metrics: vigil }, ...done.map((d) => ({ name: d.config.label, metrics: d.metrics }))];
  const rows: string[][] = [['class', 'total', ...columns.map((c) => c.name)]];
  for (const cls of corpusClasses) {
    const total = vigil.perClass.find((c) => c.label === cls)?.total ?? 0;
    rows.push([cls, String(total), ...columns.map((c) => pct(c.metrics.perClass.find((p) => p.label === cls)?.detected ?? 0, total))]);
  }
  rows.push(['ALL', String(vigil.attacks.total), ...columns.map((c) => pct(c.metrics.attacks.detected, c.metrics.attacks.total))]);
  const signatureDetected = (d: ConfigResult): number => d.results.filter((r, i) => corpus[i]?.label !== 'benign' && detectedFate(r.fate) && !policyOnly(r)).length;
  rows.push(['ALL, policy-only aside', String(vigil.attacks.total), pct(vigil.attacks.detected, vigil.attacks.total), ...done.map((d) => pct(signatureDetected(d), d.metrics.attacks.total))]);
  rows.push(['benign FP', String(vigil.benign.total), ...columns.map((c) => `${c.metrics.benign.falsePositives} (${pct(c.metrics.benign.falsePositives, c.metrics.benign.total)})`)]);
  rows.push(['tx/s', '', `${Math.round(vigilPerSecond).toLocaleString('en-US')}*`, ...done.map((d) => `${Math.round(corpus.length / d.seconds).toLocaleString('en-US')}**`)]);
  console.log('\ndetection rate per class (share of the class flagged), false positives on benign:\n');
  console.log(table(rows, 1));
  console.log(`\n*  Vigil: in-process, one core, no I/O (a warm-up pass, then one timed pass).`);
  console.log(`** CRS: end to end over HTTP on 127.0.0.1 — ${concurrency} keep-alive connections from one Node process, nginx (${nginxWorkers} workers) + ModSecurity + a proxied 200 answer — on the same ${cpus().length} cores; includes HTTP and proxy overhead, so it is not ModSecurity's inspection cost alone.`);
  console.log('CRS detected = ModSecurity denied (403, or 400 from the recommended config for an unparsable body); anomaly thresholds inbound 5 / outbound 4.');

  // Detections by policy rules alone.
  if (done.some((d) => d.results.some((r) => policyOnly(r)))) {
    const policyRows: string[][] = [['config', ...corpusClasses, 'ALL']];
    for (const d of done) {
      const counts = corpusClasses.map((cls) => d.results.filter((r, i) => corpus[i]?.label === cls && policyOnly(r)).length);
      policyRows.push([d.config.label, ...counts.map(String), String(counts.reduce((a, b) => a + b, 0))]);
    }
    console.log(`\nattacks CRS blocked only because of policy rules (the inbound score without them stays under ${inboundThreshold}: ${[...policyRules.entries()].map(([id, what]) => `${id} ${what}`).join('; ')}) — included in the per-class rates above, left out of "ALL, policy-only aside":`);
    console.log(table(policyRows, 1));
  }

  // What was not inspected by ModSecurity at all.
  const notInspected: string[][] = [['config', 'fate', ...['benign', ...corpusClasses]]];
  for (const d of done) {
    for (const fate of ['unsendable', 'nginx-rejected', 'error', 'denied-other'] as const) {
      const counts = ['benign', ...corpusClasses].map((label) => d.results.filter((r, i) => r.fate === fate && corpus[i]?.label === label).length);
      if (counts.some((n) => n > 0)) notInspected.push([d.config.label, fate, ...counts.map(String)]);
    }
  }
  if (notInspected.length > 1) {
    console.log('\ntransactions ModSecurity did not inspect (unsendable, nginx-rejected, error: counted as NOT detected) and ModSecurity denials with a status other than 403 (counted as detected):');
    console.log(table(notInspected, 2));
    const reasons = new Map<string, number>();
    for (const d of done.slice(0, 1)) for (const r of d.results) if (r.fate === 'unsendable' || r.fate === 'error' || r.fate === 'nginx-rejected') reasons.set(`${r.fate}: ${r.reason ?? `status ${r.status}`}`, (reasons.get(`${r.fate}: ${r.reason ?? `status ${r.status}`}`) ?? 0) + 1);
    for (const [reason, n] of reasons) console.log(`  ${n} × ${reason}${reason.startsWith('nginx-rejected') ? ' from nginx itself, before ModSecurity (e.g. a NUL byte in a header, %u escapes in the path)' : ''}`);
  }

  // Benign transactions CRS flags, and the rules behind them.
  for (const d of done) {
    const flagged = d.results.flatMap((r, i) => (corpus[i]?.label === 'benign' && detectedFate(r.fate) ? [{ r, x: corpus[i] }] : []));
    if (flagged.length === 0) continue;
    const byRule = new Map<string, number>();
    for (const { r } of flagged) for (const id of r.rules) byRule.set(id, (byRule.get(id) ?? 0) + 1);
    console.log(`\n${d.config.label}: ${flagged.length} benign transactions flagged; rules involved:`);
    for (const [id, n] of [...byRule.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${id} ×${n}  ${messages.get(id) ?? ''}`);
    for (const { r, x } of flagged.slice(0, 5)) if (x !== undefined) console.log(`  e.g. ${x.transaction.id} [${r.rules.join(',')}] ${describe(x.transaction)}`);
  }

  // Attacks CRS catches and Vigil misses, and the other way round.
  if (done.length > 0) {
    const both: string[][] = [['class', 'Vigil missed', ...done.map((d) => `${d.config.label} caught`), 'any CRS caught', 'any CRS, policy-only aside', 'every CRS missed, Vigil caught']];
    for (const cls of corpusClasses) {
      const idx = corpus.flatMap((x, i) => (x.label === cls ? [i] : []));
      const vigilMissed = idx.filter((i) => vigilVerdicts[i]?.attack !== true);
      const crsCaught = (i: number, d: ConfigResult): boolean => detectedFate(d.results[i]?.fate ?? 'error');
      both.push([
        cls,
        String(vigilMissed.length),
        ...done.map((d) => String(vigilMissed.filter((i) => crsCaught(i, d)).length)),
        String(vigilMissed.filter((i) => done.some((d) => crsCaught(i, d))).length),
        String(vigilMissed.filter((i) => done.some((d) => crsCaught(i, d) && !policyOnly(d.results[i]))).length),
        String(idx.filter((i) => vigilVerdicts[i]?.attack === true && done.every((d) => !crsCaught(i, d))).length),
      ]);
    }
    console.log('\nattacks Vigil missed that CRS caught (per configuration), and attacks every CRS configuration missed but Vigil caught:');
    console.log(table(both, 1));
    if (examplesCount > 0) {
      console.log(`\nexamples (up to ${examplesCount} per class) of attacks Vigil missed and CRS caught with more than a policy rule — decoded, with the configurations and CRS rules:`);
      for (const cls of corpusClasses) {
        const shown = corpus
          .map((x, i) => ({ x, i }))
          .filter(({ x, i }) => x.label === cls && vigilVerdicts[i]?.attack !== true && done.some((d) => detectedFate(d.results[i]?.fate ?? 'error') && !policyOnly(d.results[i])))
          .slice(0, examplesCount);
        if (shown.length === 0) continue;
        console.log(`  ${cls}:`);
        for (const { x, i } of shown) {
          const by = done.filter((d) => detectedFate(d.results[i]?.fate ?? 'error'));
          const rules = [...new Set(by.flatMap((d) => d.results[i]?.rules ?? []))];
          console.log(`    ${x.transaction.id}${x.evasion === null ? '' : ` (${x.evasion})`} by ${by.map((d) => d.config.label).join(', ')} [${rules.join(',')}]: ${describe(x.transaction)}`);
        }
      }
    }
  }

  if (missesClass !== undefined && missesCount > 0) {
    const wantFlagged = missesClass === 'benign';
    for (const d of done) {
      const picked = corpus.flatMap((x, i) => (x.label === missesClass && detectedFate(d.results[i]?.fate ?? 'error') === wantFlagged ? [{ x, r: d.results[i] }] : [])).slice(0, missesCount);
      console.log(`\n${d.config.label}: ${wantFlagged ? 'benign transactions flagged' : `${missesClass} attacks missed`} (first ${missesCount}):`);
      for (const { x, r } of picked) console.log(`  ${x.transaction.id}${x.evasion === null ? '' : ` (${x.evasion})`} → ${r?.fate}${r?.status === null || r?.status === undefined ? '' : ` ${r.status}`}${r === undefined || r.rules.length === 0 ? '' : ` [${r.rules.join(',')}]`}${r?.reason === undefined ? '' : ` (${r.reason})`}: ${describe(x.transaction)}`);
    }
  }

  console.log(`\nbench:crs done in ${((performance.now() - benchStarted) / 1000).toFixed(1)} s`);
}

main()
  .then(() => {
    cleanupSync();
  })
  .catch((error: unknown) => {
    console.error(error);
    cleanupSync();
    process.exit(1);
  });
