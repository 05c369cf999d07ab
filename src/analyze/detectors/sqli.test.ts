/**
 * @module analyze/detectors/sqli.test
 * Attack and benign tables for the SQL injection detector.
 */
import { describe, expect, it } from 'vitest';
import type { Input, Transaction } from '../contract.js';
import { scoreSql, sqliDetector } from './sqli.js';

const transaction: Transaction = { id: 't1', method: 'GET', uri: '/', headers: {}, body: null };

function input(decoded: string, location = 'args.q'): Input {
  return { location, raw: decoded, decoded };
}

function scoreOf(value: string): number {
  const findings = sqliDetector.inspect(transaction, [input(value)]);
  return findings.reduce((max, f) => Math.max(max, f.score), 0);
}

const attacks: string[] = [
  "1' UNION SELECT username, password FROM users--",
  '1 union all select null,null,null',
  "-1' UnIoN/**/SeLeCt 1,2,3#",
  "1' UN/**/ION SEL/**/ECT 1,2--",
  '1 /*!50000union*/ /*!50000select*/ 1,2,3',
  '1e0union select 1,2',
  "1'\tunion\nselect\r\n@@version--",
  '0x1 union distinct select table_name from information_schema.tables',
  "') union (select 1,2)--",
  "1; DROP TABLE users--",
  "'; exec master..xp_cmdshell 'ping 10.0.0.1'--",
  "1; insert into admins values('x','y')",
  "'; update users set role='admin' where id=1--",
  "1;declare @s varchar(200) set @s=0x73656c656374 exec(@s)",
  "' or 1=1--",
  "' OR 'a'='a",
  '") or ("x"="x',
  "admin' or '1'='1'#",
  "' or 1 --",
  "x' OR true--",
  "' || 1=1 --",
  '1 or 1=1',
  "1) or (1=1",
  "1' and sleep(5)#",
  '1 AND SLEEP(5)',
  "'; WAITFOR DELAY '0:0:5'--",
  "1;select pg_sleep(10)--",
  "1 and benchmark(5000000,md5(1))",
  "' and extractvalue(1,concat(0x7e,version()))--",
  "1 and updatexml(1,concat(0x7e,(select user())),1)",
  "' and 1=convert(int,(select @@version))--",
  "admin'--",
  "admin'#",
  "admin')--",
  "1' and (select count(*) from information_schema.tables)>0--",
  "select * from sysobjects",
  "' union select 1,'<?php system($_GET[c]); ?>' into outfile '/var/www/s.php'--",
  "1 union select load_file('/etc/passwd')",
  "1' and ascii(substring((select database()),1,1))>64--",
  "' order by 5--",
  '1 order by 10',
  "' AND 1=1 AND '1'='1",
  "`users` union select 1",
  "1%0aunion%0aselect".replace(/%0a/g, '\n'),
  "1' and (select 1 from dual where 1=1)='1",
  "'||(select version())||'",
  "1' having 1=1--",
  "';shutdown--",
  '1 union#\nselect 1',
  "1' RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))-- ",
  "' oR 1=1 lImIt 1 -- -",
  '1 /*!UNION*/ /*!SELECT*/ 1',
  // error-based: a query's text converted to a number
  '1 AND 1=CAST((SELECT email FROM ho_so LIMIT 1) AS INT)',
  "' AND CAST((SELECT current_user) AS numeric)=1--",
  '1 AND 1=CONVERT(int, @@version)',
  "1 AND extractvalue(1,concat(0x7e,(SELECT password FROM users LIMIT 1)))",
  '1 and updatexml(1,concat(0x7e,user()),1)',
  // stacked queries, with and without the `;` SQL Server does not need
  "x'; DROP TABLE users--",
  "1; WAITFOR DELAY '0:0:5'--",
  "098922492722' DROP TABLE ho_so;--",
  "admin' /*!12345DROP*/ TABLE users-- -",
  "abc' delete from users where 1=1--",
];

/** Request paths (`path` input): rewritten URLs hand a segment to a query. */
const pathAttacks: string[] = [
  "/tin-tuc/1' OR '1'='1",
  '/ho-so/1 UNION SELECT username,password FROM users',
  '/ho-so/1+UNION+ALL+SELECT+NULL,version()--',
  '/dich-vu-cong/thu-tuc/-2821+OR+1=1',
  '/tai-lieu/tai-ve/522+ORDER+BY+3',
  '/tin-tuc/15 AND 1=2',
  "/api/v1/ho-so/7; WAITFOR DELAY '0:0:5'--",
];

const pathBenign: string[] = [
  '/tin-tuc/2026/11/huong-dan-nop-ho-so-truc-tuyen.html',
  '/dich-vu-cong/thu-tuc/1.001612',
  '/tai-lieu/c++-cho-nguoi-moi+bat-dau.pdf',
  '/api/v1/ho-so/HS-2026-000123/trang-thai',
  '/p/home/dvc-trang-chu.html;jsessionid=8F3A2B1C9D',
  "/tin-tuc/o'brien-va-ban-be-2026",
  '/tim-kiem/union+tre+-+doan+thanh+nien',
  '/bieu-mau/12+or+13+to-khai.docx',
  '/order+by+phone',
];

