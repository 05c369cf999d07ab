/**
 * @module parse/windows
 * Windows event log records sent as JSON, in any of the shapes sensors produce, all normalised to
 * the Winlogbeat / Elastic Agent layout (Winlogbeat "winlog" fields):
 *
 *   winlogbeat   `{"winlog":{"event_id":4624,"channel":…,"event_data":{…}},"event":{"code":"4624"},…}`
 *   EVTX dump    `{"Event":{"System":{"EventID":…,"TimeCreated":{"#attributes":{"SystemTime":…}},…},
 *                 "EventData":{…}}}` as evtx_dump writes it; xmltodict's `@Name` attributes and
 *                 `"Data":[{"@Name":…,"#text":…}]` lists (python-evtx XML converted) are read too
 *   flat         `{"EventID":4625,"Channel":"Security","Computer":…,"TargetUserName":…}` as Sigma's
 *                 test samples and SIEM exports are; PowerShell's `Get-WinEvent | ConvertTo-Json`
 *                 names (`Id`, `LogName`, `MachineName`, `/Date(ms)/`) are read too
 *
 * Output: `winlog.event_id` (text, as Winlogbeat 8 types it), `winlog.channel`, `winlog.provider_name`,
 * `winlog.computer_name`, `winlog.record_id`, `winlog.event_data.<Windows name>` (values as text),
 * `event.code`, `event.provider`, `host.name`, dataset `windows.<channel>`, plus the ECS fields of
 * well-known events (parse/windows-ecs). Without any time field the arrival time is used.
 */
import type { EcsEvent, EcsObject, EcsValue } from '../core/event.js';
import type { NormaliseContext, Normaliser, NormaliseResult, RawRecord } from './normaliser.js';
import { Malformed } from './normaliser.js';
import { expandDottedKeys, isPlainObject, ownValue, readJsonObject, setOwn } from './json-record.js';
import { isoFromMs, parseTimeValue } from './timestamp.js';
import { applyWindowsEcs } from './windows-ecs.js';

/** What every shape is read into before the common output is built. */
interface WindowsRecord {
  /** The document the output grows from: the Winlogbeat document itself, or a new object. */
  out: EcsObject;
  eventId: EcsValue | undefined;
  channel: string | undefined;
  provider: string | undefined;
  computer: string | undefined;
  recordId: string | undefined;
  time: EcsValue | undefined;
  eventData: EcsObject;
  /** Other `winlog.*` fields (level, task, opcode, process …) to set when absent. */
  extra: EcsObject;
}

/** Windows event levels (winmeta.xml `win:Level`), named as ECS `log.level` values. */
const LEVELS: Readonly<Record<string, string>> = {
  '0': 'information', // win:LogAlways, written by the Security log for audit events
  '1': 'critical',
  '2': 'error',
  '3': 'warning',
  '4': 'information',
  '5': 'verbose',
};

/** Text of a scalar (numbers and booleans too), else undefined. */
function textOf(value: EcsValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isPlainObject(value)) return textOf(ownValue(value, '#text'));
  return undefined;
}

/** An XML attribute as JSON converters write it: evtx_dump `#attributes.Name`, xmltodict `@Name`. */
function attr(node: EcsValue | undefined, name: string): EcsValue | undefined {
  if (!isPlainObject(node)) return undefined;
  const attrs = ownValue(node, '#attributes');
  if (isPlainObject(attrs)) {
    const v = ownValue(attrs, name);
    if (v !== undefined) return v;
  }
  return ownValue(node, '@' + name) ?? ownValue(node, name);
}

/** Event-data values as Winlogbeat keeps them: text; nulls dropped; lists of scalars as lists of text. */
function dataValue(value: EcsValue | undefined): EcsValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const list: string[] = [];
    for (const v of value) {
      const t = textOf(v);
      if (t !== undefined) list.push(t);
    }
    return list;
  }
  if (isPlainObject(value)) return ownValue(value, '#text') !== undefined ? dataValue(ownValue(value, '#text')) : value;
  return textOf(value);
}

function putData(target: EcsObject, name: string, value: EcsValue | undefined): void {
  const v = dataValue(value);
  if (v !== undefined) setOwn(target, name, v);
}

