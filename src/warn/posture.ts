/**
 * @module warn/posture
 * A posture score per organisation, 0–100, from its subtree's measures (warn/measures): an
 * organisation answers for the units below it. Each term has a weight (the points it can cost) and
 * is explained on its own — its value, its weight, the points kept, and a sentence in Vietnamese
 * and English saying why it costs what it costs. The score is the sum of the points kept.
 *
 * | term                   | weight | points kept                                                           |
 * | ---------------------- | -----: | --------------------------------------------------------------------- |
 * | `acknowledged-in-time` |     20 | × share of warnings acknowledged by their deadline                    |
 * | `remediated-in-time`   |     15 | × share of warnings remediated by their deadline                      |
 * | `overdue`              |     15 | × (1 − share of passed deadlines still outstanding now)               |
 * | `open-incidents`       |     10 | − 4 per open critical, 2 per high, 1 per medium incident (floor 0)    |
 * | `sensor-coverage`      |     20 | × share of systems whose sensors sent events in the silence window    |
 * | `security-plan`        |     12 | × share of systems with an approved security plan                     |
 * | `security-budget`      |      8 | × share of systems (budget known) spending at least 10% on security  |
 *
 * A term without data (no deadline reached, no system registered, no budget known) keeps its whole
 * weight: an organisation is not penalised for what cannot be measured, and the explanation says so.
 */
import type { Measures } from './measures.js';
import type { LocalisedText } from './notification.js';

export const postureTermIds = ['acknowledged-in-time', 'remediated-in-time', 'overdue', 'open-incidents', 'sensor-coverage', 'security-plan', 'security-budget'] as const;
export type PostureTermId = (typeof postureTermIds)[number];

export const postureWeights: Readonly<Record<PostureTermId, number>> = {
  'acknowledged-in-time': 20,
  'remediated-in-time': 15,
  overdue: 15,
  'open-incidents': 10,
  'sensor-coverage': 20,
  'security-plan': 12,
  'security-budget': 8,
};

/** Points an open incident costs, by severity (lower severities cost nothing). */
export const incidentCost = { critical: 4, high: 2, medium: 1 } as const;

export interface PostureTerm {
  term: PostureTermId;
  label: LocalisedText;
  /** The measured value: a share 0–1, or for `open-incidents` the weighted count; null without data. */
  value: number | null;
  weight: number;
  /** Points kept, 0–weight, to one decimal. */
  points: number;
  /** False: nothing to measure, the whole weight kept. */
  data: boolean;
  explanation: LocalisedText;
}

export interface Posture {
  orgId: string;
  /** 0–100: the sum of the terms' points, rounded. */
  score: number;
  /** The measures scored: the organisation's subtree. */
  basis: 'subtree';
  terms: PostureTerm[];
}

const labels: Readonly<Record<PostureTermId, LocalisedText>> = {
  'acknowledged-in-time': { vi: 'Xác nhận cảnh báo đúng hạn', en: 'Warnings acknowledged in time' },
  'remediated-in-time': { vi: 'Khắc phục đúng hạn', en: 'Warnings remediated in time' },
  overdue: { vi: 'Việc quá hạn', en: 'Overdue items' },
  'open-incidents': { vi: 'Sự cố chưa xử lý xong', en: 'Open incidents' },
  'sensor-coverage': { vi: 'Giám sát các hệ thống', en: 'Sensor coverage of systems' },
  'security-plan': { vi: 'Phương án bảo đảm an toàn được phê duyệt', en: 'Approved security plans' },
  'security-budget': { vi: 'Kinh phí bảo đảm an toàn thông tin', en: 'Security budget' },
};

const round1 = (n: number): number => Math.round(n * 10) / 10;
const pct = (share: number): string => `${Math.round(share * 1000) / 10}%`;

function term(id: PostureTermId, value: number | null, kept: number, explanation: LocalisedText): PostureTerm {
  const weight = postureWeights[id];
  return { term: id, label: labels[id], value, weight, points: round1(Math.min(weight, Math.max(0, kept))), data: value !== null, explanation };
}

