/**
 * @module parse/syslog3164
 * The `syslog3164` normaliser: BSD syslog as RFC 3164 §4.1 describes it (`<PRI>Mmm dd hh:mm:ss
 * HOSTNAME TAG[pid]: MSG`) and as devices send it: no HOSTNAME, an RFC 3339 timestamp, no PRI
 * (lines relayed from files). The year comes from the arrival time (moved back a year when that
 * would put the event days in the future) and the zone from the sensor's offset. Same ECS fields
 * as `syslog5424`; sshd and sudo messages also get authentication/process fields (`auth-log`).
 */
import type { EcsEvent } from '../core/event.js';
import { annotateAuthLog } from './auth-log.js';
import type { NormaliseContext, Normaliser, NormaliseResult, RawRecord } from './normaliser.js';
import { Malformed } from './normaliser.js';
import { applySyslogHeader, messageFrom, scanBsdHeader } from './syslog-header.js';
import { isoFromMs } from './timestamp.js';

const LABEL = 'syslog3164';

function normalise(record: RawRecord, ctx: NormaliseContext): NormaliseResult {
  const text = record.text;
  if (text.length === 0) return new Malformed(`${LABEL}: empty line`);
  const header = scanBsdHeader(text, LABEL, ctx, -1);
  if (header instanceof Malformed) return header;
  const timestamp = isoFromMs(Number.isNaN(header.timestamp) ? ctx.receivedAt : header.timestamp);
  if (timestamp === undefined) return new Malformed(`${LABEL}: TIMESTAMP outside years 0000–9999`);
  const message = messageFrom(text, header.msgStart);
  if (message === undefined && header.hostname === undefined && header.appname === undefined) {
    return new Malformed(`${LABEL}: no HOSTNAME, TAG or MSG after the TIMESTAMP (RFC 3164 §4.1)`);
  }
  const event: EcsEvent = {
    '@timestamp': timestamp,
    event: { kind: 'event', module: 'syslog', dataset: 'syslog' },
  };
  applySyslogHeader(event, header, true);
  if (message !== undefined) event.message = message;
  annotateAuthLog(event, header.appname, message);
  return event;
}

export const syslog3164Normaliser: Normaliser = { format: 'syslog3164', normalise };
