/**
 * @module parse/windows-ecs
 * ECS fields for the Windows events a SOC reads first, derived from their `winlog.event_data`, as
 * the Elastic Windows/System integrations and Winlogbeat's security and sysmon modules map them:
 *
 *   Security 4624 / 4625   logon succeeded / failed    authentication, start; user.*, source.*
 *   Security 4688          process created             process, start; process.*, user.* (the creator)
 *   Sysmon 1               process created             process, start; process.*, user.*
 *   Security 4720 / 4726   user account created/deleted  iam; user.* (the actor), user.target.*
 *   Security 4732          member added to local group   iam; group.*, user.target.*
 *
 * A field the document already has (Winlogbeat set it) is never overwritten. Event data keeps its
 * Windows names untouched in `winlog.event_data`, so Sigma's Windows field names stay reachable.
 */
import type { EcsObject, EcsValue } from '../core/event.js';
import { getField, setField } from '../core/event.js';
import { isIpAddress } from './ip.js';

export const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';
export const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
export const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';

/** Logon types of events 4624/4625 (Microsoft "Audit logon events", Logon types table), as Winlogbeat names them. */
const LOGON_TYPES: Readonly<Record<string, string>> = {
  '0': 'System',
  '2': 'Interactive',
  '3': 'Network',
  '4': 'Batch',
  '5': 'Service',
  '7': 'Unlock',
  '8': 'NetworkCleartext',
  '9': 'NewCredentials',
  '10': 'RemoteInteractive',
  '11': 'CachedInteractive',
  '12': 'CachedRemoteInteractive',
  '13': 'CachedUnlock',
};

/** Where the event came from, to tell a Security 1 from a Sysmon 1. */
export interface WindowsSource {
  eventId: string;
  channel: string | undefined;
  provider: string | undefined;
}

/** Sets `path` unless the document already has a value there. */
function fill(out: EcsObject, path: string, value: EcsValue | undefined): void {
  if (value === undefined) return;
  if (getField(out, path) === undefined) setField(out, path, value);
}

/** An event-data value, with `-` and empty text (Windows' marks of "none") as absent. */
function data(eventData: EcsObject, name: string): string | undefined {
  const v = eventData[name];
  if (typeof v !== 'string' || v === '' || v === '-') return undefined;
  return v;
}

/** A process id written in hex (`0x1a4`, Security log) or decimal (Sysmon). */
function pidOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = text.startsWith('0x') || text.startsWith('0X') ? parseInt(text.slice(2), 16) : Number(text);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The file name at the end of a Windows path. */
function baseName(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut === -1 ? path : path.slice(cut + 1);
}

function categorise(out: EcsObject, category: string, type: string[], action: string, outcome?: 'success' | 'failure'): void {
  fill(out, 'event.category', [category]);
  fill(out, 'event.type', type);
  fill(out, 'event.action', action);
  if (outcome !== undefined) fill(out, 'event.outcome', outcome);
}

function logon(out: EcsObject, d: EcsObject, success: boolean): void {
  categorise(out, 'authentication', ['start'], success ? 'logged-in' : 'logon-failed', success ? 'success' : 'failure');
  fill(out, 'user.name', data(d, 'TargetUserName'));
  fill(out, 'user.domain', data(d, 'TargetDomainName'));
  fill(out, 'user.id', data(d, 'TargetUserSid'));
  const ip = data(d, 'IpAddress');
  if (ip !== undefined && isIpAddress(ip)) fill(out, 'source.ip', ip);
  const port = Number(data(d, 'IpPort'));
  if (Number.isInteger(port) && port > 0 && port < 65536) fill(out, 'source.port', port);
  fill(out, 'source.domain', data(d, 'WorkstationName'));
  const type = data(d, 'LogonType');
  if (type !== undefined) fill(out, 'winlog.logon.type', LOGON_TYPES[type] ?? type);
  fill(out, 'winlog.logon.id', data(d, 'TargetLogonId'));
  if (!success) {
    fill(out, 'winlog.logon.failure.status', data(d, 'Status'));
    fill(out, 'winlog.logon.failure.sub_status', data(d, 'SubStatus'));
  }
}

function securityProcessCreated(out: EcsObject, d: EcsObject): void {
  categorise(out, 'process', ['start'], 'created-process');
  const exe = data(d, 'NewProcessName');
  fill(out, 'process.executable', exe);
  fill(out, 'process.name', baseName(exe));
  fill(out, 'process.command_line', data(d, 'CommandLine'));
  fill(out, 'process.pid', pidOf(data(d, 'NewProcessId')));
  const parent = data(d, 'ParentProcessName');
  fill(out, 'process.parent.executable', parent);
  fill(out, 'process.parent.name', baseName(parent));
  fill(out, 'process.parent.pid', pidOf(data(d, 'ProcessId')));
  fill(out, 'user.name', data(d, 'SubjectUserName'));
  fill(out, 'user.domain', data(d, 'SubjectDomainName'));
  fill(out, 'user.id', data(d, 'SubjectUserSid'));
}

