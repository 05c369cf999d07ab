/**
 * @module demo/tree
 * The demo organisation tree as data: the national centre at the root; the ministries and
 * ministry-level agencies after the 2025 government restructuring; a few sectors; the 34
 * provincial-level units in force since 1 July 2025 (6 centrally-run cities, 28 provinces), each with
 * two or three agencies that run public services; and alliance members (security firms) outside the
 * chain of command. Portal hostnames follow the public naming of Vietnamese e-government sites
 * (`dichvucong.<province>.gov.vn`); everything seeded from here is labelled demo.
 */
import type { OrgKind } from '../core/model.js';

export type DemoRegion = 'north' | 'central' | 'south';

export interface DemoOrgSpec {
  /** Unique, stable: `VN-NCSC`, `VN-BCA`, `VN-HN`, `VN-HN-TTPVHCC`. */
  code: string;
  parentCode: string | null;
  nameVi: string;
  nameEn: string;
  kind: OrgKind;
  sector: string | null;
  region: DemoRegion | null;
  /** Public-service portal hostnames the organisation runs (every agency has at least one). */
  portals: readonly string[];
}

export const demoRootCode = 'VN-NCSC';

const root: DemoOrgSpec = {
  code: demoRootCode,
  parentCode: null,
  nameVi: 'Trung tâm Giám sát an toàn không gian mạng quốc gia',
  nameEn: 'National Cyber Security Monitoring Centre',
  kind: 'national',
  sector: 'government',
  region: null,
  portals: [],
};

/** [code, nameVi, nameEn, sector] — 14 ministries and 3 ministry-level agencies (from 1 March 2025). */
const ministries: readonly (readonly [string, string, string, string])[] = [
  ['VN-BQP', 'Bộ Quốc phòng', 'Ministry of National Defence', 'defence'],
  ['VN-BCA', 'Bộ Công an', 'Ministry of Public Security', 'public-security'],
  ['VN-BNG', 'Bộ Ngoại giao', 'Ministry of Foreign Affairs', 'foreign-affairs'],
  ['VN-BNV', 'Bộ Nội vụ', 'Ministry of Home Affairs', 'home-affairs'],
  ['VN-BTP', 'Bộ Tư pháp', 'Ministry of Justice', 'justice'],
  ['VN-BTC', 'Bộ Tài chính', 'Ministry of Finance', 'finance'],
  ['VN-BCT', 'Bộ Công Thương', 'Ministry of Industry and Trade', 'industry-trade'],
  ['VN-BNNMT', 'Bộ Nông nghiệp và Môi trường', 'Ministry of Agriculture and Environment', 'agriculture-environment'],
  ['VN-BXD', 'Bộ Xây dựng', 'Ministry of Construction', 'construction'],
  ['VN-BVHTTDL', 'Bộ Văn hóa, Thể thao và Du lịch', 'Ministry of Culture, Sports and Tourism', 'culture'],
  ['VN-BKHCN', 'Bộ Khoa học và Công nghệ', 'Ministry of Science and Technology', 'science-technology'],
  ['VN-BGDDT', 'Bộ Giáo dục và Đào tạo', 'Ministry of Education and Training', 'education'],
  ['VN-BYT', 'Bộ Y tế', 'Ministry of Health', 'health'],
  ['VN-BDTTG', 'Bộ Dân tộc và Tôn giáo', 'Ministry of Ethnic and Religious Affairs', 'ethnic-religious-affairs'],
  ['VN-NHNN', 'Ngân hàng Nhà nước Việt Nam', 'State Bank of Vietnam', 'banking'],
  ['VN-TTCP', 'Thanh tra Chính phủ', 'Government Inspectorate', 'inspection'],
  ['VN-VPCP', 'Văn phòng Chính phủ', 'Office of the Government', 'government'],
];

/** [code, parentCode, nameVi, nameEn, sector, portals] */
const ministryAgencies: readonly (readonly [string, string, string, string, string, readonly string[]])[] = [
  ['VN-VPCP-CKSTTHC', 'VN-VPCP', 'Cục Kiểm soát thủ tục hành chính', 'Administrative Procedures Control Agency', 'public-services', ['dichvucong.gov.vn']],
  ['VN-BCA-C06', 'VN-BCA', 'Cục Cảnh sát quản lý hành chính về trật tự xã hội', 'Police Department for Administrative Management of Social Order', 'public-security', ['dichvucong.bocongan.gov.vn']],
  ['VN-BCA-QLXNC', 'VN-BCA', 'Cục Quản lý xuất nhập cảnh', 'Immigration Department', 'public-security', ['xuatnhapcanh.gov.vn']],
  ['VN-BTC-CT', 'VN-BTC', 'Cục Thuế', 'Tax Department', 'finance', ['thuedientu.gdt.gov.vn']],
  ['VN-BTC-CHQ', 'VN-BTC', 'Cục Hải quan', 'Customs Department', 'finance', ['pus.customs.gov.vn']],
  ['VN-BKHCN-CSHTT', 'VN-BKHCN', 'Cục Sở hữu trí tuệ', 'Intellectual Property Office of Viet Nam', 'science-technology', ['dvctt.ipvietnam.gov.vn']],
];

