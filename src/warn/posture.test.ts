import { describe, expect, it } from 'vitest';
import type { AlertSeverity } from '../core/model.js';
import type { Measures } from './measures.js';
import { postureOf, postureTermIds, postureWeights } from './posture.js';

const durations = { count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null };
const none = { count: 0, items: [] };
const refs = (n: number) => ({ count: n, items: [] });

/** Measures with nothing in them; each test sets what it scores. */
function measures(patch: {
  ack?: [inTime: number, missed: number];
  rem?: [inTime: number, missed: number];
  overdue?: [due: number, ack: number, rem: number];
  open?: Partial<Record<AlertSeverity, number>>;
  systems?: [systems: number, reporting: number, withoutSensor: number, silent: number];
  unapproved?: number;
  budget?: [known: number, below: number];
} = {}): Measures {
  const [ackIn, ackMissed] = patch.ack ?? [0, 0];
  const [remIn, remMissed] = patch.rem ?? [0, 0];
  const [due, overdueAck, overdueRem] = patch.overdue ?? [0, 0, 0];
  const [systems, reporting, withoutSensor, silent] = patch.systems ?? [0, 0, 0, 0];
  const [known, below] = patch.budget ?? [0, 0];
  return {
    warnings: {
      received: ackIn + ackMissed, acknowledged: ackIn, acknowledgedInTime: ackIn, missedAckDeadline: ackMissed,
      shareAcknowledgedInTime: ackIn + ackMissed === 0 ? null : ackIn / (ackIn + ackMissed), timeToAcknowledge: durations,
      remediated: remIn, remediatedInTime: remIn, missedRemediationDeadline: remMissed,
      shareRemediatedInTime: remIn + remMissed === 0 ? null : remIn / (remIn + remMissed), timeToRemediate: durations,
    },
    overdue: { due, acknowledgement: overdueAck, remediation: overdueRem, items: none },
    incidents: {
      open: Object.values(patch.open ?? {}).reduce((a, b) => a + b, 0),
      openBySeverity: { informational: 0, low: 0, medium: 0, high: 0, critical: 0, ...patch.open },
      created: 0, timeToAcknowledge: durations, timeToResolve: durations,
    },
    coverage: { systems, reporting, shareReporting: systems === 0 ? null : reporting / systems, withoutSensor: refs(withoutSensor), silent: refs(silent) },
    securityPlanUnapproved: refs(patch.unapproved ?? 0),
    securityBudget: { known, belowMinimum: refs(below) },
  };
}