/**
 * `<EventData>` as converted to JSON: a map of names (evtx_dump), or `Data` elements with a `Name`
 * attribute (xmltodict), or unnamed `Data` (classic events), named `param1`, `param2` … as Winlogbeat does.
 */
function readEventData(node: EcsValue | undefined): EcsObject {
  const out: EcsObject = {};
  if (!isPlainObject(node)) return out;
  const data = ownValue(node, 'Data');
  const listed = data !== undefined && (Array.isArray(data) || isPlainObject(data) || Object.keys(node).length === 1);
  if (listed) {
    const items = Array.isArray(data) ? data : [data];
    let unnamed = 0;
    for (const item of items) {
      const name = textOf(attr(item, 'Name'));
      if (name !== undefined) putData(out, name, isPlainObject(item) ? ownValue(item, '#text') : undefined);
      else if (isPlainObject(item) && Array.isArray(ownValue(item, '#text'))) {
        for (const v of ownValue(item, '#text') as EcsValue[]) putData(out, `param${++unnamed}`, v);
      } else putData(out, `param${++unnamed}`, item);
    }
  }
  for (const key of Object.keys(node)) {
    if ((listed && key === 'Data') || key === '#attributes' || key.startsWith('@')) continue;
    putData(out, key, node[key]);
  }
  return out;
}

/** `<UserData>`: one element whose children are the data; Winlogbeat adds its name as `xml_name`. */
function readUserData(node: EcsValue | undefined): EcsObject | undefined {
  if (!isPlainObject(node)) return undefined;
  const names = Object.keys(node).filter((k) => k !== '#attributes' && !k.startsWith('@'));
  const name = names[0];
  if (name === undefined) return undefined;
  const out = readEventData(node[name]);
  out.xml_name = name;
  return out;
}

/** `Level` as ECS `log.level`; `Task`, `Opcode`, `Keywords`, `Version` under `winlog.*` as text. */
function systemExtras(system: EcsObject): EcsObject {
  const extra: EcsObject = {};
  const level = textOf(ownValue(system, 'Level'));
  if (level !== undefined) extra['log.level'] = LEVELS[level] ?? level.toLowerCase();
  for (const [key, field] of SYSTEM_FIELDS) {
    const v = textOf(ownValue(system, key));
    if (v !== undefined) extra[field] = v;
  }
  return extra;
}

const SYSTEM_FIELDS = [['Task', 'winlog.task'], ['Opcode', 'winlog.opcode'], ['Keywords', 'winlog.keywords'], ['Version', 'winlog.version']] as const;

function fromWinlogbeat(doc: EcsObject): WindowsRecord | Malformed {
  const out = expandDottedKeys(doc, 'windows');
  if (out instanceof Malformed) return out;
  const winlog = ownValue(out, 'winlog');
  if (!isPlainObject(winlog)) return new Malformed('windows: winlog must be an object');
  const event = ownValue(out, 'event');
  if (event !== undefined && !isPlainObject(event)) return new Malformed('windows: event must be an object');
  const host = ownValue(out, 'host');
  const eventData: EcsObject = {};
  const rawData = ownValue(winlog, 'event_data');
  if (isPlainObject(rawData)) for (const key of Object.keys(rawData)) putData(eventData, key, rawData[key]);
  return {
    out,
    eventId: ownValue(winlog, 'event_id') ?? (event === undefined ? undefined : ownValue(event, 'code')),
    channel: textOf(ownValue(winlog, 'channel')),
    provider: textOf(ownValue(winlog, 'provider_name')) ?? (event === undefined ? undefined : textOf(ownValue(event, 'provider'))),
    computer: textOf(ownValue(winlog, 'computer_name')) ?? (isPlainObject(host) ? textOf(ownValue(host, 'name')) : undefined),
    recordId: textOf(ownValue(winlog, 'record_id')),
    time: ownValue(out, '@timestamp'),
    eventData,
    extra: {},
  };
}

