/**
 * @module demo/winlog
 * Windows events as Winlogbeat 8 ships them: `@timestamp`, `event.{code,provider,kind,created,
 * outcome}`, `winlog.{channel,computer_name,event_id,provider_name,record_id,event_data,…}`,
 * `host.name`, `agent` and the rendered `message`. `winlog.event_id` is a string, as in
 * Winlogbeat 8 (7.x sent a number); `event_data` values are strings, as Windows renders them.
 */
import type { EcsObject } from '../core/event.js';
import type { Random } from './random.js';

export interface WindowsHost {
  /** FQDN of the machine, e.g. `DC01.bca.local`. */
  computer: string;
  /** NetBIOS domain, e.g. `BCA`. */
  domain: string;
  /** Address of the machine itself. */
  ip: string;
}

export const securityProvider = { name: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-a5ba-3e3b0328c30d}' } as const;
export const sysmonProvider = { name: 'Microsoft-Windows-Sysmon', guid: '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}' } as const;

export interface WinEventSpec {
  time: number;
  eventId: number;
  channel: 'Security' | 'Microsoft-Windows-Sysmon/Operational';
  task: string;
  action: string;
  outcome: 'success' | 'failure' | null;
  eventData: Record<string, string>;
  message: string;
}

export function winlogbeatEvent(rng: Random, host: WindowsHost, spec: WinEventSpec): EcsObject {
  const sysmon = spec.channel !== 'Security';
  const provider = sysmon ? sysmonProvider : securityProvider;
  const timestamp = new Date(spec.time).toISOString();
  const keywords = sysmon ? [] : [spec.outcome === 'failure' ? 'Audit Failure' : 'Audit Success'];
  const event: EcsObject = {
    code: String(spec.eventId),
    provider: provider.name,
    kind: 'event',
    created: new Date(spec.time + rng.int(200, 1500)).toISOString(),
    action: spec.action,
  };
  if (spec.outcome !== null) event['outcome'] = spec.outcome;
  return {
    '@timestamp': timestamp,
    event,
    winlog: {
      channel: spec.channel,
      computer_name: host.computer,
      event_id: String(spec.eventId),
      provider_name: provider.name,
      provider_guid: provider.guid,
      record_id: String(rng.int(1_000_000, 99_999_999)),
      api: 'wineventlog',
      task: spec.task,
      opcode: 'Info',
      keywords,
      process: { pid: sysmon ? rng.int(2000, 4000) : 780, thread: { id: rng.int(1000, 9000) } },
      event_data: spec.eventData,
    },
    host: { name: host.computer, hostname: host.computer.split('.')[0] ?? host.computer, os: { family: 'windows', platform: 'windows', type: 'windows' } },
    log: { level: 'information' },
    agent: { type: 'winlogbeat', version: '8.14.3', name: host.computer.split('.')[0] ?? host.computer },
    ecs: { version: '8.0.0' },
    message: spec.message,
  };
}

/** A SID in the domain's space: `S-1-5-21-<domain>-<rid>`. */
export function domainSid(domain: string, rid: number): string {
  let hash = 0;
  for (let i = 0; i < domain.length; i++) hash = (Math.imul(hash, 31) + domain.charCodeAt(i)) >>> 0;
  return `S-1-5-21-${1_000_000_000 + (hash % 1_000_000_000)}-${2_000_000_000 + ((hash >>> 3) % 100_000_000)}-${3_000_000_000 + ((hash >>> 7) % 100_000_000)}-${rid}`;
}

/** A stable relative id for a domain account, so the same official always has the same SID. */
export function userSid(domain: string, username: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < username.length; i++) hash = Math.imul(hash ^ username.charCodeAt(i), 0x01000193) >>> 0;
  return domainSid(domain, 1100 + (hash % 8900));
}

/** A logon id as Windows prints it (`0x3e7` style). */
export function logonId(rng: Random): string {
  return `0x${rng.int(0x100000, 0xfffffff).toString(16)}`;
}
