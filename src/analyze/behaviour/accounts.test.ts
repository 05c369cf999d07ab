/**
 * An established account's first admin section and first country fire once; while it is learning,
 * they are learned silently.
 */
import { describe, expect, it } from 'vitest';
import { BehaviourEngine } from './engine.js';
import { authEvent, localTimeMs, replay, webEvent, type WebEventSpec } from './streams.js';

const orgId = 'org-hanoi';
const domain = 'dichvucong.hanoi.gov.vn';

/** A clerk's working days: records and reports, from the office, in Vietnam. */
function workingDays(user: string, dates: readonly string[]): ReturnType<typeof webEvent>[] {
  return dates.flatMap((date) =>
    Array.from({ length: 6 }, (_, i) => {
      const spec: WebEventSpec = { timeMs: localTimeMs(date, 8 + i), orgId, ip: '203.162.10.21', domain, path: i % 2 === 0 ? `/quan-tri/ho-so/${3_000_000 + i}` : '/quan-tri/bao-cao', status: 200, bytes: 12_000, user, country: 'VN' };
      return webEvent(spec);
    }),
  );
}

describe('new admin path', () => {
  it('fires once for an established account entering a new admin section, not for pages of known sections', () => {
    const engine = new BehaviourEngine();
    expect(replay(engine, workingDays('canbo.le.van.hung', ['2026-03-02', '2026-03-03', '2026-03-04']))).toEqual([]);
    const at = localTimeMs('2026-03-05', 9);
    const day4 = [
      webEvent({ timeMs: at, orgId, ip: '203.162.10.21', domain, path: '/quan-tri/ho-so/3000999/duyet', method: 'POST', status: 200, bytes: 900, user: 'canbo.le.van.hung', country: 'VN' }),
      webEvent({ timeMs: at + 1000, orgId, ip: '203.162.10.21', domain, path: '/quan-tri/cau-hinh/he-thong', status: 200, bytes: 9_000, user: 'canbo.le.van.hung', country: 'VN' }),
      webEvent({ timeMs: at + 2000, orgId, ip: '203.162.10.21', domain, path: '/quan-tri/cau-hinh/he-thong', status: 200, bytes: 9_000, user: 'canbo.le.van.hung', country: 'VN' }),
      webEvent({ timeMs: at + 3000, orgId, ip: '203.162.10.21', domain, path: '/quan-tri/cau-hinh/sao-luu', status: 403, bytes: 500, user: 'canbo.le.van.hung', country: 'VN' }),
    ];
    const findings = replay(engine, day4);
    expect(findings.map((f) => [f.kind, f.subject, f.severity])).toEqual([['new-admin-path', 'user:canbo.le.van.hung|/quan-tri/cau-hinh', 'low']]);
    expect(findings[0]?.summary).toBe('Account canbo.le.van.hung used admin section /quan-tri/cau-hinh for the first time (2 sections known)');
  });

  it('learns admin sections silently while the account is new; an account that never administered anything is medium', () => {
    const engine = new BehaviourEngine();
    const visit = (user: string, date: string, hour: number, path: string) => webEvent({ timeMs: localTimeMs(date, hour), orgId, ip: '113.161.2.3', domain, path, status: 200, bytes: 6_000, user, country: 'VN' });
    const learning = ['2026-03-02', '2026-03-03', '2026-03-04'].flatMap((date) =>
      [9, 10, 11, 14, 15].flatMap((hour) => [visit('ngo.thu.trang', date, hour, hour === 15 ? '/quan-tri/thong-ke' : '/ho-so/4400123'), visit('ho.quang.viet', date, hour, '/ho-so/4400999')]),
    );
    expect(replay(engine, learning)).toEqual([]);
    const later = [visit('ngo.thu.trang', '2026-03-05', 9, '/quan-tri/thong-ke'), visit('ngo.thu.trang', '2026-03-05', 10, '/api/v1/admin/users'), visit('ho.quang.viet', '2026-03-05', 11, '/api/v1/admin/users/77')];
    expect(replay(engine, later).map((f) => [f.kind, f.subject, f.severity])).toEqual([
      ['new-admin-path', 'user:ngo.thu.trang|/api/v1/admin/users', 'low'],
      ['new-admin-path', 'user:ho.quang.viet|/api/v1/admin/users', 'medium'],
    ]);
  });
});

describe('new country', () => {
  it('fires for an established account succeeding from a new country, high inside an admin section', () => {
    const engine = new BehaviourEngine();
    replay(engine, workingDays('canbo.dang.thi.mai', ['2026-03-02', '2026-03-03', '2026-03-04']));
    const at = localTimeMs('2026-03-05', 2);
    const findings = replay(engine, [
      authEvent({ timeMs: at, orgId, ip: '95.142.40.9', host: 'sso.vneid.gov.vn', user: 'canbo.dang.thi.mai', outcome: 'failure', country: 'RU' }),
      webEvent({ timeMs: at + 5_000, orgId, ip: '95.142.40.9', domain, path: '/quan-tri/nguoi-dung', status: 200, bytes: 20_000, user: 'canbo.dang.thi.mai', country: 'RU' }),
      webEvent({ timeMs: at + 9_000, orgId, ip: '95.142.40.9', domain, path: '/ho-so/3000001', status: 200, bytes: 20_000, user: 'canbo.dang.thi.mai', country: 'RU' }),
    ]);
    expect(findings.map((f) => [f.kind, f.subject, f.severity])).toEqual([
      ['new-admin-path', 'user:canbo.dang.thi.mai|/quan-tri/nguoi-dung', 'low'],
      ['new-country', 'user:canbo.dang.thi.mai|country:RU', 'high'],
    ]);
    expect(findings[1]?.fields).toMatchObject({ 'source.geo.country_iso_code': 'RU', 'vigil.behaviour.known_countries': 'VN' });
  });

  it('learns countries silently while the account is new', () => {
    const engine = new BehaviourEngine();
    const at = localTimeMs('2026-03-02', 10);
    const events = ['VN', 'VN', 'JP', 'VN', 'JP'].map((country, i) => authEvent({ timeMs: at + i * 86_400_000, orgId, ip: '1.52.3.4', host: 'sso.vneid.gov.vn', user: 'ly.gia.bao', outcome: 'success', country }));
    expect(replay(engine, events)).toEqual([]);
  });
});