function fromEvtx(eventNode: EcsObject): WindowsRecord | Malformed {
  const system = ownValue(eventNode, 'System');
  if (!isPlainObject(system)) return new Malformed('windows: Event.System must be an object');
  const extra = systemExtras(system);
  const execution = ownValue(system, 'Execution');
  const pid = Number(textOf(attr(execution, 'ProcessID')));
  if (Number.isInteger(pid)) extra['winlog.process.pid'] = pid;
  const tid = Number(textOf(attr(execution, 'ThreadID')));
  if (Number.isInteger(tid)) extra['winlog.process.thread.id'] = tid;
  const sid = textOf(attr(ownValue(system, 'Security'), 'UserID'));
  if (sid !== undefined) extra['winlog.user.identifier'] = sid;
  const userData = readUserData(ownValue(eventNode, 'UserData'));
  if (userData !== undefined) extra['winlog.user_data'] = userData;
  const provider = ownValue(system, 'Provider');
  return {
    out: {},
    eventId: ownValue(system, 'EventID'),
    channel: textOf(ownValue(system, 'Channel')),
    provider: textOf(attr(provider, 'Name')) ?? textOf(attr(provider, 'EventSourceName')),
    computer: textOf(ownValue(system, 'Computer')),
    recordId: textOf(ownValue(system, 'EventRecordID')),
    time: attr(ownValue(system, 'TimeCreated'), 'SystemTime'),
    eventData: readEventData(ownValue(eventNode, 'EventData')),
    extra,
  };
}

/** Keys of the flat shape that describe the record rather than carry event data. */
const FLAT_SYSTEM_KEYS = new Set([
  'EventID', 'EventId', 'Id', 'Channel', 'LogName', 'Computer', 'MachineName', 'Hostname', 'Provider_Name',
  'ProviderName', 'Provider', 'SourceName', 'EventRecordID', 'RecordId', 'RecordNumber', 'TimeCreated',
  'SystemTime', 'TimeGenerated', '@timestamp', 'Level', 'LevelDisplayName', 'Task', 'TaskDisplayName', 'Opcode',
  'OpcodeDisplayName', 'Keywords', 'KeywordsDisplayNames', 'Version', 'Message', 'Properties',
]);

