/**
 * @module demo/official-logins
 * Officials logging in during office hours: Windows Security events on ministries' domain
 * controllers (4624 logon, 4625 failed logon, 4634 logoff, as Winlogbeat ships them) and records
 * of a province's single sign-on for officials (one JSON object per login, read through the `sso`
 * generic-JSON mapping). The same roster of officials appears every day.
 */
import type { EcsObject } from '../core/event.js';
import type { Official } from './population.js';
import { citizenAddress, departments, officialRoster } from './population.js';
import { Random, deriveSeed } from './random.js';
import type { WindowsHost } from './winlog.js';
import { logonId, userSid, winlogbeatEvent } from './winlog.js';

/**
 * The generic-JSON field mapping (ECS field ← source field) that the configuration holds under
 * `parsers.json.mappings` for the demo's SSO sensor (`jsonMapping: 'sso'`).
 */
export const demoJsonMappings: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  sso: {
    '@timestamp': 'timestamp',
    'user.name': 'username',
    'user.full_name': 'display_name',
    'user.domain': 'realm',
    'source.ip': 'client_ip',
    'user_agent.original': 'client_user_agent',
    'event.action': 'action',
    'event.outcome': 'outcome',
    'event.reason': 'reason',
    'service.name': 'application',
    'authentication.method': 'auth_method',
  },
};

/** Vietnamese government office hours (Mon–Fri, 07:30–11:30 and 13:30–17:00, UTC+7), weight 0.03–1. */
export function officeActivity(time: number): number {
  const local = new Date(time + 7 * 3_600_000);
  const day = local.getUTCDay();
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  const weekday = day >= 1 && day <= 5;
  let weight: number;
  if (minutes >= 450 && minutes < 690) weight = 1;
  else if (minutes >= 690 && minutes < 810) weight = 0.35;
  else if (minutes >= 810 && minutes < 1020) weight = 0.9;
  else if (minutes >= 1020 && minutes < 1200) weight = 0.2;
  else if (minutes >= 390 && minutes < 450) weight = 0.4;
  else weight = 0.03;
  return weekday ? weight : day === 6 && minutes >= 450 && minutes < 690 ? 0.15 : Math.min(weight, 0.05);
}

export interface Directory {
  host: WindowsHost;
  officials: Official[];
}

/** The officials of one domain: a fixed roster derived from the domain controller's name. */
export function directoryFor(host: WindowsHost, subnet: string): Directory {
  return { host, officials: officialRoster(new Random(deriveSeed(7, host.computer)), 60, subnet, departments) };
}

const logonMessages = {
  4624: 'An account was successfully logged on.',
  4625: 'An account failed to log on.',
  4634: 'An account was logged off.',
} as const;

export interface LogonSpec {
  time: number;
  user: string;
  workstation: string;
  ip: string;
  logonType: number;
  /** For 4625: NTSTATUS sub-status (0xc000006a wrong password, 0xc0000064 unknown user). */
  subStatus?: string;
}

/** 4624 or 4625 with the `event_data` fields Windows records on a domain controller. */
export function logonEvent(rng: Random, host: WindowsHost, eventId: 4624 | 4625, spec: LogonSpec): EcsObject {
  const kerberos = spec.logonType === 3 && eventId === 4624 && rng.chance(0.8);
  const data: Record<string, string> = {
    SubjectUserSid: 'S-1-0-0',
    SubjectUserName: '-',
    SubjectDomainName: '-',
    SubjectLogonId: '0x0',
    TargetUserSid: eventId === 4624 ? userSid(host.domain, spec.user) : 'S-1-0-0',
    TargetUserName: spec.user,
    TargetDomainName: host.domain,
    LogonType: String(spec.logonType),
    LogonProcessName: kerberos ? 'Kerberos' : spec.logonType === 10 ? 'User32 ' : 'NtLmSsp ',
    AuthenticationPackageName: kerberos ? 'Kerberos' : 'NTLM',
    WorkstationName: spec.workstation,
    TransmittedServices: '-',
    LmPackageName: kerberos ? '-' : 'NTLM V2',
    KeyLength: kerberos ? '0' : '128',
    ProcessId: '0x0',
    ProcessName: '-',
    IpAddress: spec.ip,
    IpPort: String(kerberos ? 0 : rng.int(49152, 65535)),
  };
  if (eventId === 4624) {
    data['TargetLogonId'] = logonId(rng);
    data['LogonGuid'] = `{${rng.uuid()}}`;
    data['ImpersonationLevel'] = '%%1833';
    data['VirtualAccount'] = '%%1843';
    data['ElevatedToken'] = '%%1842';
  } else {
    data['Status'] = '0xc000006d';
    data['SubStatus'] = spec.subStatus ?? '0xc000006a';
    data['FailureReason'] = '%%2313';
  }
  return winlogbeatEvent(rng, host, {
    time: spec.time,
    eventId,
    channel: 'Security',
    task: 'Logon',
    action: eventId === 4624 ? 'logged-in' : 'logon-failed',
    outcome: eventId === 4624 ? 'success' : 'failure',
    eventData: data,
    message: `${logonMessages[eventId]}\n\nLogon Type:\t\t${spec.logonType}\n\nAccount Name:\t\t${spec.user}\nAccount Domain:\t\t${host.domain}\n\nWorkstation Name:\t${spec.workstation}\nSource Network Address:\t${spec.ip}`,
  });
}

