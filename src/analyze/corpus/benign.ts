/**
 * @module analyze/corpus/benign
 * Benign transactions that look like real traffic of Vietnamese public-service portals: pages and
 * procedures, record look-ups, searches with diacritics, quotes and dashes, long application forms,
 * JSON APIs, file uploads, VNeID/OAuth and payment callbacks, static assets and rich-text posts.
 */
import type { Transaction } from '../contract.js';
import { browserHeaders, encodeValue, fileContent, formEncode, joinEncoded, multipart } from './http.js';
import type { Rng } from './prng.js';
import { ALNUM, B64URL, DIGITS, HEX } from './prng.js';

type Draft = Omit<Transaction, 'id'>;

const ho = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const dem = ['Thị', 'Văn', 'Hữu', 'Minh', 'Ngọc', 'Thanh', 'Đức', 'Quang', 'Thu', 'Bảo', 'Gia'];
const ten = ['Lan', 'Anh', 'Hùng', 'Dũng', 'Hương', 'Phương', 'Tuấn', 'Hà', 'Trang', 'Khoa', 'Nhung', 'Quý', 'Lan-Anh', 'Thảo', 'Việt', 'Đạt'];
const foreignNames = ["O'Brien", "D'Angelo", 'Smith-Jones', "O'Neil Patrick", 'Müller'];
const streets = ['Phố Huế', 'Đường Láng', 'Nguyễn Trãi', 'Lê Lợi', 'Trần Hưng Đạo', 'Hai Bà Trưng', 'Điện Biên Phủ', 'Cách Mạng Tháng Tám', 'Nguyễn Văn Linh'];
const districts = [
  ['Hai Bà Trưng', 'Hà Nội'],
  ['Đống Đa', 'Hà Nội'],
  ['Cầu Giấy', 'Hà Nội'],
  ['Quận 1', 'TP. Hồ Chí Minh'],
  ['Bình Thạnh', 'TP. Hồ Chí Minh'],
  ['Thủ Đức', 'TP. Hồ Chí Minh'],
  ['Hải Châu', 'Đà Nẵng'],
  ['Ninh Kiều', 'Cần Thơ'],
  ['Lê Chân', 'Hải Phòng'],
] as const;
const procedures = ['Đăng ký khai sinh', 'Đăng ký kết hôn', 'Cấp đổi giấy phép lái xe', 'Đăng ký thường trú', 'Cấp phiếu lý lịch tư pháp', 'Cấp giấy chứng nhận quyền sử dụng đất', 'Đăng ký thành lập hộ kinh doanh', 'Cấp lại thẻ bảo hiểm y tế', 'Xác nhận tình trạng hôn nhân', 'Cấp hộ chiếu phổ thông'];
const searches = [
  'tu-khoa="đăng ký" khai sinh - hộ tịch',
  '"giấy phép lái xe" - cấp đổi',
  'thủ tục cấp căn cước',
  'lý lịch tư pháp số 2',
  "O'Brien visa",
  'hộ chiếu (phổ thông) – làm lại',
  'đất đai: cấp sổ đỏ lần đầu',
  'bảo hiểm xã hội 1 lần',
  'Nguyễn Thị Lan-Anh',
  'thuế TNCN 2024 - quyết toán',
  'mẫu đơn "xác nhận cư trú"',
  'đăng ký xe máy & biển số',
  'trợ cấp thất nghiệp; hồ sơ cần gì?',
  'phí, lệ phí trước bạ = bao nhiêu %',
  'select khóa học lái xe',
  'union trẻ - đoàn thanh niên',
  'chứng thực bản sao <từ bản chính>',
  'hộ kinh doanh cá thể / đăng ký online',
];
const reasons = [
  'Tôi cần bản sao giấy khai sinh để bổ sung hồ sơ nhập học cho con (lớp 1, năm học 2024–2025).',
  'Giấy tờ cũ bị mất do chuyển nhà; đề nghị cấp lại. Xin cảm ơn!',
  'Đề nghị xác nhận tình trạng hôn nhân để làm thủ tục kết hôn với người nước ngoài (ông John O\'Brien).',
  'Sai thông tin "ngày sinh" trên thẻ BHYT - cần điều chỉnh theo CCCD.',
  'Hồ sơ đã nộp ngày 12/03/2024 nhưng chưa có kết quả; mong cơ quan xem xét sớm.',
  'Chuyển hộ khẩu từ Số 7 ngõ 15/2 Đường Láng về địa chỉ mới: 45/12 Nguyễn Trãi, P.3.',
  'Tôi là chủ hộ kinh doanh "Quán cơm Bà Tư" — xin đăng ký thay đổi ngành nghề.',
  'Cần gấp trong tuần (50% hồ sơ đã đủ); liên hệ: 0912 345 678 hoặc email lan.anh@gmail.com.',
  'Xin hỏi: phí cấp đổi là 135.000đ hay 150.000đ? Và có thể nộp trực tuyến 100% không?',
  'Bản scan CMND/CCCD đính kèm; chữ ký số theo Nghị định 130/2018/NĐ-CP.',
];
const richTexts = [
  '<p>Kính gửi <b>UBND phường Bách Khoa</b>,</p><p>Tôi xin phản ánh việc đèn đường ngõ 34 <i>không sáng</i> từ ngày 01/11.</p>',
  '<p>Đề nghị xem xét:</p><ul><li>Thu gom rác đúng giờ</li><li>Sửa ống nước bị vỡ – đoạn trước số 12</li></ul><p>Trân trọng!</p>',
  '<p><strong>Nội dung:</strong> Hồ sơ mã 000.00.31.H26-261124-0012 đã quá hạn.</p><p>Xem tại <a href="https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html" target="_blank">đây</a>.</p>',
  '<p style="text-align: justify;">Căn cứ Luật Hộ tịch năm 2014; <br>Tôi là <span style="color: #333333;">Nguyễn Văn Hùng</span>, đề nghị cấp trích lục.</p>',
  '<p>Ảnh hiện trường: <img src="/uploads/2024/11/anh-hien-truong.jpg" alt="ổ gà đường Lê Lợi" width="600"></p>',
  '<h3>Góp ý dự thảo</h3><p>Điều 5, khoản 2 nên sửa "từ 18 tuổi" thành "đủ 18 tuổi".</p><blockquote>Ý kiến cá nhân</blockquote>',
];