/** Sysmon's `Hashes` (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`) into ECS `process.hash.*` / `process.pe.imphash`. */
function sysmonHashes(out: EcsObject, hashes: string | undefined): void {
  if (hashes === undefined) return;
  for (const pair of hashes.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const algo = pair.slice(0, eq).trim().toLowerCase();
    const value = pair.slice(eq + 1).trim().toLowerCase();
    if (algo === 'imphash') fill(out, 'process.pe.imphash', value);
    else if (algo === 'md5' || algo === 'sha1' || algo === 'sha256') fill(out, `process.hash.${algo}`, value);
  }
}

function sysmonProcessCreated(out: EcsObject, d: EcsObject): void {
  categorise(out, 'process', ['start'], 'process-created');
  const exe = data(d, 'Image');
  fill(out, 'process.executable', exe);
  fill(out, 'process.name', baseName(exe));
  fill(out, 'process.command_line', data(d, 'CommandLine'));
  fill(out, 'process.pid', pidOf(data(d, 'ProcessId')));
  fill(out, 'process.entity_id', data(d, 'ProcessGuid'));
  fill(out, 'process.working_directory', data(d, 'CurrentDirectory'));
  fill(out, 'process.pe.original_file_name', data(d, 'OriginalFileName'));
  sysmonHashes(out, data(d, 'Hashes'));
  const parent = data(d, 'ParentImage');
  fill(out, 'process.parent.executable', parent);
  fill(out, 'process.parent.name', baseName(parent));
  fill(out, 'process.parent.command_line', data(d, 'ParentCommandLine'));
  fill(out, 'process.parent.pid', pidOf(data(d, 'ParentProcessId')));
  fill(out, 'process.parent.entity_id', data(d, 'ParentProcessGuid'));
  const user = data(d, 'User');
  if (user !== undefined) {
    const slash = user.indexOf('\\');
    fill(out, 'user.name', slash === -1 ? user : user.slice(slash + 1));
    if (slash > 0) fill(out, 'user.domain', user.slice(0, slash));
  }
}

/** The actor of an account-management event (Subject*) and its target (Target*). */
function accountChange(out: EcsObject, d: EcsObject, type: string[], action: string): void {
  categorise(out, 'iam', type, action, 'success');
  fill(out, 'user.name', data(d, 'SubjectUserName'));
  fill(out, 'user.domain', data(d, 'SubjectDomainName'));
  fill(out, 'user.id', data(d, 'SubjectUserSid'));
}

/** The common name of an LDAP distinguished name (`CN=Nguyen Van A,OU=…`), else the text. */
function commonName(dn: string): string {
  if (!dn.startsWith('CN=') && !dn.startsWith('cn=')) return dn;
  let i = 3;
  while (i < dn.length && dn.charCodeAt(i) !== 44) i += dn.charCodeAt(i) === 92 ? 2 : 1;
  return dn.slice(3, i).replaceAll('\\', '');
}

/** Adds the ECS fields of a well-known Windows event to `out`; other events are left as they are. */
export function applyWindowsEcs(out: EcsObject, src: WindowsSource, d: EcsObject): void {
  const security =
    (src.channel === undefined || src.channel === 'Security') && (src.provider === undefined || src.provider === SECURITY_PROVIDER);
  const sysmon = src.channel === SYSMON_CHANNEL || src.provider === SYSMON_PROVIDER;
  if (sysmon) {
    if (src.eventId === '1') sysmonProcessCreated(out, d);
    return;
  }
  if (!security) return;
  switch (src.eventId) {
    case '4624': logon(out, d, true); break;
    case '4625': logon(out, d, false); break;
    case '4688': securityProcessCreated(out, d); break;
    case '4720':
    case '4726':
      accountChange(out, d, ['user', src.eventId === '4720' ? 'creation' : 'deletion'], src.eventId === '4720' ? 'added-user-account' : 'deleted-user-account');
      fill(out, 'user.target.name', data(d, 'TargetUserName'));
      fill(out, 'user.target.domain', data(d, 'TargetDomainName'));
      fill(out, 'user.target.id', data(d, 'TargetSid'));
      break;
    case '4732': {
      accountChange(out, d, ['group', 'change'], 'added-member-to-group');
      fill(out, 'group.name', data(d, 'TargetUserName'));
      fill(out, 'group.domain', data(d, 'TargetDomainName'));
      fill(out, 'group.id', data(d, 'TargetSid'));
      fill(out, 'user.target.id', data(d, 'MemberSid'));
      const member = data(d, 'MemberName');
      if (member !== undefined) fill(out, 'user.target.name', commonName(member));
      break;
    }
  }
}
