/**
 * @module demo/portal-traffic
 * Citizens using a public-service portal: a visit lands on the home page or a procedure page,
 * loads static assets (some revalidated with 304), may log in through the national identity
 * (VNeID) redirect, submits or looks up a dossier (hồ sơ) and pays online. Status codes and byte
 * sizes follow what such portals serve; addresses come from Vietnamese ISPs and the browsers are
 * what Vietnamese citizens use. Pure functions of the PRNG and the clock.
 */
import type { AccessLogFormat, HttpAccess } from './access-log.js';
import { formatAccessLog } from './access-log.js';
import { citizenAddress, citizenUserAgent } from './population.js';
import type { Random } from './random.js';

export interface PortalSite {
  host: string;
  format: AccessLogFormat;
  /** Address of the web server (W3C `s-ip`). */
  serverIp: string;
}

/** Hourly weight of citizens' activity, Vietnam time: mornings and early afternoons peak, nights are quiet. */
const citizenHourly = [
  0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.35, 0.7, 1.3, 1.6, 1.6, 1.3, 0.8, 1.0, 1.4, 1.5, 1.3, 1.0, 0.8, 0.8, 0.9, 0.8, 0.5, 0.3,
] as const;

/** Weight (mean ≈ 1 over a weekday) of citizen traffic at `time`; weekends are lighter. */
export function citizenActivity(time: number): number {
  const local = new Date(time + 7 * 3_600_000);
  const hour = citizenHourly[local.getUTCHours()] ?? 1;
  const weekday = local.getUTCDay();
  return hour * (weekday === 0 ? 0.45 : weekday === 6 ? 0.6 : 1.1);
}

const procedures = ['1.001612', '1.004227', '2.000986', '1.000656', '2.001823', '1.010740', '1.003003', '2.002154'] as const;
const fields = ['tu-phap', 'ho-tich', 'dat-dai', 'xay-dung', 'giao-thong', 'cu-tru', 'thue', 'bao-hiem-xa-hoi'] as const;
const searches = ['cấp đổi căn cước', 'đăng ký khai sinh', 'giấy phép xây dựng', 'đăng ký thường trú', 'cấp lại giấy phép lái xe', 'lý lịch tư pháp'] as const;
const staticAssets: readonly (readonly [string, number])[] = [
  ['/static/css/main.min.css?v=3.4.2', 48_211],
  ['/static/js/vendor.bundle.js?v=3.4.2', 412_904],
  ['/static/js/app.bundle.js?v=3.4.2', 187_330],
  ['/static/img/quoc-huy.png', 24_512],
  ['/static/img/banner-dvc.webp', 96_180],
  ['/static/fonts/Roboto-Regular.woff2', 64_772],
  ['/favicon.ico', 5_430],
];

