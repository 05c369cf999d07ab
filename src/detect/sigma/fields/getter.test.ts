import { describe, expect, it } from 'vitest';
import type { Logsource } from '../contract.js';
import type { EcsEvent } from '../../../core/event.js';
import { fieldGetterFor, fieldPathsFor, flatGetter } from './getter.js';
import {
  APACHE_LINE, CEF_FORTIGATE, CEF_PROXY, NGINX_SQLI, POWERSHELL_4104, SECURITY_4625_FLAT, SSHD_FAILED, SUDO_COMMAND,
  SYSMON_1_FLAT, SYSMON_3_EVTX, WINLOGBEAT_4688, iisEvent, normalised,
} from './samples.suite.js';

const webserver: Logsource = { category: 'webserver' };
const proxy: Logsource = { category: 'proxy' };
const firewall: Logsource = { category: 'firewall' };
const winProcess: Logsource = { product: 'windows', category: 'process_creation' };
const winNetwork: Logsource = { product: 'windows', category: 'network_connection' };
const winSecurity: Logsource = { product: 'windows', service: 'security' };
const psScript: Logsource = { product: 'windows', category: 'ps_script' };
const linuxSshd: Logsource = { product: 'linux', service: 'sshd' };
const linuxSudo: Logsource = { product: 'linux', service: 'sudo' };
const linuxProcess: Logsource = { product: 'linux', category: 'process_creation' };

interface Case {
  name: string;
  event: () => EcsEvent;
  logsource: Logsource;
  fields: Record<string, unknown>;
}