/** [code, nameVi, nameEn, sector, portals] — sector bodies that connect directly to the centre. */
const sectors: readonly (readonly [string, string, string, string, readonly string[]])[] = [
  ['VN-NAPAS', 'Công ty Cổ phần Thanh toán Quốc gia Việt Nam (NAPAS)', 'National Payment Corporation of Vietnam (NAPAS)', 'banking', ['napas.com.vn']],
  ['VN-EVN', 'Tập đoàn Điện lực Việt Nam (EVN)', 'Vietnam Electricity (EVN)', 'energy', ['dichvucongtructuyen.evn.com.vn']],
  ['VN-VNPT', 'Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT)', 'Vietnam Posts and Telecommunications Group (VNPT)', 'telecom', ['vnpt.com.vn']],
  ['VN-BHXH', 'Bảo hiểm xã hội Việt Nam', 'Vietnam Social Security', 'social-insurance', ['dichvucong.baohiemxahoi.gov.vn']],
];

/** [code, short Vietnamese name, English name, region, domain slug, city?, has a Department of Finance in the demo] */
const provinces: readonly (readonly [string, string, string, DemoRegion, string, boolean, boolean])[] = [
  ['VN-HN', 'Hà Nội', 'Ha Noi', 'north', 'hanoi', true, true],
  ['VN-HUE', 'Huế', 'Hue', 'central', 'hue', true, true],
  ['VN-HP', 'Hải Phòng', 'Hai Phong', 'north', 'haiphong', true, true],
  ['VN-DNG', 'Đà Nẵng', 'Da Nang', 'central', 'danang', true, true],
  ['VN-HCM', 'Hồ Chí Minh', 'Ho Chi Minh', 'south', 'hochiminhcity', true, true],
  ['VN-CT', 'Cần Thơ', 'Can Tho', 'south', 'cantho', true, true],
  ['VN-LCH', 'Lai Châu', 'Lai Chau', 'north', 'laichau', false, false],
  ['VN-DBN', 'Điện Biên', 'Dien Bien', 'north', 'dienbien', false, false],
  ['VN-SL', 'Sơn La', 'Son La', 'north', 'sonla', false, false],
  ['VN-LS', 'Lạng Sơn', 'Lang Son', 'north', 'langson', false, false],
  ['VN-QN', 'Quảng Ninh', 'Quang Ninh', 'north', 'quangninh', false, true],
  ['VN-TH', 'Thanh Hóa', 'Thanh Hoa', 'central', 'thanhhoa', false, false],
  ['VN-NA', 'Nghệ An', 'Nghe An', 'central', 'nghean', false, true],
  ['VN-HT', 'Hà Tĩnh', 'Ha Tinh', 'central', 'hatinh', false, false],
  ['VN-CB', 'Cao Bằng', 'Cao Bang', 'north', 'caobang', false, false],
  ['VN-TQ', 'Tuyên Quang', 'Tuyen Quang', 'north', 'tuyenquang', false, false],
  ['VN-LC', 'Lào Cai', 'Lao Cai', 'north', 'laocai', false, false],
  ['VN-TN', 'Thái Nguyên', 'Thai Nguyen', 'north', 'thainguyen', false, false],
  ['VN-PT', 'Phú Thọ', 'Phu Tho', 'north', 'phutho', false, false],
  ['VN-BN', 'Bắc Ninh', 'Bac Ninh', 'north', 'bacninh', false, false],
  ['VN-HY', 'Hưng Yên', 'Hung Yen', 'north', 'hungyen', false, false],
  ['VN-NB', 'Ninh Bình', 'Ninh Binh', 'north', 'ninhbinh', false, false],
  ['VN-QT', 'Quảng Trị', 'Quang Tri', 'central', 'quangtri', false, false],
  ['VN-QNG', 'Quảng Ngãi', 'Quang Ngai', 'central', 'quangngai', false, false],
  ['VN-GL', 'Gia Lai', 'Gia Lai', 'central', 'gialai', false, false],
  ['VN-KH', 'Khánh Hòa', 'Khanh Hoa', 'central', 'khanhhoa', false, true],
  ['VN-LD', 'Lâm Đồng', 'Lam Dong', 'central', 'lamdong', false, false],
  ['VN-DLK', 'Đắk Lắk', 'Dak Lak', 'central', 'daklak', false, false],
  ['VN-DNI', 'Đồng Nai', 'Dong Nai', 'south', 'dongnai', false, true],
  ['VN-TNI', 'Tây Ninh', 'Tay Ninh', 'south', 'tayninh', false, false],
  ['VN-VL', 'Vĩnh Long', 'Vinh Long', 'south', 'vinhlong', false, false],
  ['VN-DT', 'Đồng Tháp', 'Dong Thap', 'south', 'dongthap', false, false],
  ['VN-CM', 'Cà Mau', 'Ca Mau', 'south', 'camau', false, false],
  ['VN-AG', 'An Giang', 'An Giang', 'south', 'angiang', false, false],
];

