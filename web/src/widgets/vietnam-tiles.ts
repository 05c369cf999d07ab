/**
 * @module web/widgets/vietnam-tiles
 * A tile cartogram of Viet Nam's 34 provincial-level units in force since 1 July 2025 (Resolution
 * 202/2025/QH15: 6 centrally-run cities, 28 provinces), one square per unit placed on a grid
 * roughly where the unit lies — north at the top, the S-shaped coast running south-east then
 * south-west — and the Hoàng Sa and Trường Sa archipelagos at sea, drawn and labelled. Codes are
 * those of the demo tree (`VN-HN` → `HN`); an organisation tree with other codes matches by name.
 */

export interface ProvinceTile {
  /** Code without the `VN-` prefix. */
  code: string;
  nameVi: string;
  nameEn: string;
  col: number;
  row: number;
}

export const provinceTiles: readonly ProvinceTile[] = [
  { code: 'DBN', nameVi: 'Điện Biên', nameEn: 'Dien Bien', col: 0, row: 0 },
  { code: 'LCH', nameVi: 'Lai Châu', nameEn: 'Lai Chau', col: 1, row: 0 },
  { code: 'LC', nameVi: 'Lào Cai', nameEn: 'Lao Cai', col: 2, row: 0 },
  { code: 'TQ', nameVi: 'Tuyên Quang', nameEn: 'Tuyen Quang', col: 3, row: 0 },
  { code: 'CB', nameVi: 'Cao Bằng', nameEn: 'Cao Bang', col: 4, row: 0 },
  { code: 'SL', nameVi: 'Sơn La', nameEn: 'Son La', col: 1, row: 1 },
  { code: 'PT', nameVi: 'Phú Thọ', nameEn: 'Phu Tho', col: 2, row: 1 },
  { code: 'TN', nameVi: 'Thái Nguyên', nameEn: 'Thai Nguyen', col: 3, row: 1 },
  { code: 'LS', nameVi: 'Lạng Sơn', nameEn: 'Lang Son', col: 4, row: 1 },
  { code: 'HN', nameVi: 'Hà Nội', nameEn: 'Ha Noi', col: 2, row: 2 },
  { code: 'BN', nameVi: 'Bắc Ninh', nameEn: 'Bac Ninh', col: 3, row: 2 },
  { code: 'QN', nameVi: 'Quảng Ninh', nameEn: 'Quang Ninh', col: 4, row: 2 },
  { code: 'NB', nameVi: 'Ninh Bình', nameEn: 'Ninh Binh', col: 2, row: 3 },
  { code: 'HY', nameVi: 'Hưng Yên', nameEn: 'Hung Yen', col: 3, row: 3 },
  { code: 'HP', nameVi: 'Hải Phòng', nameEn: 'Hai Phong', col: 4, row: 3 },
  { code: 'TH', nameVi: 'Thanh Hóa', nameEn: 'Thanh Hoa', col: 2, row: 4 },
  { code: 'NA', nameVi: 'Nghệ An', nameEn: 'Nghe An', col: 2, row: 5 },
  { code: 'HT', nameVi: 'Hà Tĩnh', nameEn: 'Ha Tinh', col: 3, row: 6 },
  { code: 'QT', nameVi: 'Quảng Trị', nameEn: 'Quang Tri', col: 3, row: 7 },
  { code: 'HUE', nameVi: 'Huế', nameEn: 'Hue', col: 4, row: 8 },
  { code: 'DNG', nameVi: 'Đà Nẵng', nameEn: 'Da Nang', col: 5, row: 9 },
  { code: 'QNG', nameVi: 'Quảng Ngãi', nameEn: 'Quang Ngai', col: 5, row: 10 },
  { code: 'GL', nameVi: 'Gia Lai', nameEn: 'Gia Lai', col: 5, row: 11 },
  { code: 'DLK', nameVi: 'Đắk Lắk', nameEn: 'Dak Lak', col: 5, row: 12 },
  { code: 'LD', nameVi: 'Lâm Đồng', nameEn: 'Lam Dong', col: 4, row: 13 },
  { code: 'KH', nameVi: 'Khánh Hòa', nameEn: 'Khanh Hoa', col: 5, row: 13 },
  { code: 'TNI', nameVi: 'Tây Ninh', nameEn: 'Tay Ninh', col: 2, row: 14 },
  { code: 'DNI', nameVi: 'Đồng Nai', nameEn: 'Dong Nai', col: 3, row: 14 },
  { code: 'AG', nameVi: 'An Giang', nameEn: 'An Giang', col: 1, row: 15 },
  { code: 'DT', nameVi: 'Đồng Tháp', nameEn: 'Dong Thap', col: 2, row: 15 },
  { code: 'HCM', nameVi: 'Hồ Chí Minh', nameEn: 'Ho Chi Minh', col: 3, row: 15 },
  { code: 'CT', nameVi: 'Cần Thơ', nameEn: 'Can Tho', col: 1, row: 16 },
  { code: 'VL', nameVi: 'Vĩnh Long', nameEn: 'Vinh Long', col: 2, row: 16 },
  { code: 'CM', nameVi: 'Cà Mau', nameEn: 'Ca Mau', col: 1, row: 17 },
];

/** Where the archipelagos sit on the grid (tile units), east of the coast they belong to. */
export const archipelagos = {
  hoangSa: { col: 7, row: 8.4, islands: [[0, 0], [0.5, 0.3], [0.9, -0.2], [0.3, 0.7], [1.2, 0.4], [0.7, 0.9]] },
  truongSa: { col: 6.9, row: 13.9, islands: [[0, 0], [0.6, 0.4], [1.1, 0.1], [0.3, 0.9], [1.4, 0.8], [0.9, 1.3], [0.1, 1.5], [1.6, 1.6]] },
} as const;

const stripDiacritics = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

/** The tile of a province organisation: by code (`VN-HN`, `HN`), else by its name. */
export function tileOf(org: { code: string; nameVi: string; nameEn: string }): ProvinceTile | undefined {
  const code = org.code.toUpperCase().replace(/^VN-/, '');
  const byCode = provinceTiles.find((t) => t.code === code);
  if (byCode) return byCode;
  const names = [stripDiacritics(org.nameVi), stripDiacritics(org.nameEn)];
  return provinceTiles.find((t) => names.some((n) => n.includes(stripDiacritics(t.nameVi))));
}

/** The colour step of a count: 0 none, 1 one, 2 two or three, 3 four to nine, 4 ten or more. */
export function colourStep(count: number): 0 | 1 | 2 | 3 | 4 {
  if (count <= 0) return 0;
  if (count === 1) return 1;
  if (count <= 3) return 2;
  if (count <= 9) return 3;
  return 4;
}

export const colourSteps = [
  { step: 0, label: '0' },
  { step: 1, label: '1' },
  { step: 2, label: '2–3' },
  { step: 3, label: '4–9' },
  { step: 4, label: '≥ 10' },
] as const;