const cases: Case[] = [
  {
    name: 'nginx combined line with SQL injection in the query',
    event: () => normalised('nginx', NGINX_SQLI),
    logsource: webserver,
    fields: {
      'cs-uri-query': 'id=1%27%20UNION%20SELECT%201,2,3--',
      'cs-uri-stem': '/search.php',
      'cs-uri': '/search.php?id=1%27%20UNION%20SELECT%201,2,3--',
      'c-uri-extension': 'php',
      'cs-method': 'GET',
      'c-ip': '203.0.113.7',
      'sc-status': 200,
      'sc-bytes': 512,
      'cs-user-agent': 'sqlmap/1.7.2#stable (https://sqlmap.org)',
      'c-useragent': 'sqlmap/1.7.2#stable (https://sqlmap.org)',
      'cs-referer': 'https://dichvucong.gov.vn/',
      'cs-username': undefined,
      'cs-host': undefined,
    },
  },
  {
    name: 'Apache line with an authenticated user',
    event: () => normalised('apache', APACHE_LINE),
    logsource: webserver,
    fields: { 'cs-method': 'POST', 'cs-uri-stem': '/wp-login.php', 'cs-uri-query': undefined, 'cs-username': 'alice', 'sc-status': 401, 'c-ip': '198.51.100.4' },
  },
  {
    name: 'IIS W3C entry (W3C names map back to what w3c parsed)',
    event: iisEvent,
    logsource: webserver,
    fields: {
      'cs-uri-stem': '/owa/auth/x.js',
      'cs-uri-query': 'cmd=whoami',
      'c-ip': '192.0.2.55',
      's-ip': '10.1.1.10',
      's-port': 443,
      'cs-user-agent': 'Mozilla/5.0 (compatible)',
      'sc-status': 404,
      'sc-substatus': 0,
      'sc-win32-status': 2,
      'sc-bytes': 1234,
      'cs-bytes': 345,
      'cs-host': 'mail.hanoi.gov.vn',
    },
  },
  {
    name: 'nginx line read by a proxy rule',
    event: () => normalised('nginx', NGINX_SQLI),
    logsource: proxy,
    fields: { 'c-uri': '/search.php?id=1%27%20UNION%20SELECT%201,2,3--', 'c-uri-query': 'id=1%27%20UNION%20SELECT%201,2,3--', src_ip: '203.0.113.7' },
  },
  {
    name: 'Security 4688 from Winlogbeat: Sysmon names reach 4688 data and ECS',
    event: () => normalised('windows', WINLOGBEAT_4688),
    logsource: winProcess,
    fields: {
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd.exe /c whoami /all',
      ParentImage: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
      ProcessId: 0x1a4,
      ParentProcessId: 0x1f0,
      User: 'nva',
      EventID: '4688',
      Channel: 'Security',
      Provider_Name: 'Microsoft-Windows-Security-Auditing',
      Computer: 'KT-WS01.sotttt.local',
      SubjectUserName: 'nva',
      NewProcessName: 'C:\\Windows\\System32\\cmd.exe',
      OriginalFileName: undefined,
    },
  },
  {
    name: 'Sysmon 1, flat, through the windows normaliser',
    event: () => normalised('windows', SYSMON_1_FLAT),
    logsource: winProcess,
    fields: {
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      CommandLine: 'powershell.exe -nop -w hidden -enc SQBFAFgA',
      ParentImage: 'C:\\Windows\\explorer.exe',
      ParentCommandLine: 'C:\\Windows\\Explorer.EXE',
      OriginalFileName: 'PowerShell.EXE',
      CurrentDirectory: 'C:\\Users\\nva\\',
      IntegrityLevel: 'Medium',
      User: 'SOTTTT\\nva',
      Hashes: SYSMON_1_FLAT.Hashes,
      ProcessId: 4242,
      EventID: '1',
      'process.pe.original_file_name': 'PowerShell.EXE',
    },
  },
  {
    name: 'Sysmon 3 from an EVTX dump',
    event: () => normalised('windows', SYSMON_3_EVTX),
    logsource: winNetwork,
    fields: {
      Image: 'C:\\Users\\nva\\AppData\\Local\\Temp\\svch0st.exe',
      DestinationIp: '45.142.120.7',
      DestinationPort: '4444',
      DestinationHostname: '-',
      Initiated: 'true',
      Protocol: 'tcp',
      EventID: '3',
    },
  },
  {
    name: 'Security 4625, flat, read by a security rule',
    event: () => normalised('windows', SECURITY_4625_FLAT),
    logsource: winSecurity,
    fields: {
      EventID: '4625',
      TargetUserName: 'administrator',
      IpAddress: '45.142.120.7',
      IpPort: '50312',
      LogonType: '3',
      Status: '0xc000006d',
      WorkstationName: 'KALI',
      Computer: 'DC01.sotttt.local',
      SubjectUserName: undefined,
    },
  },
  {
    name: 'PowerShell 4104 script block',
    event: () => normalised('windows', POWERSHELL_4104),
    logsource: psScript,
    fields: { ScriptBlockText: POWERSHELL_4104.winlog.event_data.ScriptBlockText, Path: '', EventID: '4104' },
  },
  {
    name: 'sshd failed password',
    event: () => normalised('syslog3164', SSHD_FAILED),
    logsource: linuxSshd,
    fields: { 'user.name': 'admin', 'source.ip': '198.51.100.23', 'source.port': 52344, pam_user: 'admin', pam_rhost: '198.51.100.23', program: 'sshd', hostname: 'web01' },
  },
  {
    name: 'sudo: USER and COMMAND as parse/auth-log sets them',
    event: () => normalised('syslog3164', SUDO_COMMAND),
    logsource: linuxSudo,
    fields: { USER: 'root', COMMAND: '/usr/bin/bash -c id', PWD: '/home/nva', 'user.name': 'nva' },
  },
  {
    name: 'sudo read by a linux process_creation rule',
    event: () => normalised('syslog3164', SUDO_COMMAND),
    logsource: linuxProcess,
    fields: { CommandLine: '/usr/bin/bash -c id', User: 'nva', CurrentDirectory: '/home/nva', Image: undefined },
  },
  {
    name: 'CEF from a FortiGate, read by a firewall rule',
    event: () => normalised('cef', CEF_FORTIGATE),
    logsource: firewall,
    fields: { src_ip: '10.0.0.5', dst_ip: '203.0.113.9', src_port: 51515, dst_port: 445, action: 'deny', username: 'nva', protocol: 'tcp' },
  },
  {
    name: 'CEF from a web proxy, read by a proxy rule',
    event: () => normalised('cef', CEF_PROXY),
    logsource: proxy,
    fields: { 'c-uri': 'http://evil.example/payload.exe', 'cs-method': 'GET', 'c-useragent': 'curl/8.0', dst_ip: '93.184.216.34' },
  },
];

