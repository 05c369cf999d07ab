/**
 * @module analyze/behaviour/stream-population
 * Who uses a Vietnamese public-service portal in the generated streams: citizens with names such as
 * `nguyen.van.an`, residential addresses of Viettel, VNPT and FPT, a home country (mostly Vietnam,
 * some abroad), their own few records and a browser; clerks in their offices. With the random
 * draws the streams share (truncated normal, Poisson, log-normal sizes).
 */
import type { Rng } from '../corpus/prng.js';
import { userAgents } from './stream-events.js';

/** First two octets of residential ranges (Viettel, VNPT, FPT). */
const residentialPrefixes = [
  [27, 64, 79], [116, 96, 111], [171, 224, 255], [14, 160, 191], [113, 160, 191], [123, 16, 31], [42, 112, 119], [58, 186, 187], [1, 52, 55],
] as const;
export const officeIps = ['203.162.10.21', '203.162.10.22', '203.113.131.5'];

const familyNames = ['nguyen', 'tran', 'le', 'pham', 'hoang', 'huynh', 'phan', 'vu', 'vo', 'dang', 'bui', 'do', 'ho', 'ngo', 'duong', 'ly'];
const middleNames = ['van', 'thi', 'huu', 'minh', 'ngoc', 'thanh', 'duc', 'quang', 'thu', 'bao', 'gia'];
const givenNames = ['an', 'lan', 'anh', 'hung', 'dung', 'huong', 'phuong', 'tuan', 'ha', 'trang', 'khoa', 'nhung', 'quy', 'thao', 'viet', 'dat', 'binh', 'linh', 'mai', 'nam'];
const abroad = ['JP', 'KR', 'TW', 'US', 'DE', 'AU'];

export const pages = ['/', '/trang-chu', '/thu-tuc-hanh-chinh', '/dich-vu-cong-truc-tuyen', '/tra-cuu-ho-so', '/huong-dan', '/lien-he', '/tin-tuc/cai-cach-hanh-chinh-2024', '/tin-tuc/lich-tiep-cong-dan', '/thanh-toan-truc-tuyen', '/phan-anh-kien-nghi'];
export const assets: readonly (readonly [string, number])[] = [
  ['/static/js/app.3f9a1c.js', 412_000], ['/static/js/vendor.8b21e0.js', 980_000], ['/static/css/main.5c2d.css', 96_000], ['/static/img/logo-quoc-huy.png', 18_400], ['/static/img/banner-dvc.jpg', 240_000], ['/static/fonts/roboto-regular.woff2', 64_000],
];
export const missing = ['/favicon.ico', '/apple-touch-icon.png', '/apple-touch-icon-precomposed.png', '/tin-tuc/thong-bao-cu-2019', '/static/js/app.1a2b3c.js', '/robots.txt'];
export const searches = ['khai+sinh', 'ket+hon', 'giay+phep+lai+xe', 'ho+chieu', 'ly+lich+tu+phap', 'dang+ky+thuong+tru', 'bao+hiem+y+te'];
export const staffSections = ['ho-so', 'bao-cao', 'nguoi-dung', 'thong-ke'];
export const serverErrors = [500, 502, 503, 504];

export interface Citizen {
  ip: string;
  user: string;
  country: string | undefined;
  records: number[];
  codes: string[];
  agent: string;
}

export interface Clerk {
  ip: string;
  user: string;
}

export function residentialIp(rng: Rng): string {
  const [first, low, high] = rng.pick(residentialPrefixes);
  return `${first}.${rng.int(low, high)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function citizenName(rng: Rng): string {
  const base = `${rng.pick(familyNames)}.${rng.pick(middleNames)}.${rng.pick(givenNames)}`;
  return rng.chance(0.3) ? `${base}${rng.int(60, 99)}` : base;
}

export function citizenOf(rng: Rng): Citizen {
  const records = Array.from({ length: rng.int(1, 3) }, () => rng.int(1_000_000, 9_999_999));
  const home = rng.next();
  return {
    ip: residentialIp(rng),
    user: citizenName(rng),
    country: home < 0.96 ? 'VN' : home < 0.98 ? undefined : rng.pick(abroad),
    records,
    codes: records.map((r) => `000.00.31.H26-2411${String(r % 100).padStart(2, '0')}-${String(r % 10_000).padStart(4, '0')}`),
    agent: rng.pick(userAgents),
  };
}

/** Box–Muller standard normal, truncated to ±3 so that generated sizes stay plausible. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  return Math.max(-3, Math.min(3, z));
}

export function poisson(rng: Rng, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k++;
  return k;
}

export const logNormal = (rng: Rng, median: number, sigma: number): number => Math.round(median * Math.exp(sigma * gaussian(rng)));