/** [code, nameVi, nameEn] — alliance members; real firms appear in the demo only as labelled demo. */
const alliance: readonly (readonly [string, string, string])[] = [
  ['VN-ALLIANCE-VCS', 'Công ty An ninh mạng Viettel', 'Viettel Cyber Security'],
  ['VN-ALLIANCE-VNPTCI', 'VNPT Cyber Immunity', 'VNPT Cyber Immunity'],
  ['VN-ALLIANCE-BKAV', 'Tập đoàn Công nghệ Bkav', 'BKAV Corporation'],
  ['VN-ALLIANCE-CMCCS', 'Công ty An ninh mạng CMC', 'CMC Cyber Security'],
  ['VN-ALLIANCE-FPTIS', 'Công ty TNHH Hệ thống Thông tin FPT', 'FPT Information System (FPT IS)'],
];

function provinceAgencies(code: string, vi: string, en: string, region: DemoRegion, slug: string, city: boolean, finance: boolean): DemoOrgSpec[] {
  // "Thành phố Hồ Chí Minh" already says "Thành phố"; the agencies say "thành phố X" / "tỉnh X".
  const unitVi = city ? `thành phố ${vi}` : `tỉnh ${vi}`;
  const unitEn = city ? (en === 'Ho Chi Minh' ? 'Ho Chi Minh City' : `${en} City`) : `${en} Province`;
  const agencies: DemoOrgSpec[] = [
    {
      code: `${code}-TTPVHCC`,
      parentCode: code,
      nameVi: `Trung tâm Phục vụ hành chính công ${unitVi}`,
      nameEn: `${unitEn} Public Administrative Service Centre`,
      kind: 'agency',
      sector: 'public-services',
      region,
      portals: [`dichvucong.${slug}.gov.vn`],
    },
    {
      code: `${code}-SKHCN`,
      parentCode: code,
      nameVi: `Sở Khoa học và Công nghệ ${unitVi}`,
      nameEn: `${unitEn} Department of Science and Technology`,
      kind: 'agency',
      sector: 'science-technology',
      region,
      portals: [`skhcn.${slug}.gov.vn`],
    },
  ];
  if (finance) {
    agencies.push({
      code: `${code}-STC`,
      parentCode: code,
      nameVi: `Sở Tài chính ${unitVi}`,
      nameEn: `${unitEn} Department of Finance`,
      kind: 'agency',
      sector: 'finance',
      region,
      portals: [`stc.${slug}.gov.vn`],
    });
  }
  return agencies;
}

function buildDemoTree(): DemoOrgSpec[] {
  const out: DemoOrgSpec[] = [root];
  for (const [code, nameVi, nameEn, sector] of ministries) {
    out.push({ code, parentCode: demoRootCode, nameVi, nameEn, kind: 'ministry', sector, region: null, portals: [] });
  }
  for (const [code, parentCode, nameVi, nameEn, sector, portals] of ministryAgencies) {
    out.push({ code, parentCode, nameVi, nameEn, kind: 'agency', sector, region: null, portals });
  }
  for (const [code, nameVi, nameEn, sector, portals] of sectors) {
    out.push({ code, parentCode: demoRootCode, nameVi, nameEn, kind: 'sector', sector, region: null, portals });
  }
  for (const [code, vi, en, region, slug, city, finance] of provinces) {
    out.push({
      code,
      parentCode: demoRootCode,
      nameVi: city ? `Thành phố ${vi}` : `Tỉnh ${vi}`,
      nameEn: city ? (en === 'Ho Chi Minh' ? 'Ho Chi Minh City' : `${en} City`) : `${en} Province`,
      kind: 'province',
      sector: 'local-government',
      region,
      portals: [`${slug}.gov.vn`],
    });
    out.push(...provinceAgencies(code, vi, en, region, slug, city, finance));
  }
  for (const [code, nameVi, nameEn] of alliance) {
    out.push({
      code,
      parentCode: demoRootCode,
      nameVi: `${nameVi} (demo)`,
      nameEn: `${nameEn} (demo)`,
      kind: 'alliance',
      sector: 'cybersecurity',
      region: null,
      portals: [],
    });
  }
  return out;
}

/** Parents always come before their children. */
export const demoTree: readonly DemoOrgSpec[] = buildDemoTree();

export function findDemoOrg(code: string): DemoOrgSpec | undefined {
  return demoTree.find((org) => org.code === code);
}
