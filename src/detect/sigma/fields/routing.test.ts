import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../../core/event.js';
import type { Logsource } from '../contract.js';
import { LogsourceRouter, logsourceKeysOf, logsourceSignatureOf, ruleLogsourceKey } from './routing.js';
import {
  APACHE_LINE, CEF_AV, CEF_FORTIGATE, CEF_PROXY, CRON_LINE, KERNEL_LINE, NGINX_SQLI, POWERSHELL_4104, SECURITY_4625_FLAT,
  SSHD_FAILED, SUDO_COMMAND, SYSMON_1_FLAT, SYSMON_3_EVTX, WINLOGBEAT_4688, iisEvent, normalised,
} from './samples.suite.js';

const ecs = (doc: object): EcsEvent => ({ '@timestamp': '2024-05-01T03:00:00.000Z', event: {}, ...doc }) as EcsEvent;

const events: Record<string, () => EcsEvent> = {
  nginx: () => normalised('nginx', NGINX_SQLI),
  apache: () => normalised('apache', APACHE_LINE),
  iis: iisEvent,
  security4688: () => normalised('windows', WINLOGBEAT_4688),
  security4625: () => normalised('windows', SECURITY_4625_FLAT),
  sysmon1: () => normalised('windows', SYSMON_1_FLAT),
  sysmon3: () => normalised('windows', SYSMON_3_EVTX),
  sysmon13: () => normalised('windows', { EventID: 13, Channel: 'Microsoft-Windows-Sysmon/Operational', TargetObject: 'HKLM\\x', Details: 'y' }),
  ps4104: () => normalised('windows', POWERSHELL_4104),
  psClassic400: () => normalised('windows', { EventID: 400, Channel: 'Windows PowerShell', Data: ['Available', 'None', 'HostApplication=powershell -enc x'] }),
  system7045: () => normalised('windows', { EventID: 7045, Channel: 'System', Provider_Name: 'Service Control Manager', ServiceName: 'x' }),
  noChannelSysmon: () => normalised('windows', { EventID: 1, Provider_Name: 'Microsoft-Windows-Sysmon', Image: 'C:\\a.exe' }),
  sshd: () => normalised('syslog3164', SSHD_FAILED),
  sudo: () => normalised('syslog3164', SUDO_COMMAND),
  cron: () => normalised('syslog3164', CRON_LINE),
  kernel: () => normalised('syslog3164', KERNEL_LINE),
  fortigate: () => normalised('cef', CEF_FORTIGATE),
  bluecoat: () => normalised('cef', CEF_PROXY),
  kaspersky: () => normalised('cef', CEF_AV),
  endpointProcess: () => ecs({ event: { dataset: 'endpoint.events.process', category: ['process'], type: ['start'] }, host: { os: { type: 'linux' } } }),
  endpointRegistry: () => ecs({ event: { module: 'endpoint', category: ['registry'], type: ['change'] }, host: { os: { type: 'windows' } } }),
  zeekHttp: () => ecs({ event: { dataset: 'zeek.http' } }),
  zeekConn: () => ecs({ event: { dataset: 'zeek.connection' } }),
  bare: () => ecs({}),
};

const sorted = (keys: readonly string[]): string[] => [...keys].sort();

describe('logsourceKeysOf', () => {
  const table: [string, string[]][] = [
    ['nginx', ['category=webserver', 'service=nginx']],
    ['apache', ['category=webserver', 'service=apache']],
    ['iis', ['category=webserver', 'service=iis']],
    ['security4688', ['category=process_creation', 'product=windows', 'service=security']],
    ['security4625', ['product=windows', 'service=security']],
    ['sysmon1', ['category=process_creation', 'product=windows', 'service=sysmon']],
    ['sysmon3', ['category=network_connection', 'product=windows', 'service=sysmon']],
    ['sysmon13', ['category=registry_event', 'category=registry_set', 'product=windows', 'service=sysmon']],
    ['ps4104', ['category=ps_script', 'product=windows', 'service=powershell']],
    ['psClassic400', ['category=ps_classic_start', 'product=windows', 'service=powershell-classic']],
    ['system7045', ['product=windows', 'service=system']],
    ['noChannelSysmon', ['category=process_creation', 'product=windows', 'service=sysmon']],
    ['sshd', ['product=linux', 'service=auth', 'service=sshd', 'service=syslog']],
    ['sudo', ['category=process_creation', 'product=linux', 'service=auth', 'service=sudo', 'service=syslog']],
    ['cron', ['product=linux', 'service=cron', 'service=syslog']],
    ['kernel', ['product=linux', 'service=syslog']],
    ['fortigate', ['category=firewall']],
    ['bluecoat', ['category=proxy']],
    ['kaspersky', []],
    ['endpointProcess', ['category=process_creation', 'product=linux']],
    ['endpointRegistry', ['category=registry_event', 'category=registry_set', 'product=windows']],
    ['zeekHttp', ['category=proxy', 'category=webserver', 'product=zeek', 'service=http']],
    ['zeekConn', ['category=firewall', 'product=zeek', 'service=conn']],
    ['bare', []],
  ];
  it.each(table)('%s → %o', (name, keys) => {
    const make = events[name];
    if (make === undefined) throw new Error(name);
    expect(sorted(logsourceKeysOf(make()))).toEqual(sorted(keys));
  });

  it('compares channels case-insensitively, as Windows does', () => {
    const event = ecs({ winlog: { channel: 'security', event_id: '4688' } });
    expect(sorted(logsourceKeysOf(event))).toEqual(['category=process_creation', 'product=windows', 'service=security']);
  });

  it('gives events that differ only in data the same signature', () => {
    const a = normalised('windows', { ...SYSMON_1_FLAT, CommandLine: 'a' });
    const b = normalised('windows', { ...SYSMON_1_FLAT, CommandLine: 'b', Computer: 'other' });
    expect(logsourceSignatureOf(a)).toBe(logsourceSignatureOf(b));
    expect(logsourceSignatureOf(a)).not.toBe(logsourceSignatureOf(normalised('windows', SYSMON_3_EVTX)));
  });

  it('returns a copy the caller may change', () => {
    const event = events.nginx?.() as EcsEvent;
    logsourceKeysOf(event).push('category=tampered');
    expect(logsourceKeysOf(event)).not.toContain('category=tampered');
  });
});

