/**
 * @module bench/fixtures
 * Deterministic, realistic inputs for the benchmarks: nginx combined lines of a public-service
 * portal and ECS JSON events, varied enough that no parser path is trivially cached.
 */

const paths = [
  '/dich-vu-cong/tiep-nhan-ho-so',
  '/tra-cuu-ho-so?ma-ho-so=000.00.31.H26-261124-0012',
  '/thanh-toan-truc-tuyen/xac-nhan?ma-giao-dich=VNPAY20261124123456',
  '/static/js/app.3f9c1b.js',
  '/api/v1/thu-tuc?linh-vuc=ho-tich&trang=2',
  '/dang-nhap?redirect=%2Fho-so-cua-toi',
];
const agents = [
  'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/124.0.200 Chrome/118.0.0.0 Safari/537.36',
];
/** About 3% of the lines are hostile, as in the demo: an injection, and a scanner. */
const hostilePath = '/index.php?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--';
const hostileAgent = 'sqlmap/1.8.11#stable (https://sqlmap.org)';
const methods = ['GET', 'GET', 'GET', 'POST'];
const statuses = [200, 200, 200, 302, 304, 404, 500];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The i-th nginx combined line, stamped `base + i` seconds (in +07:00, as Vietnamese servers log). */
export function nginxLine(i: number, base: number): string {
  const t = new Date(base + i * 1000 + 7 * 3_600_000);
  const stamp = `${pad(t.getUTCDate())}/${months[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0700`;
  const ip = `113.${160 + (i % 31)}.${(i * 7) % 256}.${(i * 13) % 254 + 1}`;
  const path = i % 61 === 7 ? hostilePath : paths[i % paths.length];
  const agent = i % 67 === 11 ? hostileAgent : agents[i % agents.length];
  return `${ip} - - [${stamp}] "${methods[i % 4]} ${path} HTTP/1.1" ${statuses[i % statuses.length]} ${1000 + ((i * 37) % 50_000)} "https://dichvucong.hanoi.gov.vn/" "${agent}"`;
}

/** The i-th ECS event as JSON text. */
export function ecsJsonLine(i: number, base: number): string {
  return JSON.stringify({
    '@timestamp': new Date(base + i * 1000).toISOString(),
    event: { kind: 'event', category: ['authentication'], type: ['start'], outcome: i % 5 === 0 ? 'failure' : 'success', action: 'user-login' },
    source: { ip: `14.${160 + (i % 31)}.${(i * 3) % 256}.${(i * 11) % 254 + 1}` },
    user: { name: `can-bo-${i % 500}`, domain: 'HANOI' },
    host: { name: `sso-${i % 4}.hanoi.gov.vn` },
    service: { name: 'Cổng dịch vụ công Hà Nội' },
    message: `Đăng nhập ${i % 5 === 0 ? 'thất bại' : 'thành công'} qua VNeID`,
  });
}
