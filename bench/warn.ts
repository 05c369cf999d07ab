/**
 * @module bench/warn
 * `npm run bench:warn`: how fast an early warning goes out. The real centre (in this process, the
 * detection thread and the SQLite store as `npm start` runs them) with 1,000 organisations in the
 * tree — 63 provinces, 22 ministries, the rest agencies — and a signed webhook contact for each,
 * receiving background traffic of ordinary citizen requests at BENCH_RATE events/s (default
 * 10,000) over HTTP batches from 20 sensors. Province A is hit by an exploit; a little later
 * province B is hit by the same exploit from the same source: that event completes the campaign.
 * Measured: from sending B's event to the last of the campaign warning's webhooks arriving at the
 * receiver (every organisation it may reach next: the other provinces, and those running the
 * software of the systems hit), plus the stages in between and the background rate achieved.
 * Environment: BENCH_RATE, BENCH_ORGS (default 1000), BENCH_WARMUP_SECONDS (default 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arch, cpus, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startCentre } from '../src/centre.js';
import { loadConfig } from '../src/core/config.js';
import { Scope } from '../src/core/scope.js';
import type { OrgKind } from '../src/core/model.js';

const rate = Number(process.env['BENCH_RATE'] ?? 10_000);
const orgCount = Number(process.env['BENCH_ORGS'] ?? 1000);
const warmupSeconds = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 5);
const SENSORS = 20;
const BATCH = 500;

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const clf = (ms: number): string => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};
const paths = ['/dich-vu-cong/tra-cuu?ma-ho-so=H{n}', '/thu-tuc-hanh-chinh/chi-tiet?id={n}', '/tin-tuc/thong-bao-{n}.html', '/dang-nhap', '/static/css/app.{n}.css', '/api/ho-so/{n}/trang-thai'];
let counter = 0;
const benign = (): string => {
  counter++;
  const path = (paths[counter % paths.length] as string).replace('{n}', String(100000 + (counter % 90000)));
  return `10.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter & 255} - - [${clf(Date.now())}] "GET ${path} HTTP/1.1" 200 ${2000 + (counter % 5000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0"`;
};
const exploit = (record: number): string =>
  `198.51.100.77 - - [${clf(Date.now())}] "GET /dich-vu-cong/ho-so?ma=${record}%27%20UNION%20SELECT%20ten_dang_nhap,mat_khau%20FROM%20nguoi_dung-- HTTP/1.1" 200 734 "-" "Mozilla/5.0 (X11; Linux x86_64)"`;

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-warn-'));
const received = new Map<string, number>();
const lastArrival = new Map<string, number>();
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    try {
      const subject = (JSON.parse(body) as { notification?: { subjectId?: string } }).notification?.subjectId ?? '';
      received.set(subject, (received.get(subject) ?? 0) + 1);
      lastArrival.set(subject, performance.now());
    } catch {
      // not ours
    }
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/vigil`;

const text = [
  `dataDir: ${JSON.stringify(join(dir, 'data'))}`,
  'server: { host: 127.0.0.1, port: 0, logLevel: silent }',
  'store: { synchronous: normal }',
  'ingest: { ratePerSecond: 100000000, rateBurst: 100000000 }',
  'demo: { enabled: false }',
  'detection: { hotReload: false }',
  'warn: { campaigns: { policy: auto, targetBy: [sector, software] } }',
  'delivery: { pollMs: 1000, concurrency: 16, webhooks: { allowPrivateNetworks: true, allowPlainHttp: true } }',
].join('\n');
const lines: string[] = [];
const centre = await startCentre({ loaded: loadConfig({ text, path: join(dir, 'vigil.yaml'), env: {} }), print: (t) => lines.push(t) });
const system = Scope.system('bench: build the tree');
const root = centre.store.orgs.list(system).find((o) => o.parentId === null);
if (!root) throw new Error('no centre');

// The tree: 63 provinces, 22 ministries, agencies under the provinces up to BENCH_ORGS in all.
const built = performance.now();
const provinces: string[] = [];
const make = (code: string, parentId: string, kind: OrgKind, sector: string | null, region: string | null): string =>
  centre.directory.createOrganization(system, { parentId, code, nameVi: code, nameEn: code, kind, sector, region }).id;
for (let i = 0; i < 63; i++) provinces.push(make(`P${i}`, root.id, 'province', 'dia-phuong', i < 32 ? 'bac' : 'nam'));
const ministries: string[] = [];
for (let i = 0; i < 22; i++) ministries.push(make(`M${i}`, root.id, 'ministry', `nganh-${i}`, null));
const agencies: string[] = [];
for (let i = 0; agencies.length + 86 < orgCount; i++) agencies.push(make(`A${i}`, provinces[i % 63] as string, 'agency', `so-${i % 12}`, i % 63 < 32 ? 'bac' : 'nam'));
const all = [...provinces, ...ministries, ...agencies];
const now = new Date().toISOString();
for (const orgId of all) {
  centre.store.contacts.create(system, {
    id: `cnt_${orgId}`, orgId, channel: 'webhook', name: 'SIEM', address: hookUrl, language: 'vi', minSeverity: 'informational', digest: false, enabled: true,
    hasSecret: true, secret: `whsec_bench_${orgId}`, createdAt: now, updatedAt: now,
  });
}
// Portals: every province and every fourth agency and ministry runs the same portal software.
const struts = { cpe: 'cpe:2.3:a:apache:struts:2.5.30:*:*:*:*:*:*:*', part: 'a' as const, vendor: 'apache', product: 'struts', version: '2.5.30' };
const sensorKeys: string[] = [];
const sensorOrgs = [provinces[0] as string, provinces[40] as string, ...provinces.slice(1, SENSORS - 1)];
for (const [i, orgId] of [...provinces, ...ministries.filter((_, k) => k % 4 === 0), ...agencies.filter((_, k) => k % 4 === 0)].entries()) {
  const sensor = sensorOrgs.includes(orgId) ? centre.directory.createSensor(system, { orgId, name: `portal ${i}`, format: 'nginx' }) : null;
  if (sensor) sensorKeys[sensorOrgs.indexOf(orgId)] = sensor.key;
  centre.store.systems.create(system, {
    id: `sys_bench_${i}`, orgId, name: `Cổng dịch vụ công ${i}`, description: null, owner: { unit: 'CNTT', person: null, contact: null }, securityLevel: 3,
    hostnames: [], urls: [], ipRanges: [], software: [struts], sensorIds: sensor ? [sensor.sensor.id] : [], securityPlan: { approved: true, approvedOn: '2026-01-01' },
    budget: { currency: 'VND', total: null, security: null }, createdAt: now, updatedAt: now,
  });
}
centre.detectionThread?.reloadControls();
const treeMs = performance.now() - built;

const pool = new Pool(centre.url, { connections: 8 });
const send = async (key: string, body: string): Promise<number> => {
  const reply = await pool.request({ path: '/api/v1/ingest', method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' }, body });
  await reply.body.text();
  if (reply.statusCode !== 202) throw new Error(`ingest answered ${reply.statusCode}`);
  return reply.statusCode;
};

// Background traffic at `rate`: a batch every BATCH/rate seconds, sensors in turn.
let sent = 0;
let running = true;
const started = performance.now();
const background = (async () => {
  let next = performance.now();
  let sensor = 0;
  const inflight = new Set<Promise<unknown>>();
  while (running) {
    const batch = Array.from({ length: BATCH }, benign).join('\n');
    const p = send(sensorKeys[sensor % SENSORS] as string, batch).then(() => (sent += BATCH)).finally(() => inflight.delete(p));
    inflight.add(p);
    sensor++;
    next += (BATCH / rate) * 1000;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inflight.size > 64) await Promise.race(inflight);
  }
  await Promise.all(inflight);
})();

await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
await send(sensorKeys[0] as string, exploit(101)); // province A
await new Promise((r) => setTimeout(r, 2000));
const completing = performance.now();
await send(sensorKeys[1] as string, exploit(202)); // province B: completes the campaign
const acceptedMs = performance.now() - completing;

let campaignAt = 0;
let warningId: string | null = null;
let recipients = 0;
const deadline = completing + 60_000;
while (performance.now() < deadline) {
  if (warningId === null) {
    const campaign = centre.store.campaigns.list({ limit: 5 }).items.find((c) => c.warningId !== null);
    if (campaign?.warningId) {
      campaignAt = performance.now();
      warningId = campaign.warningId;
      recipients = centre.store.warnings.getOwned(system, warningId)?.recipientCount ?? 0;
    }
  }
  if (warningId !== null && (received.get(warningId) ?? 0) >= recipients && recipients > 0) break;
  await new Promise((r) => setTimeout(r, 5));
}
const elapsedBackground = (performance.now() - started) / 1000;
running = false;
await background;
await pool.close();

const cpu = cpus()[0];
console.log(`machine: ${cpu?.model ?? 'unknown CPU'} (${cpus().length} logical cores), ${platform()} ${release()} ${arch()}, Node ${process.version}`);
console.log(`tree: ${all.length + 1} organisations (${provinces.length} provinces, ${ministries.length} ministries, ${agencies.length} agencies), a webhook contact each; built in ${(treeMs / 1000).toFixed(1)} s`);
console.log(`background: ${Math.round(sent / elapsedBackground).toLocaleString('en-US')} events/s achieved (asked ${rate.toLocaleString('en-US')}) from ${SENSORS} sensors in batches of ${BATCH}, ${sent.toLocaleString('en-US')} events`);
if (warningId === null || (received.get(warningId) ?? 0) < recipients) {
  console.log(`FAILED: warning ${warningId ?? '(none)'} reached ${received.get(warningId ?? '') ?? 0} of ${recipients} recipients within 60 s`);
  process.exitCode = 1;
} else {
  console.log(`campaign warning: ${recipients} recipients (other provinces, and organisations running the same software)`);
  console.log(`completing event accepted (202): ${acceptedMs.toFixed(0)} ms`);
  console.log(`completing event → campaign confirmed and warning issued (seen in the store): ${(campaignAt - completing).toFixed(0)} ms`);
  console.log(`completing event → last webhook of the warning received: ${((lastArrival.get(warningId) ?? 0) - completing).toFixed(0)} ms  (goal: < 5000 ms)`);
}
await centre.close();
await new Promise<void>((resolve) => receiver.close(() => resolve()));
rmSync(dir, { recursive: true, force: true });