describe('ruleLogsourceKey', () => {
  const table: [Logsource, string][] = [
    [{}, '*'],
    [{ definition: 'anything' }, '*'],
    [{ product: 'windows' }, 'product=windows'],
    [{ product: 'windows', category: 'process_creation' }, 'category=process_creation product=windows'],
    [{ service: 'security', product: 'Windows ' }, 'product=windows service=security'],
    [{ category: 'webserver' }, 'category=webserver'],
    [{ category: 'process_creation', product: 'linux', service: 'sysmon' }, 'category=process_creation product=linux service=sysmon'],
  ];
  it.each(table)('%o → %s', (logsource, key) => {
    expect(ruleLogsourceKey(logsource)).toBe(key);
  });
});

describe('LogsourceRouter', () => {
  const rules: [string, Logsource][] = [
    ['all', {}],
    ['windows', { product: 'windows' }],
    ['win-process', { product: 'windows', category: 'process_creation' }],
    ['any-process', { category: 'process_creation' }],
    ['win-security', { product: 'windows', service: 'security' }],
    ['win-sysmon', { product: 'windows', service: 'sysmon' }],
    ['win-network', { product: 'windows', category: 'network_connection' }],
    ['win-ps', { product: 'windows', category: 'ps_script' }],
    ['web', { category: 'webserver' }],
    ['proxy', { category: 'proxy' }],
    ['firewall', { category: 'firewall' }],
    ['linux', { product: 'linux' }],
    ['linux-sshd', { product: 'linux', service: 'sshd' }],
    ['linux-auth', { product: 'linux', service: 'auth' }],
    ['linux-process', { product: 'linux', category: 'process_creation' }],
    ['apache-error', { service: 'apache' }],
    ['aws', { product: 'aws', service: 'cloudtrail' }],
  ];
  const router = new LogsourceRouter<string>();
  for (const [name, logsource] of rules) router.add(logsource, name);

  const table: [string, string[]][] = [
    ['nginx', ['all', 'web']],
    ['apache', ['all', 'web', 'apache-error']],
    ['security4688', ['all', 'windows', 'win-process', 'any-process', 'win-security']],
    ['security4625', ['all', 'windows', 'win-security']],
    ['sysmon1', ['all', 'windows', 'win-process', 'any-process', 'win-sysmon']],
    ['sysmon3', ['all', 'windows', 'win-sysmon', 'win-network']],
    ['ps4104', ['all', 'windows', 'win-ps']],
    ['sshd', ['all', 'linux', 'linux-sshd', 'linux-auth']],
    ['sudo', ['all', 'any-process', 'linux', 'linux-auth', 'linux-process']],
    ['fortigate', ['all', 'firewall']],
    ['bluecoat', ['all', 'proxy']],
    ['bare', ['all']],
  ];
  it.each(table)('%s → %o', (name, expected) => {
    const make = events[name];
    if (make === undefined) throw new Error(name);
    expect(router.candidates(make())).toEqual(expected);
  });

  it('caches the candidate array per event signature', () => {
    const a = router.candidates(normalised('nginx', NGINX_SQLI));
    const b = router.candidates(normalised('nginx', APACHE_LINE.replace('alice', 'bob')));
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('sees rules added after a lookup, in the order added', () => {
    const r = new LogsourceRouter<number>();
    r.add({ category: 'webserver' }, 1);
    const event = normalised('nginx', NGINX_SQLI);
    expect(r.candidates(event)).toEqual([1]);
    r.add({ product: 'windows' }, 2);
    r.add({}, 3);
    r.add({ category: 'WebServer' }, 4);
    expect(r.candidates(event)).toEqual([1, 3, 4]);
    expect(r.size).toBe(4);
  });
});
