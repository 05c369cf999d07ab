// @vitest-environment jsdom
/**
 * The intelligence and rules screens against a fake API (fetch stubbed by path): the indicator
 * list with TLP badges, an indicator's sightings per organisation, revoking; the STIX download with
 * the bearer token; the rules list, switching a rule for the user's organisation, and the rule
 * tester showing matches or the rule's line-numbered error. Plus the live counters' parsing.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n.js';
import { SessionProvider, useSessionState } from '../session.js';
import { newAlertCount } from './alerts.js';
import { downloadStix, indicatorState, Intel, type IndicatorDetail } from './intel.js';
import { liveCounts } from './overview.js';
import { filterRules, RuleTester, Rules, type RuleItem } from './rules.js';

type Handler = (init: RequestInit | undefined, url: URL) => { status?: number; body: unknown; headers?: Record<string, string> };
let routes: Record<string, Handler> = {};
const calls: { method: string; path: string; body: unknown; auth: string | null }[] = [];

const me = { user: { id: 'usr_1', orgId: 'org_hn', username: 'hn', displayName: 'HN analyst', role: 'analyst', locale: 'en' }, organization: { id: 'org_hn', parentId: 'root', code: 'HN', nameVi: 'Hà Nội', nameEn: 'Ha Noi', kind: 'province', sector: null, region: null } };
const orgs = { items: [me.organization, { ...me.organization, id: 'org_hn_a', parentId: 'org_hn', code: 'HN-A', nameVi: 'Sở A', nameEn: 'Agency A', kind: 'agency' }] };

beforeEach(() => {
  calls.length = 0;
  routes = {
    'GET /api/v1/auth/me': () => ({ body: me }),
    'GET /api/v1/orgs': () => ({ body: orgs }),
  };
  window.sessionStorage.setItem('vigil.token', 'tok_test');
  vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://localhost');
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    calls.push({ method, path: url.pathname, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined, auth: headers.get('authorization') });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return new Response(JSON.stringify({ code: 'VIGIL_ERR_NOT_FOUND', message: `no route ${method} ${url.pathname}` }), { status: 404 });
    const reply = handler(init, url);
    return new Response(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), { status: reply.status ?? 200, headers: reply.headers ?? { 'content-type': 'application/json' } });
  }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.sessionStorage.clear();
});

function Gate({ children }: { children: ReactNode }) {
  const { session } = useSessionState();
  return session ? <>{children}</> : <p>waiting</p>;
}

function renderScreen(node: ReactNode) {
  return render(<I18nProvider initial="en"><SessionProvider><Gate>{node}</Gate></SessionProvider></I18nProvider>);
}

const indicator = (id: string, value: string, tlp: string, extra: Partial<IndicatorDetail> = {}) => ({
  id, type: 'ipv4', value, source: 'analyst:usr_1', confidence: 80, firstSeen: '2026-11-25T00:00:00Z', lastSeen: '2026-11-25T01:00:00Z', validUntil: null,
  killChain: [], attack: ['T1190'], labels: ['scanner'], description: null, tlp, ownerOrgId: 'org_hn', sharedWith: [], revoked: false, ...extra,
});

describe('the intelligence screen', () => {
  beforeEach(() => {
    routes['GET /api/v1/intel/stats'] = () => ({ body: {
      at: '2026-11-25T02:00:00Z',
      indicators: { total: { active: 2, expired: 1, revoked: 0, total: 3 }, byType: [{ type: 'ipv4', active: 2, expired: 1, revoked: 0, total: 3 }], byTlp: [{ tlp: 'amber', active: 1, expired: 0, revoked: 0, total: 1 }], bySource: [] },
      sightings: { last24h: { sightings: 7, organisations: 2 }, last7d: { sightings: 9, organisations: 2 }, top: [{ indicatorId: 'ind_1', type: 'ipv4', value: '185.220.101.7', tlp: 'amber', count: 7 }] },
    } });
    routes['GET /api/v1/intel/indicators'] = (_init, url) => ({ body: { items: url.searchParams.get('tlp') === 'red' ? [] : [indicator('ind_1', '185.220.101.7', 'amber'), indicator('ind_2', '203.0.113.9', 'amber+strict'), indicator('ind_3', '198.51.100.1', 'clear')], next: null } });
    routes['GET /api/v1/intel/indicators/ind_1'] = () => ({ body: { ...indicator('ind_1', '185.220.101.7', 'amber'), warningList: null, sightings: { byOrganisation: [{ orgId: 'org_hn_a', count: 5, lastSeen: '2026-11-25T01:00:00Z' }, { orgId: 'org_hn', count: 2, lastSeen: '2026-11-25T00:30:00Z' }], recent: [] } } });
    routes['DELETE /api/v1/intel/indicators/ind_1'] = () => ({ body: { ...indicator('ind_1', '185.220.101.7', 'amber'), revoked: true } });
  });

  it('lists indicators with TLP 2.0 badges, searches by TLP, shows sightings per organisation and revokes', async () => {
    const { container } = renderScreen(<Intel />);
    await waitFor(() => expect(container.querySelectorAll('tr[data-indicator]')).toHaveLength(3));
    expect([...container.querySelectorAll('tr[data-indicator] .tlp')].map((b) => [b.textContent, b.className])).toEqual([
      ['TLP:AMBER', 'tlp tlp-amber'], ['TLP:AMBER+STRICT', 'tlp tlp-amber-strict'], ['TLP:CLEAR', 'tlp tlp-clear'],
    ]);
    await waitFor(() => expect(screen.getByTestId('intel-stats').textContent).toContain('185.220.101.7 (7)'));

    fireEvent.change(container.querySelector('select[name="tlp"]') as HTMLSelectElement, { target: { value: 'red' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.getByText('No matching indicators.')).toBeTruthy());
    expect(calls.some((c) => c.path === '/api/v1/intel/indicators' && c.method === 'GET')).toBe(true);

    fireEvent.change(container.querySelector('select[name="tlp"]') as HTMLSelectElement, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(container.querySelector('tr[data-indicator="ind_1"]')).toBeTruthy());
    fireEvent.click(container.querySelector('tr[data-indicator="ind_1"]') as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('sightings-table').textContent).toContain('Agency A'));
    expect(screen.getByTestId('sightings-table').textContent).toContain('Ha Noi');

    vi.spyOn(window, 'confirm').mockReturnValue(true);
    fireEvent.click(screen.getByTestId('revoke'));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/intel/indicators/ind_1' && c.auth === 'Bearer tok_test')).toBe(true));
  });

  it('adds an indicator and shows the API’s refusal', async () => {
    routes['POST /api/v1/intel/indicators'] = (init) => {
      const body = JSON.parse(String(init?.body)) as { value: string };
      return body.value === 'bad' ? { status: 400, body: { code: 'VIGIL_ERR_VALIDATION', message: 'Invalid request: ipv4 "bad": not an IPv4 address', location: { field: 'value' } } } : { status: 201, body: indicator('ind_9', body.value, 'green') };
    };
    const { container } = renderScreen(<Intel />);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Add an indicator' })).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Add an indicator' }));
    const form = screen.getByTestId('add-indicator');
    fireEvent.change(form.querySelector('input[name="value"]') as HTMLInputElement, { target: { value: 'bad' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('not an IPv4 address'));
    fireEvent.change(form.querySelector('input[name="value"]') as HTMLInputElement, { target: { value: '192.0.2.1' } });
    fireEvent.change(form.querySelector('select[name="tlp"]') as HTMLSelectElement, { target: { value: 'green' } });
    fireEvent.change(form.querySelector('input[name="labels"]') as HTMLInputElement, { target: { value: 'scanner, botnet' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByTestId('add-indicator')).toBeNull());
    expect(calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ type: 'ipv4', value: '192.0.2.1', tlp: 'green', confidence: 70, labels: ['scanner', 'botnet'] });
    await waitFor(() => expect(calls.some((c) => c.method === 'GET' && c.path === '/api/v1/intel/indicators/ind_9')).toBe(true));
    expect(container.querySelectorAll('tr[data-indicator]').length).toBeGreaterThan(0);
  });

  it('downloads the STIX bundle with the bearer token, never in the URL', async () => {
    const fake = vi.fn(async () => new Response('{"type":"bundle"}', { status: 200, headers: { 'x-vigil-export-truncated': 'true' } }));
    const { blob, truncated } = await downloadStix({ authorization: 'Bearer tok_x' }, fake);
    expect(await blob.text()).toBe('{"type":"bundle"}');
    expect(truncated).toBe(true);
    expect(fake).toHaveBeenCalledWith('/api/v1/intel/export/stix', { headers: { authorization: 'Bearer tok_x', accept: 'application/stix+json;version=2.1' } });
    const refused = vi.fn(async () => new Response(JSON.stringify({ code: 'VIGIL_ERR_FORBIDDEN', message: 'Your role (viewer) may not read' }), { status: 403 }));
    await expect(downloadStix({}, refused)).rejects.toThrow('may not read');
  });

  it('tells active, expired and revoked apart', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(indicatorState({ revoked: false, validUntil: null }, now)).toBe('active');
    expect(indicatorState({ revoked: false, validUntil: '2026-11-25T11:00:00Z' }, now)).toBe('expired');
    expect(indicatorState({ revoked: true, validUntil: null }, now)).toBe('revoked');
  });
});

const rule = (id: string, title: string, hits: number, extra: Partial<RuleItem> = {}): RuleItem => ({ id, name: null, title, kind: 'detection', level: 'high', status: 'test', tags: ['attack.t1190'], file: `web/${id}.yml`, line: 1, enabled: true, hits, lastHit: null, ...extra });

describe('the rules screen', () => {
  it('lists rules by hits, filters them and switches one off for the user’s organisation', async () => {
    let enabled = true;
    routes['GET /api/v1/rules'] = () => ({ body: { items: [rule('r1', 'Few hits', 1), rule('r2', 'SQL injection', 40, { enabled }), rule('r3', 'Correlated', 0, { kind: 'correlation', level: null, file: null })], refusedFiles: [{ file: 'bad.yml', ok: false, error: 'bad.yml:3: unknown modifier' }], loadedAt: '2026-11-25T00:00:00Z' } });
    routes['PATCH /api/v1/rules/r2'] = (init) => {
      enabled = (JSON.parse(String(init?.body)) as { enabled: boolean }).enabled;
      return { body: { ruleId: 'r2', orgId: 'org_hn', enabled } };
    };
    routes['POST /api/v1/rules/test'] = () => ({ body: { rule: { id: 'x', title: 'x', level: null }, scanned: 0, complete: true, matched: 0, matches: [] } });
    const { container } = renderScreen(<Rules />);
    await waitFor(() => expect(container.querySelectorAll('tr[data-rule]')).toHaveLength(3));
    expect([...container.querySelectorAll('tr[data-rule]')].map((r) => r.getAttribute('data-rule'))).toEqual(['r2', 'r1', 'r3']);
    expect(screen.getByTestId('refused-files').textContent).toContain('bad.yml:3: unknown modifier');
    fireEvent.change(container.querySelector('input[name="filter"]') as HTMLInputElement, { target: { value: 'sql' } });
    expect(container.querySelectorAll('tr[data-rule]')).toHaveLength(1);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Switch rule SQL injection off for your organisation' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false, orgId: 'org_hn' }));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Switch rule SQL injection on for your organisation' })).toBeTruthy());
  });

  it('runs a pasted rule and shows the matches, or the rule’s error with its line', async () => {
    routes['POST /api/v1/rules/test'] = (init) => {
      const body = JSON.parse(String(init?.body)) as { yaml: string };
      if (body.yaml.includes('nonsense')) return { status: 422, body: { code: 'VIGIL_ERR_SIGMA_RULE', message: "pasted.yml:6: 'cs-uri-query|nonsense': unknown modifier", location: { file: 'pasted.yml', line: 6 } } };
      return { body: { rule: { id: 'x', title: 'x', level: 'high' }, scanned: 1234, complete: true, matched: 2, matches: [
        { seq: 11, time: '2026-11-25T01:00:00Z', matchedFields: ['cs-uri-query'], event: { url: { query: 'a=union select' } } },
        { seq: 10, time: '2026-11-25T00:59:00Z', matchedFields: ['cs-uri-query'], event: { url: { query: 'b=union select' } } },
      ] } };
    };
    renderScreen(<RuleTester />);
    await waitFor(() => expect(screen.getByTestId('rule-tester')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(screen.getByTestId('rule-result').textContent).toContain('2 events matched of 1,234 scanned.'));
    expect(screen.getByTestId('rule-result').querySelectorAll('details')).toHaveLength(2);
    expect(calls.find((c) => c.path === '/api/v1/rules/test')?.body).toMatchObject({ limit: 50 });

    fireEvent.change(screen.getByRole('textbox', { name: 'Sigma rule (YAML)' }), { target: { value: 'title: x\ndetection:\n  selection:\n    cs-uri-query|nonsense: a\n' } });
    fireEvent.change(screen.getByRole('spinbutton'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(screen.getByTestId('rule-error').textContent).toBe("pasted.yml:6: 'cs-uri-query|nonsense': unknown modifier"));
    expect(screen.queryByTestId('rule-result')).toBeNull();
    const sent = calls.filter((c) => c.path === '/api/v1/rules/test').at(-1)?.body as { from?: string };
    expect(Date.now() - Date.parse(sent.from ?? '')).toBeGreaterThan(7_100_000);
  });

  it('filters by title, id, file and tag', () => {
    const items = [rule('a', 'Alpha', 1), rule('b', 'Beta', 5, { tags: ['attack.t1110'] })];
    expect(filterRules(items, '').map((r) => r.id)).toEqual(['b', 'a']);
    expect(filterRules(items, 'T1110').map((r) => r.id)).toEqual(['b']);
    expect(filterRules(items, 'web/a.yml').map((r) => r.id)).toEqual(['a']);
  });
});

describe('live counters', () => {
  it('read the stream’s alert and incident events', () => {
    expect(newAlertCount(JSON.stringify({ orgId: 'o', count: 3, alerts: [] }))).toBe(3);
    expect(newAlertCount('not json')).toBe(0);
    expect(newAlertCount(JSON.stringify({ count: 'x' }))).toBe(0);
    const start = { alerts: 1, incidents: 0 };
    expect(liveCounts(start, 'alert', JSON.stringify({ count: 4 }))).toEqual({ alerts: 5, incidents: 0 });
    expect(liveCounts(start, 'incident', JSON.stringify({ id: 'inc_1', change: 'created' }))).toEqual({ alerts: 1, incidents: 1 });
    expect(liveCounts(start, 'incident', JSON.stringify({ id: 'inc_1', change: 'updated' }))).toEqual(start);
    expect(liveCounts(start, 'notification', '{}')).toEqual(start);
  });
});