function first(doc: EcsObject, keys: readonly string[]): EcsValue | undefined {
  for (const key of keys) {
    const v = ownValue(doc, key);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

function fromFlat(doc: EcsObject): WindowsRecord {
  const eventData: EcsObject = {};
  for (const key of Object.keys(doc)) if (!FLAT_SYSTEM_KEYS.has(key)) putData(eventData, key, doc[key]);
  const extra = systemExtras(doc);
  const message = textOf(ownValue(doc, 'Message'));
  if (message !== undefined) extra.message = message;
  const created = ownValue(doc, 'TimeCreated');
  const provider = ownValue(doc, 'Provider');
  return {
    out: {},
    eventId: first(doc, ['EventID', 'EventId', 'Id']),
    channel: textOf(first(doc, ['Channel', 'LogName'])),
    provider: textOf(first(doc, ['Provider_Name', 'ProviderName', 'SourceName'])) ?? textOf(attr(provider, 'Name')) ?? textOf(provider),
    computer: textOf(first(doc, ['Computer', 'MachineName', 'Hostname'])),
    recordId: textOf(first(doc, ['EventRecordID', 'RecordId', 'RecordNumber'])),
    time: isPlainObject(created) ? attr(created, 'SystemTime') : (created ?? first(doc, ['SystemTime', 'TimeGenerated', '@timestamp'])),
    eventData,
    extra,
  };
}

/** `winlog.event_id` as text: an integer 0–65535 given as a number, numeric text or `{"#text":…}`. */
function eventIdText(value: EcsValue | undefined): string | Malformed {
  const text = textOf(value);
  if (text === undefined) return new Malformed('windows: EventID is missing');
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) return new Malformed(`windows: EventID ${JSON.stringify(text)} is not an event number`);
  return String(n);
}

/** Epoch ms of a Windows time value: ISO 8601, epoch, or .NET JSON `/Date(ms)/` (PowerShell ConvertTo-Json). */
function timeOf(value: EcsValue, offset: number): number {
  if (typeof value === 'string' && value.startsWith('/Date(')) {
    const end = value.indexOf(')');
    const digits = value.slice(6, end);
    const sign = digits.search(/[+-]\d{4}$/); // the optional offset only says how to display the instant
    const ms = Number(sign > 0 ? digits.slice(0, sign) : digits);
    return end > 6 && Number.isInteger(ms) ? ms : NaN;
  }
  return parseTimeValue(value, offset);
}

/** ECS dataset of a channel: `Security` → `windows.security`, `Microsoft-Windows-Sysmon/Operational` → `windows.sysmon_operational`. */
export function datasetOfChannel(channel: string | undefined): string {
  if (channel === undefined || channel === '') return 'windows.eventlog';
  let name = channel.toLowerCase();
  if (name.startsWith('microsoft-windows-')) name = name.slice(18);
  name = name.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return 'windows.' + (name === '' ? 'eventlog' : name);
}

function child(parent: EcsObject, key: string): EcsObject {
  const node = ownValue(parent, key);
  if (isPlainObject(node)) return node;
  const created: EcsObject = {};
  parent[key] = created;
  return created;
}

function setIfAbsent(obj: EcsObject, key: string, value: EcsValue | undefined): void {
  if (value !== undefined && ownValue(obj, key) === undefined) obj[key] = value;
}

function normaliseWindows(record: RawRecord, ctx: NormaliseContext): NormaliseResult {
  const doc = readJsonObject(record, 'windows');
  if (doc instanceof Malformed) return doc;
  const eventNode = ownValue(doc, 'Event');
  let rec: WindowsRecord | Malformed;
  if (isPlainObject(eventNode) && ownValue(eventNode, 'System') !== undefined) rec = fromEvtx(eventNode);
  else if (ownValue(doc, 'winlog') !== undefined || Object.keys(doc).some((k) => k.startsWith('winlog.'))) rec = fromWinlogbeat(doc);
  else if (first(doc, ['EventID', 'EventId']) !== undefined || (ownValue(doc, 'Id') !== undefined && first(doc, ['LogName', 'ProviderName']) !== undefined)) rec = fromFlat(doc);
  else return new Malformed('windows: no winlog.event_id, Event.System or EventID');
  if (rec instanceof Malformed) return rec;

  const eventId = eventIdText(rec.eventId);
  if (eventId instanceof Malformed) return eventId;
  let ms = ctx.receivedAt;
  if (rec.time !== undefined && rec.time !== null) {
    ms = timeOf(rec.time, ctx.tzOffsetMinutes);
    if (Number.isNaN(ms)) return new Malformed(`windows: time ${JSON.stringify(rec.time)} is not an ISO 8601 time or a Unix epoch`);
  }
  const iso = isoFromMs(ms);
  if (iso === undefined) return new Malformed(`windows: time ${JSON.stringify(rec.time)} is out of range`);

  const out = rec.out;
  out['@timestamp'] = iso;
  const winlog = child(out, 'winlog');
  winlog.event_id = eventId;
  setIfAbsent(winlog, 'channel', rec.channel);
  setIfAbsent(winlog, 'provider_name', rec.provider);
  setIfAbsent(winlog, 'computer_name', rec.computer);
  if (rec.recordId !== undefined) winlog.record_id = rec.recordId;
  if (Object.keys(rec.eventData).length > 0) winlog.event_data = rec.eventData;
  for (const key of Object.keys(rec.extra)) {
    const path = key.split('.');
    let node = out;
    for (let i = 0; i < path.length - 1; i++) node = child(node, path[i] as string);
    setIfAbsent(node, path[path.length - 1] as string, rec.extra[key]);
  }

  const event = child(out, 'event');
  setIfAbsent(event, 'kind', 'event');
  event.code = eventId;
  setIfAbsent(event, 'provider', rec.provider);
  event.module = 'windows';
  event.dataset = datasetOfChannel(rec.channel);
  if (rec.computer !== undefined) setIfAbsent(child(out, 'host'), 'name', rec.computer);

  applyWindowsEcs(out, { eventId, channel: rec.channel, provider: rec.provider }, rec.eventData);
  return out as EcsEvent;
}

export const windowsNormaliser: Normaliser = { format: 'windows', normalise: normaliseWindows };
