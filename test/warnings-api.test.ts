/**
 * Warnings over the API: a province writes and previews a warning within its own subtree only;
 * drafts stay with the issuer; TLP decides who reads an issued warning over the tree (AMBER: the
 * recipient and the chain above it; AMBER+STRICT: the recipient itself); recipients acknowledge
 * and report remediation with evidence; viewers cannot write; malformed warnings are refused with
 * the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createOrg as createOrgAs, createUser, startTestCentre, type TestCentre } from './support.js';

let t: TestCentre;
const org: Record<string, string> = {};
const tokens: Record<string, string> = {};

const createOrg = (code: string, parentId: string, kind: string, sector: string | null) => createOrgAs(t.centre.url, t.adminToken, { parentId, code, kind, sector });
const user = async (username: string, orgId: string, role: string) => (await createUser(t.centre.url, t.adminToken, { username, orgId, role })).token;

const body = (targets: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  severity: 'high',
  title: { vi: 'Cảnh báo lừa đảo mạo danh cổng dịch vụ công', en: 'Phishing impersonating the public service portal' },
  text: { vi: 'Chặn tên miền giả mạo.', en: 'Block the impersonating domain.' },
  indicators: [{ type: 'domain', value: 'dichvucong-gov.example' }],
  targets,
  ...extra,
});

beforeAll(async () => {
  t = await startTestCentre('detection: { hotReload: false, thread: false }');
  org['hn'] = await createOrg('HN', t.rootOrgId, 'province', 'dia-phuong');
  org['hn-yt'] = await createOrg('HN-SYT', org['hn'], 'agency', 'y-te');
  org['hn-gd'] = await createOrg('HN-SGD', org['hn'], 'agency', 'giao-duc');
  org['hcm'] = await createOrg('HCM', t.rootOrgId, 'province', 'dia-phuong');
  org['hcm-yt'] = await createOrg('HCM-SYT', org['hcm'], 'agency', 'y-te');
  tokens['centre'] = t.adminToken;
  tokens['hn'] = await user('analyst.hn', org['hn'], 'analyst');
  tokens['hn-viewer'] = await user('viewer.hn', org['hn'], 'viewer');
  tokens['hn-yt'] = await user('operator.hn.yt', org['hn-yt'], 'operator');
  tokens['hcm'] = await user('analyst.hcm', org['hcm'], 'analyst');
});

afterAll(async () => {
  await t?.stop();
});

const post = <T = Record<string, unknown>>(who: string, path: string, b?: unknown) => call<T>(t.centre.url, 'POST', path, { token: tokens[who], ...(b === undefined ? {} : { body: b }) });
const get = <T = Record<string, unknown>>(who: string, path: string) => call<T>(t.centre.url, 'GET', path, { token: tokens[who] });

describe('warnings over the API', () => {
  it('previews within the issuer’s subtree only', async () => {
    const mine = await post<{ count: number; recipients: { code: string; reasons: string[] }[] }>('hn', '/api/v1/warnings/preview', { targets: { sectors: ['y-te'] } });
    expect(mine.status).toBe(200);
    expect(mine.body.recipients.map((r) => r.code)).toEqual(['HN-SYT']);
    const country = await post<{ recipients: { code: string }[] }>('centre', '/api/v1/warnings/preview', { targets: { sectors: ['y-te'] } });
    expect(country.body.recipients.map((r) => r.code)).toEqual(['HCM-SYT', 'HN-SYT']);
    expect((await post('hn', '/api/v1/warnings/preview', { targets: { orgs: ['HCM'] } })).status).toBe(400);
    expect((await post('hn-viewer', '/api/v1/warnings/preview', { targets: { sectors: ['y-te'] } })).status).toBe(403);
  });

  it('refuses malformed warnings with the reason, storing nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...body({ sectors: ['y-te'] }), severity: 'apocalyptic' }, /severity/],
      [{ ...body({ sectors: ['y-te'] }), title: { en: 'only English' } }, /title/],
      [body({}), /at least one organisation or selector/],
      [body({ sectors: ['y-te'] }, { ackDeadline: '2001-01-01T00:00:00Z' }), /passed already/],
      [body({ sectors: ['y-te'] }, { ackWithinHours: 48, remediateWithinHours: 1 }), /before the acknowledgement deadline/],
      [body({ sectors: ['y-te'] }, { colour: 'red' }), /colour|Unrecognized/],
      [body({ sectors: ['khong-co'] }, { issue: true }), /reach no organisation/],
      [body({ orgs: ['HCM'] }), /outside your reach/],
    ];
    for (const [b, reason] of cases) {
      const reply = await post<{ message: string }>('hn', '/api/v1/warnings', b);
      expect(reply.status, JSON.stringify(b)).toBe(400);
      expect(reply.body.message).toMatch(reason);
    }
    expect((await get<{ items: unknown[] }>('hn', '/api/v1/warnings')).body.items).toEqual([]);
  });

  let amber = '';
  it('keeps drafts with the issuer; issued, TLP decides who reads it', async () => {
    const draft = await post<{ id: string; status: string }>('hn', '/api/v1/warnings', body({ orgs: ['HN-SYT'] }));
    expect(draft.status).toBe(201);
    expect(draft.body.status).toBe('draft');
    amber = draft.body.id;
    expect((await get('hn-yt', `/api/v1/warnings/${amber}`)).status).toBe(404);
    expect((await call(t.centre.url, 'PATCH', `/api/v1/warnings/${amber}`, { token: tokens['hn'], body: { severity: 'critical' } })).body).toMatchObject({ severity: 'critical' });
    const issued = await post<{ status: string; recipients: { orgId: string }[] }>('hn', `/api/v1/warnings/${amber}/issue`);
    expect(issued.body.status).toBe('issued');
    expect(issued.body.recipients.map((r) => r.orgId)).toEqual([org['hn-yt']]);
    expect((await call(t.centre.url, 'PATCH', `/api/v1/warnings/${amber}`, { token: tokens['hn'], body: { severity: 'low' } })).status).toBe(409);

    const strict = await post<{ id: string }>('centre', '/api/v1/warnings', body({ orgs: ['HN-SYT'] }, { tlp: 'amber+strict', issue: true }));
    expect(strict.status).toBe(201);
    const green = await post<{ id: string }>('centre', '/api/v1/warnings', body({ orgs: ['HCM-SYT'] }, { tlp: 'green', issue: true }));
    const seen = async (who: string) => (await get<{ items: { id: string }[] }>(who, '/api/v1/warnings')).body.items.map((w) => w.id).sort();
    expect(await seen('hn-yt')).toEqual([amber, strict.body.id, green.body.id].sort());
    expect(await seen('hn')).toEqual([amber, green.body.id].sort());
    expect(await seen('hcm')).toEqual([green.body.id]);
    expect((await get('hcm', `/api/v1/warnings/${amber}`)).status).toBe(404);
  });

  it('lets the recipient acknowledge and report remediation with evidence; no one else', async () => {
    expect((await post('hcm', `/api/v1/warnings/${amber}/acknowledge`)).status).toBe(404);
    const ack = await post<{ acknowledgedAt: string | null; acknowledgedBy: string }>('hn-yt', `/api/v1/warnings/${amber}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).not.toBeNull();
    const noEvidence = await post<{ message: string }>('hn-yt', `/api/v1/warnings/${amber}/remediation`, { reports: [{ systemId: null, status: 'remediated' }] });
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.body.message).toMatch(/evidence/);
    expect((await post('hn-yt', `/api/v1/warnings/${amber}/remediation`, { reports: [{ systemId: 'sys_other', status: 'remediated', evidence: 'done' }] })).status).toBe(400);
    const done = await post<{ remediation: { status: string; evidence: string }[] }>('hn-yt', `/api/v1/warnings/${amber}/remediation`, { reports: [{ systemId: null, status: 'remediated', evidence: 'Đã chặn tên miền trên DNS nội bộ' }] });
    expect(done.status).toBe(200);
    expect(done.body.remediation).toEqual([expect.objectContaining({ status: 'remediated', evidence: 'Đã chặn tên miền trên DNS nội bộ' })]);
    // The issuer follows it.
    const followed = await get<{ recipients: { orgId: string; acknowledgedAt: string | null; remediation: { status: string }[] }[] }>('hn', `/api/v1/warnings/${amber}`);
    expect(followed.body.recipients[0]).toMatchObject({ orgId: org['hn-yt'], remediation: [{ status: 'remediated' }] });
  });

  it('keeps vulnerability feeds and campaigns to the centre', async () => {
    expect((await post('hn', '/api/v1/warnings/vulnerability-feed', { vulnerabilities: [] })).status).toBe(403);
    expect((await post<{ entries: number }>('centre', '/api/v1/warnings/vulnerability-feed', { vulnerabilities: [] })).body).toMatchObject({ entries: 0 });
    expect((await post('centre', '/api/v1/warnings/vulnerability-feed', { vulns: [] })).status).toBe(400);
    expect((await get('hn', '/api/v1/campaigns')).status).toBe(403);
    expect((await get('centre', '/api/v1/campaigns')).status).toBe(200);
  });
});