/** A term scored as `weight × share`, or its whole weight without data. */
function shareTerm(id: PostureTermId, shareKept: number | null, explain: (lost: number) => LocalisedText, noData: LocalisedText): PostureTerm {
  const weight = postureWeights[id];
  if (shareKept === null) return term(id, null, weight, noData);
  const kept = round1(weight * shareKept);
  return term(id, shareKept, kept, explain(round1(weight - kept)));
}

export function postureOf(orgId: string, m: Measures, options: { silenceHours?: number } = {}): Posture {
  const hours = options.silenceHours ?? 24;
  const w = m.warnings;
  const terms: PostureTerm[] = [];

  const ackBase = w.acknowledgedInTime + w.missedAckDeadline;
  terms.push(shareTerm('acknowledged-in-time', w.shareAcknowledgedInTime, (lost) => ({
    vi: `${w.acknowledgedInTime}/${ackBase} lượt nhận cảnh báo được xác nhận đúng hạn (${pct(w.shareAcknowledgedInTime ?? 0)}); mỗi lượt xác nhận trễ hoặc không xác nhận làm mất phần tương ứng của ${postureWeights['acknowledged-in-time']} điểm: −${lost}.`,
    en: `${w.acknowledgedInTime} of ${ackBase} warning recipients acknowledged by the deadline (${pct(w.shareAcknowledgedInTime ?? 0)}); each late or missing acknowledgement costs its share of ${postureWeights['acknowledged-in-time']} points: −${lost}.`,
  }), {
    vi: 'Trong kỳ chưa có cảnh báo nào được xác nhận hoặc đã quá hạn xác nhận: không có dữ liệu, không bị trừ điểm.',
    en: 'No warning in the period has been acknowledged or passed its acknowledgement deadline: no data, not penalised.',
  }));

  const remBase = w.remediatedInTime + w.missedRemediationDeadline;
  terms.push(shareTerm('remediated-in-time', w.shareRemediatedInTime, (lost) => ({
    vi: `${w.remediatedInTime}/${remBase} lượt nhận cảnh báo đã khắc phục đúng hạn (${pct(w.shareRemediatedInTime ?? 0)}); mỗi lượt khắc phục trễ hoặc chưa khắc phục khi đã quá hạn làm mất phần tương ứng của ${postureWeights['remediated-in-time']} điểm: −${lost}.`,
    en: `${w.remediatedInTime} of ${remBase} warning recipients remediated by the deadline (${pct(w.shareRemediatedInTime ?? 0)}); each remediation late or still missing past its deadline costs its share of ${postureWeights['remediated-in-time']} points: −${lost}.`,
  }), {
    vi: 'Trong kỳ chưa có cảnh báo nào được khắc phục hoặc đã quá hạn khắc phục: không có dữ liệu, không bị trừ điểm.',
    en: 'No warning in the period has been remediated or passed its remediation deadline: no data, not penalised.',
  }));

  const o = m.overdue;
  const outstanding = o.acknowledgement + o.remediation;
  terms.push(shareTerm('overdue', o.due === 0 ? null : 1 - outstanding / o.due, (lost) => ({
    vi: `${outstanding}/${o.due} việc đã đến hạn vẫn chưa xong (${o.acknowledgement} chưa xác nhận, ${o.remediation} chưa khắc phục); phần việc quá hạn làm mất phần tương ứng của ${postureWeights.overdue} điểm: −${lost}.`,
    en: `${outstanding} of ${o.due} items past their deadline are still outstanding (${o.acknowledgement} unacknowledged, ${o.remediation} unremediated); the share outstanding costs the same share of ${postureWeights.overdue} points: −${lost}.`,
  }), {
    vi: 'Chưa có hạn xác nhận hay khắc phục nào đã qua: không có dữ liệu, không bị trừ điểm.',
    en: 'No acknowledgement or remediation deadline has passed yet: no data, not penalised.',
  }));

  const open = m.incidents.openBySeverity;
  const cost = incidentCost.critical * open.critical + incidentCost.high * open.high + incidentCost.medium * open.medium;
  const incidentWeight = postureWeights['open-incidents'];
  terms.push(term('open-incidents', cost, incidentWeight - cost, cost === 0
    ? { vi: 'Không có sự cố mức trung bình trở lên đang mở: không bị trừ điểm.', en: 'No open incident of medium severity or above: nothing lost.' }
    : {
      vi: `Đang mở ${open.critical} sự cố nghiêm trọng, ${open.high} cao, ${open.medium} trung bình; mỗi sự cố nghiêm trọng trừ ${incidentCost.critical} điểm, cao ${incidentCost.high}, trung bình ${incidentCost.medium}, tối đa ${incidentWeight}: −${Math.min(incidentWeight, cost)}.`,
      en: `${open.critical} critical, ${open.high} high and ${open.medium} medium incidents are open; each critical costs ${incidentCost.critical} points, high ${incidentCost.high}, medium ${incidentCost.medium}, at most ${incidentWeight}: −${Math.min(incidentWeight, cost)}.`,
    }));

  const c = m.coverage;
  terms.push(shareTerm('sensor-coverage', c.shareReporting, (lost) => ({
    vi: `${c.reporting}/${c.systems} hệ thống có cảm biến gửi sự kiện trong ${hours} giờ qua (${pct(c.shareReporting ?? 0)}); ${c.withoutSensor.count} hệ thống chưa có cảm biến, ${c.silent.count} hệ thống không gửi gì; mỗi hệ thống không được giám sát làm mất phần tương ứng của ${postureWeights['sensor-coverage']} điểm: −${lost}.`,
    en: `${c.reporting} of ${c.systems} registered systems have a sensor that sent events in the last ${hours} h (${pct(c.shareReporting ?? 0)}); ${c.withoutSensor.count} without a sensor, ${c.silent.count} whose sensors sent nothing; each unwatched system costs its share of ${postureWeights['sensor-coverage']} points: −${lost}.`,
  }), {
    vi: 'Chưa đăng ký hệ thống thông tin nào: không có dữ liệu, không bị trừ điểm.',
    en: 'No information system is registered: no data, not penalised.',
  }));

  const unapproved = m.securityPlanUnapproved.count;
  terms.push(shareTerm('security-plan', c.systems === 0 ? null : 1 - unapproved / c.systems, (lost) => ({
    vi: `${unapproved}/${c.systems} hệ thống chưa có phương án bảo đảm an toàn hệ thống thông tin được phê duyệt; mỗi hệ thống làm mất phần tương ứng của ${postureWeights['security-plan']} điểm: −${lost}.`,
    en: `${unapproved} of ${c.systems} systems have no approved security plan; each costs its share of ${postureWeights['security-plan']} points: −${lost}.`,
  }), {
    vi: 'Chưa đăng ký hệ thống thông tin nào: không có dữ liệu, không bị trừ điểm.',
    en: 'No information system is registered: no data, not penalised.',
  }));

  const b = m.securityBudget;
  terms.push(shareTerm('security-budget', b.known === 0 ? null : 1 - b.belowMinimum.count / b.known, (lost) => ({
    vi: `${b.belowMinimum.count}/${b.known} hệ thống có số liệu kinh phí dành dưới 10% kinh phí dự án cho bảo đảm an toàn thông tin; mỗi hệ thống làm mất phần tương ứng của ${postureWeights['security-budget']} điểm: −${lost}.`,
    en: `${b.belowMinimum.count} of ${b.known} systems with a known budget spend under 10% of it on security; each costs its share of ${postureWeights['security-budget']} points: −${lost}.`,
  }), {
    vi: 'Chưa hệ thống nào khai báo đủ tổng kinh phí và kinh phí bảo đảm an toàn: không có dữ liệu, không bị trừ điểm.',
    en: 'No system has both its total and its security budget recorded: no data, not penalised.',
  }));

  const score = Math.round(terms.reduce((sum, t) => sum + t.points, 0));
  return { orgId, score: Math.min(100, Math.max(0, score)), basis: 'subtree', terms };
}
