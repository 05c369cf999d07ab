/**
 * @module demo/admin-activity
 * Administrators at work: on Linux servers, `sshd` public-key logins, PAM sessions and `sudo`
 * commands (RFC 3164, as rsyslog relays them); on Windows domain controllers, process creation of
 * admin tools (Security 4688 and Sysmon event 1) and account changes (4720 user created, 4732
 * member added to a local group). The benign background that detections must not fire on.
 */
import type { EcsObject } from '../core/event.js';
import type { Directory } from './official-logins.js';
import type { Official } from './population.js';
import { adminAccounts } from './population.js';
import type { Random } from './random.js';
import { priority, rfc3164 } from './syslog-line.js';
import { domainSid, logonId, userSid, winlogbeatEvent } from './winlog.js';

export interface LinuxFleet {
  /** Hostnames of the servers behind the relay, e.g. `dvc-web01`. */
  hostnames: readonly string[];
  /** Where administrators connect from (the IT department's management subnet). */
  adminSubnet: string;
}

const sudoCommands = [
  '/usr/bin/systemctl reload nginx',
  '/usr/bin/systemctl restart php8.2-fpm',
  '/usr/bin/systemctl status postgresql',
  '/usr/bin/journalctl -u nginx --since today',
  '/usr/bin/apt-get update',
  '/usr/bin/tail -n 200 /var/log/nginx/error.log',
  '/usr/sbin/nginx -t',
  '/usr/bin/df -h',
  '/usr/bin/certbot renew --dry-run',
  '/usr/bin/rsync -a /srv/dvc/uploads/ /backup/uploads/',
] as const;

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `count` syslog lines of administrators on the fleet in the second before `time`. */
export function adminSyslogLines(rng: Random, fleet: LinuxFleet, time: number, count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const host = rng.pick(fleet.hostnames);
    const user = rng.pick(adminAccounts);
    const uid = 1000 + adminAccounts.indexOf(user);
    const at = time - 1000 + rng.int(0, 999);
    const pid = rng.int(1000, 65000);
    const kind = rng.weighted<'login' | 'sudo' | 'logout'>([['login', 2], ['sudo', 5], ['logout', 1]]);
    if (kind === 'login') {
      const ip = rng.ipv4In(fleet.adminSubnet);
      const fingerprint = rng.string(base64Alphabet, 43);
      out.push(rfc3164(priority('auth', 'info'), at, host, `sshd[${pid}]`, `Accepted publickey for ${user} from ${ip} port ${rng.int(40000, 65000)} ssh2: ED25519 SHA256:${fingerprint}`));
      out.push(rfc3164(priority('authpriv', 'info'), at, host, `sshd[${pid}]`, `pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`));
    } else if (kind === 'sudo') {
      const command = rng.pick(sudoCommands);
      const cwd = rng.chance(0.7) ? `/home/${user}` : '/etc/nginx';
      out.push(rfc3164(priority('authpriv', 'notice'), at, host, 'sudo', ` ${user} : TTY=pts/${rng.int(0, 3)} ; PWD=${cwd} ; USER=root ; COMMAND=${command}`));
      out.push(rfc3164(priority('authpriv', 'info'), at, host, 'sudo', `pam_unix(sudo:session): session opened for user root(uid=0) by ${user}(uid=${uid})`));
    } else {
      out.push(rfc3164(priority('authpriv', 'info'), at, host, `sshd[${pid}]`, `pam_unix(sshd:session): session closed for user ${user}`));
    }
  }
  out.length = count;
  return out;
}

interface AdminTool {
  image: string;
  commandLine: (rng: Random) => string;
  description: string;
  originalFileName: string;
}