function fullName(rng: Rng): string {
  if (rng.chance(0.05)) return rng.pick(foreignNames);
  return `${rng.pick(ho)} ${rng.pick(dem)} ${rng.pick(ten)}`;
}
function address(rng: Rng): string {
  const [district, city] = rng.pick(districts);
  return `Số ${rng.int(1, 200)}, ngõ ${rng.int(1, 300)}/${rng.int(1, 20)} ${rng.pick(streets)}, ${district}, ${city}`;
}
const date = (rng: Rng): string => `${String(rng.int(1, 28)).padStart(2, '0')}/${String(rng.int(1, 12)).padStart(2, '0')}/${rng.int(1950, 2023)}`;
const cccd = (rng: Rng): string => `0${rng.chars(DIGITS, 11)}`;
const phone = (rng: Rng): string => `0${rng.pick(['9', '8', '3', '7'])}${rng.chars(DIGITS, 8)}`;
const procCode = (rng: Rng): string => `${rng.pick(['1', '2', '3'])}.${String(rng.int(1, 13000)).padStart(6, '0')}`;
const hoSoCode = (rng: Rng): string => `000.${rng.chars(DIGITS, 2)}.${rng.chars(DIGITS, 2)}.H${rng.int(10, 64)}-${rng.int(23, 25)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}-${rng.chars(DIGITS, 4)}`;
const slugify = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const jwt = (rng: Rng): string => `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6I${rng.chars(B64URL, 20)}.eyJ${rng.chars(B64URL, rng.int(200, 500))}.${rng.chars(B64URL, 342)}`;

