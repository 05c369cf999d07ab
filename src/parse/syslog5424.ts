/**
 * @module parse/syslog5424
 * The `syslog5424` normaliser: RFC 5424 syslog (§6: `<PRI>VERSION SP TIMESTAMP SP HOSTNAME SP
 * APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]`) to ECS `log.syslog.*`, `host.hostname`,
 * `process.name`/`pid` and `message`, with `event.severity` the syslog severity code. sshd and sudo
 * messages also get authentication/process categorisation (see `auth-log`).
 */
import type { EcsEvent } from '../core/event.js';
import { annotateAuthLog } from './auth-log.js';
import type { NormaliseContext, Normaliser, NormaliseResult, RawRecord } from './normaliser.js';
import { Malformed } from './normaliser.js';
import { applySyslogHeader, messageFrom, scanSyslog5424Header } from './syslog-header.js';
import { isoFromMs } from './timestamp.js';

const LABEL = 'syslog5424';

function normalise(record: RawRecord, ctx: NormaliseContext): NormaliseResult {
  const text = record.text;
  if (text.length === 0) return new Malformed(`${LABEL}: empty line`);
  const header = scanSyslog5424Header(text, LABEL, ctx.tzOffsetMinutes);
  if (header instanceof Malformed) return header;
  // §6.2.3: NILVALUE when the originator has no clock; the arrival time is the best we have.
  const timestamp = isoFromMs(Number.isNaN(header.timestamp) ? ctx.receivedAt : header.timestamp);
  if (timestamp === undefined) return new Malformed(`${LABEL}: TIMESTAMP outside years 0000–9999`);
  const event: EcsEvent = {
    '@timestamp': timestamp,
    event: { kind: 'event', module: 'syslog', dataset: 'syslog' },
  };
  applySyslogHeader(event, header, true);
  const message = messageFrom(text, header.msgStart);
  if (message !== undefined) event.message = message;
  annotateAuthLog(event, header.appname, message);
  return event;
}

export const syslog5424Normaliser: Normaliser = { format: 'syslog5424', normalise };