const system32 = 'C:\\Windows\\System32';
const adminTools: readonly AdminTool[] = [
  { image: `${system32}\\WindowsPowerShell\\v1.0\\powershell.exe`, originalFileName: 'PowerShell.EXE', description: 'Windows PowerShell', commandLine: () => '"powershell.exe" -NoProfile -Command "Get-ADUser -Filter * -SearchBase \'OU=Users,OU=VanPhong\' | Measure-Object"' },
  { image: `${system32}\\mmc.exe`, originalFileName: 'MMC.EXE', description: 'Microsoft Management Console', commandLine: () => `"${system32}\\mmc.exe" "${system32}\\dsa.msc"` },
  { image: `${system32}\\gpupdate.exe`, originalFileName: 'GPUpdate.exe', description: 'Microsoft® Group Policy Update Utility', commandLine: () => 'gpupdate /force' },
  { image: `${system32}\\repadmin.exe`, originalFileName: 'repadmin.exe', description: 'Replication Diagnosis Tool', commandLine: () => 'repadmin /replsummary' },
  { image: `${system32}\\dcdiag.exe`, originalFileName: 'dcdiag.exe', description: 'Domain Controller Diagnosis', commandLine: () => 'dcdiag /q' },
  { image: `${system32}\\net.exe`, originalFileName: 'net.exe', description: 'Net Command', commandLine: (rng) => `net user ${rng.pick(['annv', 'hoaptt', 'tuanlm'])} /domain` },
  { image: `${system32}\\ServerManager.exe`, originalFileName: 'ServerManager.exe', description: 'Server Manager', commandLine: () => `"${system32}\\ServerManager.exe"` },
];

function administrators(directory: Directory): Official[] {
  const it = directory.officials.filter((o) => o.workstation.startsWith('PC-CNTT'));
  return it.length > 0 ? it.slice(0, 4) : directory.officials.slice(0, 3);
}

function processCreation(rng: Random, directory: Directory, admin: Official, at: number): EcsObject {
  const { host } = directory;
  const tool = rng.pick(adminTools);
  const commandLine = tool.commandLine(rng);
  const parent = rng.chance(0.6) ? `${system32}\\WindowsPowerShell\\v1.0\\powershell.exe` : 'C:\\Windows\\explorer.exe';
  const pid = rng.int(1000, 20000);
  if (rng.chance(0.5)) {
    return winlogbeatEvent(rng, host, {
      time: at,
      eventId: 4688,
      channel: 'Security',
      task: 'Process Creation',
      action: 'created-process',
      outcome: 'success',
      eventData: {
        SubjectUserSid: userSid(host.domain, admin.username),
        SubjectUserName: admin.username,
        SubjectDomainName: host.domain,
        SubjectLogonId: logonId(rng),
        NewProcessId: `0x${pid.toString(16)}`,
        NewProcessName: tool.image,
        TokenElevationType: '%%1937',
        ProcessId: `0x${rng.int(1000, 20000).toString(16)}`,
        CommandLine: commandLine,
        TargetUserSid: 'S-1-0-0',
        TargetUserName: '-',
        TargetDomainName: '-',
        TargetLogonId: '0x0',
        ParentProcessName: parent,
        MandatoryLabel: 'S-1-16-12288',
      },
      message: `A new process has been created.\n\nNew Process Name:\t${tool.image}\nProcess Command Line:\t${commandLine}\nCreator Process Name:\t${parent}`,
    });
  }
  return winlogbeatEvent(rng, host, {
    time: at,
    eventId: 1,
    channel: 'Microsoft-Windows-Sysmon/Operational',
    task: 'Process Create (rule: ProcessCreate)',
    action: 'Process Create (rule: ProcessCreate)',
    outcome: null,
    eventData: {
      RuleName: '-',
      UtcTime: new Date(at).toISOString().replace('T', ' ').replace('Z', ''),
      ProcessGuid: `{${rng.uuid()}}`,
      ProcessId: String(pid),
      Image: tool.image,
      FileVersion: '10.0.20348.1 (WinBuild.160101.0800)',
      Description: tool.description,
      Product: 'Microsoft® Windows® Operating System',
      Company: 'Microsoft Corporation',
      OriginalFileName: tool.originalFileName,
      CommandLine: commandLine,
      CurrentDirectory: `C:\\Users\\${admin.username}\\`,
      User: `${host.domain}\\${admin.username}`,
      LogonGuid: `{${rng.uuid()}}`,
      LogonId: logonId(rng),
      TerminalSessionId: String(rng.int(1, 4)),
      IntegrityLevel: 'High',
      Hashes: `SHA256=${rng.hex(64).toUpperCase()}`,
      ParentProcessGuid: `{${rng.uuid()}}`,
      ParentProcessId: String(rng.int(1000, 20000)),
      ParentImage: parent,
      ParentCommandLine: parent.endsWith('explorer.exe') ? 'C:\\Windows\\Explorer.EXE' : `"${parent}"`,
      ParentUser: `${host.domain}\\${admin.username}`,
    },
    message: `Process Create:\nRuleName: -\nImage: ${tool.image}\nCommandLine: ${commandLine}\nUser: ${host.domain}\\${admin.username}\nParentImage: ${parent}`,
  });
}

