/**
 * @module demo/population
 * Who the demo's traffic comes from: citizens on Vietnamese ISPs with the browsers they use,
 * officials with Vietnamese names and the usernames agencies give them, administrators, and hostile
 * sources on foreign hosting ranges with their tools. Shared by the traffic generators.
 */
import type { Random } from './random.js';

/** Consumer address blocks of VNPT, Viettel and FPT Telecom (IPv4), weighted by rough market share. */
export const vietnamIspBlocks: readonly (readonly [string, number])[] = [
  ['14.160.0.0/11', 3], // VNPT
  ['113.160.0.0/11', 3], // VNPT
  ['123.16.0.0/12', 2], // VNPT
  ['27.64.0.0/12', 3], // Viettel
  ['171.224.0.0/11', 3], // Viettel
  ['116.96.0.0/12', 2], // Viettel
  ['42.112.0.0/13', 2], // FPT Telecom
  ['1.52.0.0/14', 1], // FPT Telecom
];

export function citizenAddress(rng: Random): string {
  return rng.ipv4In(rng.weighted(vietnamIspBlocks));
}

/** Hosting and transit ranges abroad where mass scanning and brute force commonly originate. */
export const foreignHostileBlocks: readonly string[] = [
  '218.92.0.0/16',
  '61.177.172.0/24',
  '45.148.10.0/24',
  '80.94.95.0/24',
  '194.26.29.0/24',
  '185.220.101.0/24',
  '167.99.0.0/16',
  '134.209.0.0/16',
  '5.188.206.0/24',
  '91.240.118.0/24',
];

export function hostileAddress(rng: Random): string {
  return rng.ipv4In(rng.pick(foreignHostileBlocks));
}

/** Browsers of citizens on public-service portals: mostly phones, Zalo's in-app browser, Cốc Cốc. */
export const citizenUserAgents: readonly (readonly [string, number])[] = [
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36', 20],
  ['Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36', 6],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 14],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 6],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Zalo iOS/24.05.01 ZaloTheme/light ZaloLanguage/vn', 8],
  ['Mozilla/5.0 (Linux; Android 13; SM-A525F Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 Mobile Safari/537.36 Zalo android/12100613 ZaloTheme/light ZaloLanguage/vi', 8],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 16],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0', 7],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/124.0.246 Chrome/118.0.5993.216 Safari/537.36', 7],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0', 2],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 3],
];

export function citizenUserAgent(rng: Random): string {
  return rng.weighted(citizenUserAgents);
}

const familyNames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'] as const;
const middleNames = ['Văn', 'Thị', 'Đức', 'Minh', 'Thanh', 'Ngọc', 'Quang', 'Hữu', 'Thu', 'Hoàng', 'Xuân', 'Kim'] as const;
const givenNames = [
  'An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hiếu', 'Hoa', 'Hùng', 'Hương', 'Khánh', 'Lan', 'Linh',
  'Long', 'Mai', 'Minh', 'Nam', 'Nga', 'Phong', 'Phương', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Việt', 'Yến',
] as const;

export function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

export interface Official {
  fullName: string;
  /** The usual Vietnamese agency convention: given name + initials of family and middle names (`annv`). */
  username: string;
  /** The official's workstation and its address on the agency's network. */
  workstation: string;
  workstationIp: string;
}

/**
 * A fixed roster of officials for one organisation: the same people log on every day, which is
 * what baselines and "new user" detections need. Deterministic for the seed.
 */
export function officialRoster(rng: Random, size: number, subnet: string, department: readonly string[]): Official[] {
  const used = new Set<string>();
  const out: Official[] = [];
  while (out.length < size) {
    const family = rng.pick(familyNames);
    const middle = rng.pick(middleNames);
    const given = rng.pick(givenNames);
    let username = stripDiacritics(`${given}${family[0] ?? ''}${middle[0] ?? ''}`).toLowerCase();
    for (let n = 2; used.has(username); n++) username = `${username.replace(/\d+$/, '')}${n}`;
    used.add(username);
    const dept = rng.pick(department);
    out.push({
      fullName: `${family} ${middle} ${given}`,
      username,
      workstation: `PC-${dept}-${String(rng.int(1, 120)).padStart(3, '0')}`,
      workstationIp: rng.ipv4In(subnet),
    });
  }
  return out;
}

/** Departments as they appear in workstation names: office, personnel, finance, IT, one-stop desk. */
export const departments = ['VP', 'TCCB', 'KHTC', 'CNTT', 'MOTCUA', 'PC', 'TTRA'] as const;

/** Linux administrators' accounts on agency servers. */
export const adminAccounts = ['quantri', 'sysadmin', 'vanhanh', 'tuannm', 'hungpv'] as const;