const benign: string[] = [
  "O'Brien",
  "Nguyễn Văn A",
  'Trần Thị Bích Ngọc',
  '"thủ tục" đăng ký - hộ tịch',
  '000.00.31.H26-261124-0012',
  '1.001612',
  '0912345678',
  '+84 912 345 678',
  '(028) 3829 1234',
  '2024-11-26',
  '26/11/2024',
  'please select your province',
  'Select the district from the list below',
  'Hồ sơ đăng ký kết hôn - UBND phường Bến Nghé',
  '{"hoTen":"Lê Văn Tám","cccd":"079203001234","ngaySinh":"1990-01-01"}',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XNl0',
  'aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQ=',
  'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001612',
  "Tôi muốn hỏi về thủ tục cấp lại CCCD; hồ sơ gồm những gì? Xin cảm ơn!",
  "Kính gửi Quý cơ quan, tôi là Nguyễn Văn B (sinh năm 1985), đề nghị được hướng dẫn \"đăng ký thường trú\" - cảm ơn.",
  "It's O'Neil's form -- please check",
  'Đường số 3, P.7, Q.Gò Vấp, TP.HCM',
  'abc@gmail.com',
  "tên tôi là D'Angelo, không phải 'Angelo'",
  'Tôi chọn (select) phương án 2 hoặc 3',
  'Giấy phép số 123/GP-UBND ngày 12/3/2023',
  'Order by phone or email, whichever is easier',
  'mã hồ sơ: H26.32-241126-0001; lệ phí: 50.000đ',
  'Union of Youth members may apply',
  'Phòng 1 or 2, tầng 3',
  '"Nguyễn Văn A" or "Nguyễn Văn B"',
  "Don't forget -- the deadline is Friday",
  '#hashtag dịch vụ công',
  'SELECT',
  'sleep well',
  '50% off; apply now',
  'a=1&b=2',
  'x = y + 2 * (3 - 1)',
  "l'Hôpital Việt Pháp",
  'Update your profile and delete old files from the drive',
  '123456789012',
  'user_name-01',
  'C:\\Users\\Public\\hoso.pdf',
  '<p>Xin chào</p>',
  'Ý kiến: "Thủ tục quá rườm rà" -- mong cải thiện',
  "Quận 1 - TP. Hồ Chí Minh; Quận 3 - TP. Hồ Chí Minh",
  "ok' -- maybe later",
  'Chọn (select) một đáp án from danh sách',
  'sleep(8 hours) before the appointment',
  "Mr. O'Reilly or Mrs. O'Hara",
  "'Hà Nội' or 'HCM'",
  // statement words quoted in a question, not run
  '"delete from" nghĩa là gì',
  "'drop table' là lệnh gì trong SQL?",
  'Tôi muốn update thông tin; insert thêm ảnh',
  'podcast (tập 3): cast (diễn viên) phim mới',
  'CAST (Trung tâm) – hồ sơ số 12',
];

describe('sqliDetector', () => {
  it('is named sqli', () => {
    expect(sqliDetector.name).toBe('sqli');
  });

  it.each(attacks)('detects %s', (value) => {
    expect(scoreOf(value)).toBeGreaterThanOrEqual(5);
  });

  it.each(benign)('stays quiet on %s', (value) => {
    expect(scoreOf(value)).toBeLessThan(5);
  });

  it.each(pathAttacks)('detects %s in the path', (value) => {
    const findings = sqliDetector.inspect(transaction, [input(value, 'path')]);
    expect(findings.reduce((max, f) => Math.max(max, f.score), 0)).toBeGreaterThanOrEqual(5);
  });

  it.each(pathBenign)('stays quiet on the path %s', (value) => {
    const findings = sqliDetector.inspect(transaction, [input(value, 'path')]);
    expect(findings.reduce((max, f) => Math.max(max, f.score), 0)).toBeLessThan(5);
  });

  it('names error-based casts and stacked statements after a quote', () => {
    expect(scoreSql('1 AND 1=CAST((SELECT email FROM ho_so LIMIT 1) AS INT)').reason).toBe('sqli:error-based');
    expect(scoreSql("x' drop table ho_so--").reason).toBe('sqli:stacked-query');
  });

  it('has large enough tables', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(40);
    expect(benign.length).toBeGreaterThanOrEqual(40);
  });

  it('reports class, location, reason and truncated evidence', () => {
    const long = "1' union select 1,2--" + 'x'.repeat(400);
    const [finding] = sqliDetector.inspect(transaction, [input(long, 'body.name'), input('Nguyễn Văn A')]);
    expect(finding).toMatchObject({ class: 'sqli', location: 'body.name', reason: 'sqli:union-select' });
    expect(finding?.score).toBeGreaterThanOrEqual(8);
    expect(finding?.decoded.length).toBe(256);
  });

  it('gives strong patterns 8–10 and weak signals less', () => {
    expect(scoreSql("' or 1=1--").score).toBeGreaterThanOrEqual(8);
    expect(scoreSql('1; drop table users').reason).toBe('sqli:stacked-query');
    expect(scoreSql("1 and sleep(5)").reason).toBe('sqli:time-based');
    const weak = scoreSql('"abc -- xyz"').score;
    expect(weak).toBeLessThan(5);
  });

  it('only inspects the first 64 KiB', () => {
    const value = 'a'.repeat(70 * 1024) + "' union select 1--";
    expect(scoreOf(value)).toBe(0);
  });
});