function accountChange(rng: Random, directory: Directory, admin: Official, at: number): EcsObject {
  const { host } = directory;
  const subject = {
    SubjectUserSid: userSid(host.domain, admin.username),
    SubjectUserName: admin.username,
    SubjectDomainName: host.domain,
    SubjectLogonId: logonId(rng),
    PrivilegeList: '-',
  };
  const newcomer = rng.pick(directory.officials);
  const rid = rng.int(2000, 9000);
  if (rng.chance(0.5)) {
    const account = `${newcomer.username}${rng.int(2, 9)}`;
    return winlogbeatEvent(rng, host, {
      time: at,
      eventId: 4720,
      channel: 'Security',
      task: 'User Account Management',
      action: 'added-user-account',
      outcome: 'success',
      eventData: {
        TargetUserName: account,
        TargetDomainName: host.domain,
        TargetSid: domainSid(host.domain, rid),
        ...subject,
        SamAccountName: account,
        DisplayName: newcomer.fullName,
        UserPrincipalName: `${account}@${host.computer.split('.').slice(1).join('.')}`,
        HomeDirectory: '-',
        PrimaryGroupId: '513',
        UserAccountControl: '%%2080 %%2082 %%2084',
      },
      message: `A user account was created.\n\nSubject:\n\tAccount Name:\t\t${admin.username}\n\nNew Account:\n\tAccount Name:\t\t${account}\n\tAccount Domain:\t\t${host.domain}`,
    });
  }
  const group = rng.pick([['Remote Desktop Users', 'S-1-5-32-555'], ['Event Log Readers', 'S-1-5-32-573'], ['Backup Operators', 'S-1-5-32-551']] as const);
  const dc = host.computer.split('.').slice(1).map((part) => `DC=${part}`).join(',');
  return winlogbeatEvent(rng, host, {
    time: at,
    eventId: 4732,
    channel: 'Security',
    task: 'Security Group Management',
    action: 'added-member-to-group',
    outcome: 'success',
    eventData: {
      MemberName: `CN=${newcomer.fullName},OU=CanBo,${dc}`,
      MemberSid: domainSid(host.domain, rid),
      TargetUserName: group[0],
      TargetDomainName: 'Builtin',
      TargetSid: group[1],
      ...subject,
    },
    message: `A member was added to a security-enabled local group.\n\nGroup:\n\tGroup Name:\t\t${group[0]}\n\tGroup Domain:\t\tBuiltin`,
  });
}

/** `count` Windows events of administrators on the domain controller in the second before `time`. */
export function adminWindowsEvents(rng: Random, directory: Directory, time: number, count: number): EcsObject[] {
  const admins = administrators(directory);
  const out: EcsObject[] = [];
  for (let i = 0; i < count; i++) {
    const admin = rng.pick(admins);
    const at = time - 1000 + rng.int(0, 999);
    out.push(rng.chance(0.85) ? processCreation(rng, directory, admin, at) : accountChange(rng, directory, admin, at));
  }
  return out;
}