describe('posture score', () => {
  it('has weights that add up to 100, one per term', () => {
    expect(postureTermIds.reduce((sum, id) => sum + postureWeights[id], 0)).toBe(100);
  });

  it('scores each term from its value and weight, and sums the points', () => {
    const p = postureOf('hn', measures({
      ack: [2, 2], rem: [2, 0], overdue: [6, 2, 1], open: { critical: 1, high: 1, low: 5 }, systems: [4, 2, 1, 1], unapproved: 2, budget: [2, 1],
    }));
    const byTerm = Object.fromEntries(p.terms.map((t) => [t.term, t]));
    expect(p.terms.map((t) => t.term)).toEqual([...postureTermIds]);
    expect(byTerm['acknowledged-in-time']).toMatchObject({ value: 0.5, weight: 20, points: 10, data: true });
    expect(byTerm['remediated-in-time']).toMatchObject({ value: 1, weight: 15, points: 15, data: true });
    expect(byTerm['overdue']).toMatchObject({ value: 0.5, weight: 15, points: 7.5, data: true });
    // critical 4 + high 2; low costs nothing
    expect(byTerm['open-incidents']).toMatchObject({ value: 6, weight: 10, points: 4, data: true });
    expect(byTerm['sensor-coverage']).toMatchObject({ value: 0.5, weight: 20, points: 10 });
    expect(byTerm['security-plan']).toMatchObject({ value: 0.5, weight: 12, points: 6 });
    expect(byTerm['security-budget']).toMatchObject({ value: 0.5, weight: 8, points: 4 });
    expect(p).toMatchObject({ orgId: 'hn', basis: 'subtree', score: 57 }); // 56.5 rounded
  });

  it('explains each term in Vietnamese and English, with what it cost', () => {
    const p = postureOf('hn', measures({ ack: [3, 1], systems: [4, 2, 1, 1], open: { critical: 1 }, budget: [2, 1] }));
    const byTerm = Object.fromEntries(p.terms.map((t) => [t.term, t]));
    expect(byTerm['acknowledged-in-time']?.explanation).toEqual({
      vi: '3/4 lượt nhận cảnh báo được xác nhận đúng hạn (75%); mỗi lượt xác nhận trễ hoặc không xác nhận làm mất phần tương ứng của 20 điểm: −5.',
      en: '3 of 4 warning recipients acknowledged by the deadline (75%); each late or missing acknowledgement costs its share of 20 points: −5.',
    });
    expect(byTerm['sensor-coverage']?.explanation.en).toBe('2 of 4 registered systems have a sensor that sent events in the last 24 h (50%); 1 without a sensor, 1 whose sensors sent nothing; each unwatched system costs its share of 20 points: −10.');
    expect(byTerm['sensor-coverage']?.explanation.vi).toMatch(/^2\/4 hệ thống có cảm biến gửi sự kiện trong 24 giờ qua/);
    expect(byTerm['open-incidents']?.explanation.en).toBe('1 critical, 0 high and 0 medium incidents are open; each critical costs 4 points, high 2, medium 1, at most 10: −4.');
    expect(byTerm['open-incidents']?.explanation.vi).toMatch(/Đang mở 1 sự cố nghiêm trọng/);
    expect(byTerm['security-budget']?.explanation.en).toBe('1 of 2 systems with a known budget spend under 10% of it on security; each costs its share of 8 points: −4.');
    for (const t of p.terms) {
      expect(t.label.vi.length).toBeGreaterThan(0);
      expect(t.label.en.length).toBeGreaterThan(0);
      expect(t.explanation.vi).not.toBe(t.explanation.en);
    }
  });

  it('does not penalise an organisation for terms it has no data for, and says so', () => {
    const p = postureOf('new-agency', measures());
    expect(p.score).toBe(100);
    const noData = p.terms.filter((t) => !t.data);
    expect(noData.map((t) => t.term)).toEqual(['acknowledged-in-time', 'remediated-in-time', 'overdue', 'sensor-coverage', 'security-plan', 'security-budget']);
    for (const t of noData) {
      expect(t).toMatchObject({ value: null, points: t.weight });
      expect(t.explanation.en).toMatch(/no data, not penalised\.$/);
      expect(t.explanation.vi).toMatch(/không có dữ liệu, không bị trừ điểm\.$/);
    }
    // zero open incidents is a measurement, not a lack of one
    expect(p.terms.find((t) => t.term === 'open-incidents')).toMatchObject({ data: true, value: 0, points: 10 });
  });

  it('keeps the budget term whole when systems exist but no budget is known', () => {
    const p = postureOf('hp', measures({ systems: [3, 3, 0, 0], budget: [0, 0] }));
    expect(p.terms.find((t) => t.term === 'security-budget')).toMatchObject({ data: false, points: 8 });
    expect(p.terms.find((t) => t.term === 'security-plan')).toMatchObject({ data: true, value: 1, points: 12 });
  });

  it('floors the incident term at zero and the score within 0–100', () => {
    const worst = postureOf('x', measures({ ack: [0, 5], rem: [0, 5], overdue: [10, 5, 5], open: { critical: 9 }, systems: [2, 0, 1, 1], unapproved: 2, budget: [2, 2] }));
    expect(worst.terms.find((t) => t.term === 'open-incidents')).toMatchObject({ value: 36, points: 0 });
    expect(worst.score).toBe(0);
  });

  it('names the silence window it was measured with', () => {
    const p = postureOf('hn', measures({ systems: [1, 0, 0, 1] }), { silenceHours: 48 });
    expect(p.terms.find((t) => t.term === 'sensor-coverage')?.explanation.en).toMatch(/in the last 48 h/);
  });
});