/** `count` Windows logon events of officials on the domain controller, in the second before `time`. */
export function officialWindowsLogons(rng: Random, directory: Directory, time: number, count: number): EcsObject[] {
  const out: EcsObject[] = [];
  const { host } = directory;
  for (let i = 0; i < count; i++) {
    const official = rng.pick(directory.officials);
    const at = time - 1000 + Math.floor(((i + rng.next()) * 1000) / Math.max(count, 1));
    const roll = rng.next();
    if (roll < 0.03) {
      out.push(logonEvent(rng, host, 4625, { time: at, user: official.username, workstation: official.workstation, ip: official.workstationIp, logonType: rng.chance(0.8) ? 3 : 2 }));
    } else if (roll < 0.3) {
      out.push(
        winlogbeatEvent(rng, host, {
          time: at,
          eventId: 4634,
          channel: 'Security',
          task: 'Logoff',
          action: 'logged-out',
          outcome: 'success',
          eventData: {
            TargetUserSid: userSid(host.domain, official.username),
            TargetUserName: official.username,
            TargetDomainName: host.domain,
            TargetLogonId: logonId(rng),
            LogonType: '3',
          },
          message: `${logonMessages[4634]}\n\nAccount Name:\t\t${official.username}\nAccount Domain:\t\t${host.domain}\nLogon Type:\t\t\t3`,
        }),
      );
    } else {
      out.push(logonEvent(rng, host, 4624, { time: at, user: official.username, workstation: official.workstation, ip: official.workstationIp, logonType: rng.weighted([[3, 90], [2, 4], [10, 2], [11, 4]]) }));
    }
  }
  return out;
}

export interface SsoRealm {
  /** The realm name, e.g. `hanoi`. */
  realm: string;
  officials: Official[];
}

export function ssoRealm(realm: string, subnet: string): SsoRealm {
  return { realm, officials: officialRoster(new Random(deriveSeed(11, realm)), 80, subnet, departments) };
}

const ssoApplications = ['qlvb', 'email-congvu', 'motcua-dientu', 'hop-truc-tuyen', 'ke-toan', 'bao-cao'] as const;
const officeBrowsers = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/124.0.246 Chrome/118.0.5993.216 Safari/537.36',
] as const;

export interface SsoLogin {
  time: number;
  official: Official;
  outcome: 'success' | 'failure';
  reason?: string;
  ip?: string;
  userAgent?: string;
}

/** `2025-07-01T09:15:02.123+07:00`: the SSO server logs local time with its offset. */
export function vietnamIsoTime(time: number): string {
  return `${new Date(time + 7 * 3_600_000).toISOString().slice(0, 23)}+07:00`;
}

export function ssoRecord(rng: Random, realm: SsoRealm, login: SsoLogin): EcsObject {
  return {
    timestamp: vietnamIsoTime(login.time),
    action: login.outcome === 'success' ? 'LOGIN' : 'LOGIN_ERROR',
    outcome: login.outcome,
    ...(login.reason !== undefined ? { reason: login.reason } : {}),
    realm: realm.realm,
    application: rng.pick(ssoApplications),
    username: login.official.username,
    display_name: login.official.fullName,
    client_ip: login.ip ?? login.official.workstationIp,
    client_user_agent: login.userAgent ?? rng.pick(officeBrowsers),
    auth_method: rng.chance(0.3) ? 'password+otp' : 'password',
    ...(login.outcome === 'success' ? { session_id: rng.hex(32) } : {}),
  };
}

/** `count` SSO login records in the second before `time`; some officials work from home (ISP addresses). */
export function ssoLoginRecords(rng: Random, realm: SsoRealm, time: number, count: number): EcsObject[] {
  const out: EcsObject[] = [];
  for (let i = 0; i < count; i++) {
    const official = rng.pick(realm.officials);
    const failed = rng.chance(0.04);
    out.push(
      ssoRecord(rng, realm, {
        time: time - 1000 + Math.floor(((i + rng.next()) * 1000) / Math.max(count, 1)),
        official,
        outcome: failed ? 'failure' : 'success',
        ...(failed ? { reason: rng.chance(0.85) ? 'invalid_credentials' : 'otp_invalid' } : {}),
        ...(rng.chance(0.15) ? { ip: citizenAddress(rng) } : {}),
      }),
    );
  }
  return out;
}