function get(rng: Rng, uri: string, extra: Record<string, string> = {}): Draft {
  return { method: 'GET', uri, headers: browserHeaders(rng, extra), body: null };
}
function post(rng: Rng, uri: string, contentType: string, body: string, extra: Record<string, string> = {}): Draft {
  return { method: 'POST', uri, headers: browserHeaders(rng, { 'Content-Type': contentType, ...extra }), body };
}

const templates: readonly ((rng: Rng) => Draft)[] = [
  // portal pages and procedures
  (rng) => get(rng, rng.pick([`/dich-vu-cong/thu-tuc/${procCode(rng)}`, `/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=${procCode(rng)}`, '/p/home/dvc-trang-chu.html', `/tin-tuc/${slugify(rng.pick(procedures))}-${rng.int(1000, 99999)}.html`, `/dich-vu-cong/linh-vuc/${slugify(rng.pick(procedures))}?page=${rng.int(1, 9)}`])),
  // record look-up
  (rng) => get(rng, `/tra-cuu-ho-so?ma-ho-so=${hoSoCode(rng)}${rng.chance(0.3) ? `&cccd=${cccd(rng)}` : ''}`),
  // searches with diacritics, quotes, dashes
  (rng) => {
    const plus = rng.chance(0.5);
    const pairs: [string, string][] = [[rng.pick(['tu-khoa', 'q', 'keyword', 'search']), rng.pick(searches)]];
    if (rng.chance(0.5)) pairs.push(['linh-vuc', rng.pick(['Hộ tịch', 'Đất đai', 'Giao thông vận tải', 'Tư pháp'])]);
    if (rng.chance(0.3)) pairs.push(['co-quan', rng.pick(['UBND Quận Đống Đa', 'Sở Tư pháp TP. Hà Nội', 'Bộ Công an'])]);
    return get(rng, `/${rng.pick(['tim-kiem', 'dich-vu-cong/tim-kiem', 'api/v1/tim-kiem'])}?${formEncode(pairs, plus)}`);
  },
  // long application form
  (rng) => {
    const [district, city] = rng.pick(districts);
    const pairs: [string, string][] = [
      ['ho_ten', fullName(rng)],
      ['ngay_sinh', date(rng)],
      ['gioi_tinh', rng.pick(['Nam', 'Nữ'])],
      ['so_cccd', cccd(rng)],
      ['ngay_cap', date(rng)],
      ['noi_cap', 'Cục Cảnh sát QLHC về TTXH'],
      ['dia_chi_thuong_tru', address(rng)],
      ['quan_huyen', district],
      ['tinh_thanh', city],
      ['so_dien_thoai', phone(rng)],
      ['email', `${slugify(fullName(rng)).replace(/-/g, '.')}${rng.int(1, 99)}@${rng.pick(['gmail.com', 'yahoo.com.vn', 'outlook.com'])}`],
      ['thu_tuc', rng.pick(procedures)],
      ['ly_do', `${rng.pick(reasons)} ${rng.chance(0.5) ? rng.pick(reasons) : ''}`.trim()],
      ['_csrf', rng.chars(B64URL, 43)],
    ];
    return post(rng, rng.pick(['/dich-vu-cong/nop-ho-so', `/dich-vu-cong/thu-tuc/${procCode(rng)}/nop-truc-tuyen`, '/ho-tich/dang-ky-khai-sinh']), 'application/x-www-form-urlencoded', formEncode(pairs));
  },
  // JSON API with nested objects
  (rng) => {
    const body = {
      maThuTuc: procCode(rng),
      nguoiNop: { hoTen: fullName(rng), soDinhDanh: cccd(rng), ngaySinh: date(rng), diaChi: { chiTiet: address(rng), maTinh: String(rng.int(1, 96)).padStart(2, '0') }, soDienThoai: phone(rng) },
      thanhPhanHoSo: [
        { ma: `TP${rng.int(1, 9)}`, ten: 'Tờ khai (mẫu TK-01)', soBan: rng.int(1, 3), fileId: rng.chars(HEX, 24) },
        { ma: `TP${rng.int(10, 19)}`, ten: 'Bản sao "Giấy chứng sinh"', soBan: 1, fileId: rng.chars(HEX, 24) },
      ],
      ghiChu: rng.pick(reasons),
      nhanKetQua: rng.pick(['buu-dien', 'truc-tiep', 'truc-tuyen']),
    };
    return post(rng, rng.pick(['/api/v1/ho-so', '/api/v2/ho-so/nop', '/api/v1/ho-so/luu-nhap']), 'application/json;charset=UTF-8', JSON.stringify(body), { Authorization: `Bearer ${jwt(rng)}`, Accept: 'application/json' });
  },
  (rng) => get(rng, rng.pick([`/api/v1/danh-muc/tinh-thanh?parent=${String(rng.int(1, 96)).padStart(2, '0')}`, `/api/v1/thong-bao?limit=20&offset=${rng.int(0, 10) * 20}&sort=-ngayTao`, `/api/v1/ho-so/${hoSoCode(rng)}/trang-thai`, `/api/v1/thu-tuc?ma=${procCode(rng)}&fields=ten,linhVuc,phi`])),
  // file upload
  (rng) => {
    const ext = rng.pick(['pdf', 'jpg', 'png', 'docx'] as const);
    const name = rng.pick(['Giấy khai sinh - bản sao', 'CCCD_mat_truoc', 'Đơn đề nghị (ký số)', 'Sổ hộ khẩu trang 1', 'anh-the-3x4', 'Hợp đồng thuê nhà 2024', "Bien lai O'Brien"]);
    const type = { pdf: 'application/pdf', jpg: 'image/jpeg', png: 'image/png', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }[ext];
    const { contentType, body } = multipart(rng, [
      { name: 'maHoSo', content: hoSoCode(rng) },
      { name: 'loaiGiayTo', content: rng.pick(['Giấy khai sinh', 'CCCD', 'Đơn đề nghị']) },
      { name: 'file', filename: `${name}.${ext}`, contentType: type, content: fileContent(rng, ext) },
    ]);
    return post(rng, rng.pick(['/api/v1/tep-dinh-kem/tai-len', '/upload/ho-so', '/dich-vu-cong/tai-lieu/upload']), contentType, body);
  },
  // VNeID / OAuth callback
  (rng) =>
    get(
      rng,
      `/auth/callback?${joinEncoded([
        ['code', rng.chars(B64URL, rng.int(60, 180))],
        ['state', rng.chars(ALNUM, 32)],
        ['session_state', `${rng.chars(HEX, 8)}-${rng.chars(HEX, 4)}-${rng.chars(HEX, 4)}-${rng.chars(HEX, 4)}-${rng.chars(HEX, 12)}`],
        ...(rng.chance(0.4) ? [['redirect_uri', encodeValue('https://dichvucong.gov.vn/p/home/dvc-trang-chu.html', false)] as [string, string]] : []),
      ])}`,
    ),
  (rng) => post(rng, '/oauth2/token', 'application/x-www-form-urlencoded', formEncode([['grant_type', 'authorization_code'], ['code', rng.chars(B64URL, 120)], ['redirect_uri', 'https://dichvucong.gov.vn/auth/callback'], ['client_id', 'dvcqg-portal'], ['code_verifier', rng.chars(B64URL, 64)]])),
  // payment callback
  (rng) =>
    get(
      rng,
      `/thanh-toan/vnpay-return?${formEncode([
        ['vnp_Amount', String(rng.int(1, 500) * 1000 * 100)],
        ['vnp_BankCode', rng.pick(['NCB', 'VCB', 'TCB', 'BIDV', 'VNPAYQR'])],
        ['vnp_BankTranNo', `VNP${rng.chars(DIGITS, 8)}`],
        ['vnp_CardType', rng.pick(['ATM', 'QRCODE'])],
        ['vnp_OrderInfo', `Thanh toan le phi ho so ${hoSoCode(rng)}`],
        ['vnp_PayDate', `2024${rng.chars(DIGITS, 10)}`],
        ['vnp_ResponseCode', rng.pick(['00', '00', '24'])],
        ['vnp_TmnCode', rng.chars(ALNUM.slice(0, 36).toUpperCase(), 8)],
        ['vnp_TransactionNo', rng.chars(DIGITS, 8)],
        ['vnp_TxnRef', rng.chars(DIGITS, 12)],
        ['vnp_SecureHash', rng.chars(HEX, 128)],
      ])}`,
    ),
  // static assets
  (rng) => get(rng, rng.pick([`/static/js/main.${rng.chars(HEX, 8)}.js`, `/static/css/app.${rng.chars(HEX, 8)}.css`, '/assets/img/logo-quoc-huy.png', `/fonts/Roboto-${rng.pick(['Regular', 'Bold'])}.woff2`, '/favicon.ico', `/uploads/2024/${rng.int(1, 12)}/thong-bao-${rng.int(1, 999)}.pdf`, `/static/js/chunk-vendors.js?v=${rng.int(100, 999)}`]), { Accept: '*/*' }),
  // rich-text editor post
  (rng) => post(rng, rng.pick(['/cong-dan/phan-anh-kien-nghi', '/gop-y/du-thao', '/api/v1/phan-anh']), 'application/x-www-form-urlencoded', formEncode([['tieu_de', rng.pick(['Phản ánh về đèn đường', 'Góp ý dự thảo "Luật Đất đai"', 'Hồ sơ quá hạn - đề nghị xử lý'])], ['noi_dung', rng.pick(richTexts)], ['ho_ten', fullName(rng)], ['dien_thoai', phone(rng)]])),
  // login
  (rng) => post(rng, '/dang-nhap', 'application/x-www-form-urlencoded', formEncode([['username', rng.chance(0.5) ? cccd(rng) : phone(rng)], ['password', rng.pick(["P@ss'w0rd!", 'Matkhau#2024', 'lanAnh-1990', 'Hanoi@123', 'x"y;z=1'])], ['captcha', rng.chars(ALNUM, 5)]])),
  // campaigns / tracking and return URLs
  (rng) => get(rng, `/?utm_source=${rng.pick(['zalo', 'facebook', 'google'])}&utm_medium=social&utm_campaign=dvc-${rng.int(2023, 2025)}${rng.chance(0.5) ? `&fbclid=IwAR${rng.chars(B64URL, 60)}` : ''}`),
  (rng) => get(rng, `/dang-nhap?returnUrl=${encodeValue(rng.pick(['/p/home/dvc-ho-so-ca-nhan.html', 'https://dichvucong.gov.vn/p/home/dvc-thanh-toan.html?id=12', '/tra-cuu-ho-so?ma-ho-so=000.00.31.H26']), false)}`),
  // e-invoice XML (no DTD) and SOAP between agencies
  (rng) => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<HDon><DLHDon Id="data"><TTChung><PBan>2.0.1</PBan><THDon>Hóa đơn giá trị gia tăng</THDon><KHMSHDon>1</KHMSHDon><KHHDon>C24T${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 3)}</KHHDon><SHDon>${rng.int(1, 99999)}</SHDon><NLap>2024-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}</NLap></TTChung><NDHDon><NBan><Ten>Công ty TNHH A&amp;B Việt Nam</Ten><MST>0${rng.chars(DIGITS, 9)}</MST><DChi>${address(rng)}</DChi></NBan><NMua><Ten>${fullName(rng)}</Ten></NMua><TToan><TgTTTBSo>${rng.int(100, 9999) * 1000}</TgTTTBSo><TgTTTBChu>Một triệu hai trăm nghìn đồng</TgTTTBChu></TToan></NDHDon></DLHDon></HDon>`;
    return post(rng, rng.pick(['/api/v1/hoa-don/import', '/ws/lienthong/hoa-don']), rng.pick(['application/xml', 'text/xml; charset=utf-8']), xml);
  },
  (rng) =>
    post(
      rng,
      '/soap/DichVuCongService',
      'text/xml; charset=utf-8',
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body><TraCuuHoSo xmlns="http://dichvucong.gov.vn/"><MaHoSo>${hoSoCode(rng)}</MaHoSo><MaDonVi>H${rng.int(10, 64)}.${rng.int(1, 40)}</MaDonVi></TraCuuHoSo></soap:Body></soap:Envelope>`,
      { SOAPAction: '"http://dichvucong.gov.vn/TraCuuHoSo"' },
    ),
  // JSON with a base64 attachment (signed PDF)
  (rng) =>
    post(rng, '/api/v1/ky-so/nop', 'application/json', JSON.stringify({ maHoSo: hoSoCode(rng), tenTep: `${rng.pick(['Tờ khai', 'Đơn đề nghị', 'Biên bản'])} (đã ký).pdf`, noiDung: Buffer.from(fileContent(rng, 'pdf'), 'latin1').toString('base64'), chuKy: { thuatToan: 'SHA256withRSA', chungThu: `MII${rng.chars(`${ALNUM}+/`, 600)}==` } })),
  // legitimate URL, file and callback parameters
  (rng) => get(rng, rng.pick([`/tai-lieu/tai-ve?file=${encodeValue(rng.pick(['Mau_to_khai_TK1-TS.docx', 'Huong dan nop ho so (ban 2024).pdf', 'bieu-mau/01-DK.xlsx']), false)}`, `/xem-tep?path=${encodeValue(`/uploads/2024/${rng.int(1, 12)}/${rng.chars(HEX, 12)}.pdf`, false)}`, `/api/v1/tien-ich/xem-truoc?url=${encodeValue(rng.pick(['https://dichvucong.gov.vn/p/home/dvc-tin-tuc.html', 'https://baochinhphu.vn/thong-bao-moi-102241125.htm', 'https://vnexpress.net/thoi-su']), false)}`, `/api/v1/thong-bao?callback=jQuery${rng.chars(DIGITS, 20)}_${rng.int(1700000000000, 1735000000000)}&_=${rng.int(1700000000000, 1735000000000)}`])),
  // crawlers and link previews
  (rng) => ({ method: 'GET', uri: rng.pick(['/', '/robots.txt', '/sitemap.xml', `/tin-tuc/${slugify(rng.pick(procedures))}-${rng.int(1000, 99999)}.html`]), headers: { Host: 'dichvucong.gov.vn', 'User-Agent': rng.pick(['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)', 'Zalo-Link-Preview/1.0']), Accept: '*/*' }, body: null }),
  // everyday punctuation: ampersands, semicolons, pipes, dollars, parentheses
  (rng) => post(rng, '/api/v1/doanh-nghiep/dang-ky', 'application/json', JSON.stringify({ tenDoanhNghiep: rng.pick(['Công ty TNHH A&B Việt Nam', 'Công ty CP Đầu tư & Phát triển "Sao Mai"', "Nhà hàng Bò tơ Tây Ninh (chi nhánh 2); ĐT: 028-3812-3456", 'Shop Hoa | Quà tặng', 'Cửa hàng $1 Đồng giá']), nganhNghe: ['4711 - Bán lẻ', '5610 – Nhà hàng, quán ăn'], vonDieuLe: `${rng.int(1, 50)}.000.000.000 đồng`, email: `lan.anh+dvc${rng.int(1, 99)}@gmail.com`, ghiChu: 'Tỷ lệ góp vốn: A=60%, B=40%; thời hạn <= 50 năm.' })),
  // percent-encoded UTF-8 path
  (rng) => get(rng, `/${encodeValue('thủ-tục', false)}/${encodeValue(slugify(rng.pick(procedures)), false)}/${encodeValue(rng.pick(procedures), false)}`),
];

/** One benign transaction (without id). */
export function benignTransaction(rng: Rng): Draft {
  return rng.pick(templates)(rng);
}