describe('fieldGetterFor on events from our normalisers', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const event = c.event();
      const get = fieldGetterFor(c.logsource);
      it.each(Object.entries(c.fields))('%s', (field, expected) => {
        expect(get(event, field)).toEqual(expected);
      });
    });
  }
});

describe('Sigma-native flat events', () => {
  const flat = { EventID: 4625, TargetUserName: 'x', 'source.ip': '192.0.2.1', CommandLine: null };

  it('reads top-level keys first, whatever the logsource', () => {
    const get = fieldGetterFor(winSecurity);
    expect(get(flat, 'EventID')).toBe(4625);
    expect(get(flat, 'TargetUserName')).toBe('x');
  });

  it('treats null as a value, and an absent key as undefined', () => {
    expect(fieldGetterFor(winProcess)(flat, 'CommandLine')).toBeNull();
    expect(fieldGetterFor(winProcess)(flat, 'Image')).toBeUndefined();
  });

  it('reads dotted ECS keys, directly or through a mapping', () => {
    expect(fieldGetterFor(webserver)(flat, 'source.ip')).toBe('192.0.2.1');
    expect(fieldGetterFor(webserver)(flat, 'c-ip')).toBe('192.0.2.1');
  });

  it('flatGetter reads top-level keys only', () => {
    expect(flatGetter(flat, 'EventID')).toBe(4625);
    expect(flatGetter(flat, 'CommandLine')).toBeNull();
    expect(flatGetter({ source: { ip: '1.2.3.4' } }, 'source.ip')).toBeUndefined();
    expect(flatGetter(flat, 'source.ip')).toBe('192.0.2.1');
  });

  it('never returns what objects inherit', () => {
    const get = fieldGetterFor(winProcess);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(flatGetter({}, name)).toBeUndefined();
      expect(get({}, name)).toBeUndefined();
      expect(get({ winlog: { event_data: {} } }, name)).toBeUndefined();
    }
    expect(get({ constructor: 'own' }, 'constructor')).toBe('own');
    expect(get({ winlog: { event_data: { toString: 'data' } } }, 'toString')).toBe('data');
    expect(fieldGetterFor({})({ a: {} }, 'a.constructor')).toBeUndefined();
  });

  it('returns undefined for non-objects', () => {
    expect(fieldGetterFor(webserver)(null, 'c-ip')).toBeUndefined();
    expect(fieldGetterFor(webserver)('text', 'c-ip')).toBeUndefined();
    expect(flatGetter(undefined, 'x')).toBeUndefined();
  });
});