function dossierCode(rng: Random, time: number): string {
  const d = new Date(time + 7 * 3_600_000);
  const ymd = `${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `H${String(rng.int(1, 64)).padStart(2, '0')}.${rng.int(10, 99)}-${ymd}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

interface Visit {
  ip: string;
  ua: string;
  site: PortalSite;
  time: number;
  referer: string | null;
  out: HttpAccess[];
}

function hit(rng: Random, v: Visit, method: string, target: string, status: number, bytes: number, slowMs = 120): void {
  const [path, query = ''] = target.split('?', 2) as [string, string?];
  v.out.push({
    time: v.time,
    clientIp: v.ip,
    method,
    path,
    query,
    protocol: rng.chance(0.7) ? 'HTTP/2.0' : 'HTTP/1.1',
    status,
    bytes,
    referer: v.referer,
    userAgent: v.ua,
    user: null,
    durationMs: rng.int(5, slowMs),
  });
  v.time += rng.int(20, 180);
  if (method === 'GET' && !path.startsWith('/static') && path !== '/favicon.ico') v.referer = `https://${v.site.host}${target}`;
}

/** A server hiccup now and then: 404 for stale links, upstream errors, clients that gave up. */
function pageStatus(rng: Random, format: AccessLogFormat): number {
  return rng.weighted<number>([
    [200, 970],
    [404, 15],
    [500, 3],
    [502, format === 'w3c' ? 0 : 3],
    [503, format === 'w3c' ? 3 : 0],
    [504, 2],
    [499, format === 'nginx' ? 4 : 0],
  ]);
}

function loadAssets(rng: Random, v: Visit): void {
  const revisit = rng.chance(0.45);
  for (const [asset, size] of staticAssets) {
    if (rng.chance(0.35)) continue;
    hit(rng, v, 'GET', asset, revisit ? 304 : 200, revisit ? 0 : size + rng.int(-200, 200), 40);
  }
}

function landing(rng: Random, v: Visit): void {
  const page = rng.weighted<string>([
    ['/', 5],
    [`/thu-tuc-hanh-chinh?linh-vuc=${rng.pick(fields)}`, 2],
    [`/tim-kiem?tu-khoa=${encodeURIComponent(rng.pick(searches))}`, 2],
    [`/dich-vu-cong/chi-tiet?ma-thu-tuc=${rng.pick(procedures)}`, 2],
  ]);
  hit(rng, v, 'GET', page, pageStatus(rng, v.site.format), rng.int(38_000, 92_000), 400);
  loadAssets(rng, v);
}

function loginWithVneid(rng: Random, v: Visit): void {
  hit(rng, v, 'GET', '/dang-nhap', 200, rng.int(12_000, 16_000));
  hit(rng, v, 'GET', `/dang-nhap/vneid?redirect=${encodeURIComponent('/tai-khoan/ho-so-cua-toi')}`, 302, rng.int(150, 400), 60);
  v.referer = 'https://sso.dancuquocgia.gov.vn/';
  hit(rng, v, 'GET', `/dang-nhap/vneid/callback?code=${rng.hex(32)}&state=${rng.hex(16)}`, rng.chance(0.97) ? 302 : 401, rng.int(150, 400), 900);
  v.referer = `https://${v.site.host}/dang-nhap`;
  hit(rng, v, 'GET', '/tai-khoan/ho-so-cua-toi', 200, rng.int(20_000, 40_000), 500);
}

function submitDossier(rng: Random, v: Visit): void {
  const procedure = rng.pick(procedures);
  hit(rng, v, 'GET', `/dich-vu-cong/tiep-nhan-ho-so?ma-thu-tuc=${procedure}`, 200, rng.int(30_000, 60_000), 600);
  hit(rng, v, 'POST', '/dich-vu-cong/tiep-nhan-ho-so/tai-tep-dinh-kem', rng.chance(0.98) ? 200 : 413, rng.int(80, 300), 2500);
  hit(rng, v, 'POST', '/dich-vu-cong/tiep-nhan-ho-so/nop-ho-so', rng.chance(0.95) ? 302 : 400, rng.int(200, 600), 1500);
}

function lookUpDossier(rng: Random, v: Visit): void {
  const code = dossierCode(rng, v.time);
  hit(rng, v, 'GET', `/tra-cuu-ho-so?ma-ho-so=${code}`, pageStatus(rng, v.site.format), rng.int(18_000, 30_000), 600);
  if (rng.chance(0.5)) hit(rng, v, 'GET', `/api/v1/ho-so/trang-thai?ma-ho-so=${code}`, 200, rng.int(300, 1200), 200);
}

function payOnline(rng: Random, v: Visit): void {
  const code = dossierCode(rng, v.time);
  hit(rng, v, 'GET', `/thanh-toan-truc-tuyen?ma-ho-so=${code}`, 200, rng.int(22_000, 28_000), 500);
  hit(rng, v, 'POST', '/thanh-toan-truc-tuyen/tao-giao-dich', rng.chance(0.97) ? 302 : 502, rng.int(200, 500), 1800);
  v.referer = 'https://payment.dichvucong.gov.vn/';
  hit(rng, v, 'GET', `/thanh-toan-truc-tuyen/ket-qua?ma-giao-dich=${rng.hex(20).toUpperCase()}&trang-thai=00`, 200, rng.int(9_000, 12_000), 400);
}

/**
 * `count` requests of citizens on `site` in the second before `time`, in time order. Visits are
 * cut at `count`, as a one-second window cuts real sessions.
 */
export function citizenAccesses(rng: Random, site: PortalSite, time: number, count: number): HttpAccess[] {
  const out: HttpAccess[] = [];
  while (out.length < count) {
    const v: Visit = {
      ip: citizenAddress(rng),
      ua: citizenUserAgent(rng),
      site,
      time: time - 1000 + rng.int(0, 999),
      referer: rng.weighted<string | null>([[null, 4], ['https://www.google.com/', 4], ['https://zalo.me/', 1], ['https://coccoc.com/search', 1]]),
      out,
    };
    landing(rng, v);
    const action = rng.weighted<(r: Random, visit: Visit) => void>([
      [lookUpDossier, 5],
      [loginWithVneid, 3],
      [submitDossier, 2],
      [payOnline, 1],
      [() => undefined, 3],
    ]);
    action(rng, v);
    if (action === loginWithVneid && rng.chance(0.5)) submitDossier(rng, v);
  }
  out.length = count;
  for (const access of out) access.time = Math.min(access.time, time - 1); // the window ends at `time`
  return out.sort((a, b) => a.time - b.time);
}

/** The log lines of `count` citizen requests in the portal's format (W3C with its directives). */
export function portalTrafficLines(rng: Random, site: PortalSite, time: number, count: number): string[] {
  return formatAccessLog(citizenAccesses(rng, site, time, count), site.format, site.serverIp, time);
}
