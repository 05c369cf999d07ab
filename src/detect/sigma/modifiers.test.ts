import { describe, expect, it } from 'vitest';
import { flatGet, ruleFromSelection } from './test-rule.js';

type Case = [name: string, selection: string, event: Record<string, unknown>, expected: boolean];

const cases: Case[] = [
  // generic string modifiers
  ['contains', "CommandLine|contains: 'mimikatz'", { CommandLine: 'run MIMIKATZ.exe now' }, true],
  ['contains miss', "CommandLine|contains: 'mimikatz'", { CommandLine: 'notepad' }, false],
  ['startswith', "Image|startswith: 'C:\\Windows\\'", { Image: 'c:\\windows\\system32\\cmd.exe' }, true],
  ['endswith', "Image|endswith: '\\cmd.exe'", { Image: 'C:\\Windows\\System32\\CMD.EXE' }, true],
  ['endswith miss', "Image|endswith: '\\cmd.exe'", { Image: 'C:\\cmd.exe.bak' }, false],
  ['list is OR', "Image|endswith:\n    - '\\a.exe'\n    - '\\b.exe'", { Image: 'x\\b.exe' }, true],
  ['contains|all needs every value', "CommandLine|contains|all:\n    - 'net'\n    - 'user'", { CommandLine: 'net user bob' }, true],
  ['contains|all misses one', "CommandLine|contains|all:\n    - 'net'\n    - 'group'", { CommandLine: 'net user bob' }, false],
  ['all over array elements', "Tags|contains|all:\n    - 'a'\n    - 'b'", { Tags: ['xa', 'yb'] }, true],
  ['cased', "User|cased: 'Admin'", { User: 'admin' }, false],
  ['cased hit', "User|cased: 'Admin'", { User: 'Admin' }, true],
  ['contains|cased', "CommandLine|contains|cased: 'Invoke'", { CommandLine: 'x invoke y' }, false],
  // windash
  ['windash dash→slash', "CommandLine|windash|contains: ' -enc '", { CommandLine: 'powershell /enc AAA ' }, true],
  ['windash en dash', "CommandLine|windash|contains: ' -enc '", { CommandLine: 'powershell \u2013enc AAA ' }, true],
  ['windash em dash', "CommandLine|contains|windash: ' -enc '", { CommandLine: 'powershell \u2014enc AAA ' }, true],
  ['windash horizontal bar', "CommandLine|contains|windash: ' -enc '", { CommandLine: 'powershell \u2015enc AAA ' }, true],
  ['windash keeps inner dash', "CommandLine|windash|contains: 'a-b'", { CommandLine: 'a/b' }, false],
  // encodings
  ['base64', "Data|base64: 'ping'", { Data: 'cGluZw==' }, true],
  ['base64offset|contains offset 0', "Data|base64offset|contains: 'ping'", { Data: 'cGluZyBpZA==' }, true],
  ['base64offset|contains offset 2', "Data|base64offset|contains: 'ping'", { Data: 'ZWNobyBwaW5nOyBpZA==' }, true],
  ['base64offset|contains offset 1', "Data|base64offset|contains: 'ping'", { Data: 'eHggcGluZw==' }, true],
  ['base64offset|contains miss', "Data|base64offset|contains: 'ping'", { Data: 'bm90aGluZw==' }, false],
  ['wide|base64offset|contains', "Data|wide|base64offset|contains: 'cmd'", { Data: 'YQAgAGMAbQBkACAALwBjAA==' }, true],
  ['utf16le|base64', "Data|utf16le|base64: 'ab'", { Data: 'YQBiAA==' }, true],
  ['utf16be|base64', "Data|utf16be|base64: 'ab'", { Data: 'AGEAYg==' }, true],
  ['utf16|base64 has BOM', "Data|utf16|base64: 'ab'", { Data: '//5hAGIA' }, true],
  // regular expressions
  ['re is case-sensitive', "CommandLine|re: 'Invoke-\\w+'", { CommandLine: 'invoke-expression' }, false],
  ['re|i', "CommandLine|re|i: 'Invoke-\\w+'", { CommandLine: 'invoke-expression' }, true],
  ['re is a search', "CommandLine|re: 'a.c'", { CommandLine: 'xxabcxx' }, true],
  ['re|m', "Msg|re|m: '^two$'", { Msg: 'one\ntwo\nthree' }, true],
  ['re without m', "Msg|re: '^two$'", { Msg: 'one\ntwo\nthree' }, false],
  ['re|s', "Msg|re|s: 'one.two'", { Msg: 'one\ntwo' }, true],
  ['re without s', "Msg|re: 'one.two'", { Msg: 'one\ntwo' }, false],
  ['re on a number', "EventID|re: '^46\\d\\d$'", { EventID: 4624 }, true],
  // cidr
  ['cidr v4', "SourceIp|cidr: '10.0.0.0/8'", { SourceIp: '10.20.30.40' }, true],
  ['cidr v4 miss', "SourceIp|cidr: '10.0.0.0/8'", { SourceIp: '11.0.0.1' }, false],
  ['cidr v4 /20', "SourceIp|cidr: '192.168.16.0/20'", { SourceIp: '192.168.31.255' }, true],
  ['cidr v4 /20 miss', "SourceIp|cidr: '192.168.16.0/20'", { SourceIp: '192.168.32.0' }, false],
  ['cidr v6', "SourceIp|cidr: '2001:db8::/32'", { SourceIp: '2001:DB8:0:1::5' }, true],
  ['cidr v6 miss', "SourceIp|cidr: '2001:db8::/32'", { SourceIp: '2001:db9::1' }, false],
  ['cidr v4-mapped v6', "SourceIp|cidr: '10.0.0.0/8'", { SourceIp: '::ffff:10.1.2.3' }, true],
  ['cidr list', "SourceIp|cidr:\n    - '10.0.0.0/8'\n    - 'fc00::/7'", { SourceIp: 'fd00::1' }, true],
  ['cidr not an ip', "SourceIp|cidr: '10.0.0.0/8'", { SourceIp: 'ten' }, false],
  // exists
  ['exists true', 'PasswordLastSet|exists: true', { PasswordLastSet: '' }, true],
  ['exists true on null', 'PasswordLastSet|exists: true', { PasswordLastSet: null }, true],
  ['exists true absent', 'PasswordLastSet|exists: true', {}, false],
  ['exists false absent', 'PasswordLastSet|exists: false', {}, true],
  ['exists false present', 'PasswordLastSet|exists: false', { PasswordLastSet: 'x' }, false],
  // fieldref
  ['fieldref equal', 'SubjectUserName|fieldref: TargetUserName', { SubjectUserName: 'Bob', TargetUserName: 'bob' }, true],
  ['fieldref differ', 'SubjectUserName|fieldref: TargetUserName', { SubjectUserName: 'bob', TargetUserName: 'eve' }, false],
  ['fieldref absent', 'SubjectUserName|fieldref: TargetUserName', { SubjectUserName: 'bob' }, false],
  ['fieldref|neq', 'SubjectUserName|fieldref|neq: TargetUserName', { SubjectUserName: 'bob', TargetUserName: 'eve' }, true],
  ['fieldref|startswith', 'Path|fieldref|startswith: Dir', { Path: 'c:\\tmp\\x', Dir: 'C:\\TMP' }, true],
  // numeric comparisons
  ['gt number', 'Bytes|gt: 1000', { Bytes: 1001 }, true],
  ['gt equal', 'Bytes|gt: 1000', { Bytes: 1000 }, false],
  ['gte', 'Bytes|gte: 1000', { Bytes: 1000 }, true],
  ['lt', 'Bytes|lt: 10', { Bytes: 9.5 }, true],
  ['lte', 'Bytes|lte: 10', { Bytes: 11 }, false],
  ['gt on a numeric string', 'Bytes|gt: 99', { Bytes: '100' }, true],
  ['gt compares numbers, not text', 'Bytes|gt: 99', { Bytes: '100.0' }, true],
  ['gt with a rule string that is a number', "Bytes|gt: '99'", { Bytes: 100 }, true],
  ['gt on text', 'Bytes|gt: 1', { Bytes: 'many' }, false],
  // neq
  ['neq', "Status|neq: 'ok'", { Status: 'failed' }, true],
  ['neq equal', "Status|neq: 'ok'", { Status: 'OK' }, false],
  ['neq list is not-any', "Status|neq:\n    - 'ok'\n    - 'done'", { Status: 'done' }, false],
  ['neq number', 'Code|neq: 200', { Code: 500 }, true],
  // expand
  ['expand', "User|expand: '%Administrators%'", { User: 'ADM_bob' }, true],
  ['expand miss', "User|expand: '%Administrators%'", { User: 'bob' }, false],
  ['expand|contains', "CommandLine|contains|expand: '%Servers%'", { CommandLine: 'mstsc /v:srv-db01' }, true],
  ['expand escaped percent', "Name|expand: '\\%plain%Servers%'", { Name: '%plainsrv-a' }, true],
  ['no expand keeps %x% literal', "Path|contains: '%APPDATA%'", { Path: 'x %appdata% y' }, true],
  // time parts
  ['hour', "Time|hour: 3", { Time: '2024-05-01T03:15:00Z' }, true],
  ['month', "Time|month: 5", { Time: '2024-05-01T03:15:00Z' }, true],
  ['year miss', "Time|year: 2023", { Time: '2024-05-01T03:15:00Z' }, false],
];

describe('value modifiers', () => {
  const placeholders = { Administrators: ['adm_*', 'root'], Servers: ['srv-*'] };
  it.each(cases)('%s', (_name, selection, event, expected) => {
    const rule = ruleFromSelection(selection, { placeholders });
    expect(rule.matches(event, flatGet)).toBe(expected);
  });

  it('rejects an unfilled placeholder at compile time', () => {
    expect(() => ruleFromSelection("User|expand: '%Nope%'", { placeholders: {} })).toThrow(/placeholder %Nope% is not configured/);
  });
});