describe('paths', () => {
  it('collects values through arrays of objects (dns.answers)', () => {
    const event = { dns: { question: { name: 'evil.example' }, answers: [{ data: '1.2.3.4' }, { name: 'x' }, { data: ['5.6.7.8'] }] } };
    const get = fieldGetterFor({ category: 'dns' });
    expect(get(event, 'query')).toBe('evil.example');
    expect(get(event, 'answer')).toEqual(['1.2.3.4', '5.6.7.8']);
  });

  it('returns arrays held by a field as they are', () => {
    expect(fieldGetterFor({})({ tags: ['a', 'b'] }, 'tags')).toEqual(['a', 'b']);
  });

  it('EventID is the raw winlog.event_id: text from our normaliser, number from older documents', () => {
    const get = fieldGetterFor({ product: 'windows' });
    expect(get({ winlog: { event_id: '4625' } }, 'EventID')).toBe('4625');
    expect(get({ winlog: { event_id: 4625 } }, 'EventID')).toBe(4625);
    expect(get({ event: { code: '4625' } }, 'EventID')).toBe('4625');
  });

  it('falls back from winlog.event_data to ECS for ECS-only documents', () => {
    const ecsOnly = { process: { executable: 'C:\\x.exe', command_line: 'x /y', parent: { executable: 'C:\\p.exe' } } };
    const get = fieldGetterFor(winProcess);
    expect(get(ecsOnly, 'Image')).toBe('C:\\x.exe');
    expect(get(ecsOnly, 'CommandLine')).toBe('x /y');
    expect(get(ecsOnly, 'ParentImage')).toBe('C:\\p.exe');
  });

  it('reads winlog.user_data for Windows names no mapping knows', () => {
    const event = { winlog: { event_id: '1102', user_data: { SubjectUserName: 'nva', xml_name: 'LogFileCleared' } } };
    expect(fieldGetterFor(winSecurity)(event, 'SubjectUserName')).toBe('nva');
  });
});

describe('fieldPathsFor: precedence of tables', () => {
  const table: [Logsource, string, string[]][] = [
    [winProcess, 'Image', ['winlog.event_data.Image', 'winlog.event_data.NewProcessName', 'process.executable', 'winlog.user_data.Image']],
    [winProcess, 'OriginalFileName', ['winlog.event_data.OriginalFileName', 'process.pe.original_file_name', 'winlog.user_data.OriginalFileName']],
    [{ product: 'windows', category: 'image_load' }, 'OriginalFileName', ['winlog.event_data.OriginalFileName', 'file.pe.original_file_name', 'winlog.user_data.OriginalFileName']],
    [{ product: 'windows', category: 'image_load' }, 'ImageLoaded', ['winlog.event_data.ImageLoaded', 'file.path', 'winlog.user_data.ImageLoaded']],
    [{ product: 'windows' }, 'EventID', ['winlog.event_id', 'event.code', 'winlog.event_data.EventID', 'winlog.user_data.EventID']],
    [{ product: 'windows' }, 'winlog.event_data.Image', ['winlog.event_data.Image']],
    [winSecurity, 'TargetUserName', ['winlog.event_data.TargetUserName', 'winlog.user_data.TargetUserName']],
    [{ product: 'windows', category: 'registry_set' }, 'TargetObject', ['winlog.event_data.TargetObject', 'registry.path', 'winlog.user_data.TargetObject']],
    [{ product: 'windows', category: 'dns_query' }, 'QueryName', ['winlog.event_data.QueryName', 'dns.question.name', 'winlog.user_data.QueryName']],
    [{ product: 'windows', category: 'file_event' }, 'TargetFilename', ['winlog.event_data.TargetFilename', 'file.path', 'winlog.user_data.TargetFilename']],
    [linuxProcess, 'Image', ['process.executable', 'winlog.event_data.Image']],
    [{ category: 'process_creation' }, 'CommandLine', ['process.command_line', 'winlog.event_data.CommandLine']],
    [webserver, 'cs-uri-query', ['url.query']],
    [webserver, 'c-ip', ['source.ip', 'source.address', 'client.ip']],
    [webserver, 'unknown-field', []],
    [webserver, 'url.original', ['url.original']],
    [firewall, 'dst_port', ['destination.port']],
    [{ category: 'WebServer' }, 'cs-method', ['http.request.method']],
  ];
  it.each(table)('%o %s', (logsource, field, paths) => {
    expect(fieldPathsFor(logsource, field)).toEqual(paths);
  });

  it('shares one getter per logsource key', () => {
    expect(fieldGetterFor({ product: 'Windows', category: 'process_creation' })).toBe(fieldGetterFor(winProcess));
    expect(fieldGetterFor({ ...winProcess, definition: 'Sysmon with process creation' })).toBe(fieldGetterFor(winProcess));
    expect(fieldGetterFor(webserver)).not.toBe(fieldGetterFor(proxy));
  });
});
