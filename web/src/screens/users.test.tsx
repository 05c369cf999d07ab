// @vitest-environment jsdom
/**
 * The users tab against a fake API (fetch stubbed by path): the roles an admin may grant, the
 * create form refusing a bad username, a missing name and a short password before the API sees
 * them, then creating a user; disabling a user and changing a role through PATCH.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n.js';
import { SessionProvider, useSessionState } from '../session.js';
import { grantableRoles, newUserProblem, UserList } from './users.js';

type Handler = (init: RequestInit | undefined) => { status?: number; body: unknown };
let routes: Record<string, Handler> = {};
const calls: { method: string; path: string; body: unknown }[] = [];

const org = { id: 'org_hn', parentId: 'root', code: 'HN', nameVi: 'Hà Nội', nameEn: 'Ha Noi', kind: 'province', sector: null, region: null };
const agency = { ...org, id: 'org_hn_a', parentId: 'org_hn', code: 'HN-A', nameVi: 'Sở A', nameEn: 'Agency A', kind: 'agency' };
const me = { user: { id: 'usr_admin', orgId: 'org_hn', username: 'admin.hn', displayName: 'HN admin', role: 'admin', locale: 'en' }, organization: org };
const user = (id: string, username: string, role: string, disabled = false) => ({ id, orgId: 'org_hn_a', username, displayName: `Name ${username}`, role, locale: 'vi', disabled, demo: false, createdAt: '2026-11-25T00:00:00Z' });

beforeEach(() => {
  calls.length = 0;
  routes = {
    'GET /api/v1/auth/me': () => ({ body: me }),
    'GET /api/v1/orgs': () => ({ body: { items: [org, agency] } }),
    'GET /api/v1/users': () => ({ body: { items: [{ ...me.user, disabled: false, demo: false, createdAt: '2026-11-25T00:00:00Z' }, user('usr_2', 'soc.a', 'operator')] } }),
    'POST /api/v1/users': (init) => ({ status: 201, body: user('usr_3', (JSON.parse(String(init?.body)) as { username: string }).username, 'analyst') }),
    'PATCH /api/v1/users/usr_2': (init) => ({ body: { ...user('usr_2', 'soc.a', 'operator'), ...(JSON.parse(String(init?.body)) as object) } }),
  };
  window.sessionStorage.setItem('vigil.token', 'tok_test');
  vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://localhost');
    const method = init?.method ?? 'GET';
    calls.push({ method, path: url.pathname, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return new Response(JSON.stringify({ code: 'VIGIL_ERR_NOT_FOUND', message: `no route ${method} ${url.pathname}` }), { status: 404 });
    const reply = handler(init);
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'content-type': 'application/json' } });
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

const renderUsers = () => render(<I18nProvider initial="en"><SessionProvider><Gate><UserList /></Gate></SessionProvider></I18nProvider>);

describe('the users tab', () => {
  it('grants only roles at or below the granter’s, and checks a new user as the API would', () => {
    expect(grantableRoles('admin')).toEqual(['admin', 'analyst', 'operator', 'viewer']);
    expect(grantableRoles('operator')).toEqual(['operator', 'viewer']);
    expect(grantableRoles('viewer')).toEqual(['viewer']);
    const ok = { orgId: 'org_hn', username: 'soc.b', displayName: 'B', role: 'viewer' as const, password: 'twelve chars', locale: 'vi' as const };
    expect(newUserProblem(ok)).toBeNull();
    expect(newUserProblem({ ...ok, username: 'Bad Name' })).toBe('users.badUsername');
    expect(newUserProblem({ ...ok, username: 'ab' })).toBe('users.badUsername');
    expect(newUserProblem({ ...ok, displayName: '  ' })).toBe('users.missingName');
    expect(newUserProblem({ ...ok, password: 'short' })).toBe('users.shortPassword');
  });

  it('lists users, validates the create form, creates a user, and disables one and changes a role', async () => {
    const { container } = renderUsers();
    await waitFor(() => expect(container.querySelectorAll('tr[data-user]')).toHaveLength(2));
    expect(container.querySelector('tr[data-user="soc.a"]')?.textContent).toContain('Agency A');

    fireEvent.click(screen.getByRole('button', { name: 'Create a user' }));
    const form = screen.getByTestId('user-form');
    const roleSelect = form.querySelector('select[name=role]') as HTMLSelectElement;
    expect([...roleSelect.options].map((o) => [o.value, o.textContent])).toEqual([['admin', 'Administrator'], ['analyst', 'Analyst'], ['operator', 'Operator'], ['viewer', 'Viewer']]);
    expect(roleSelect.value).toBe('viewer');
    const orgSelect = form.querySelector('select[name=orgId]') as HTMLSelectElement;
    expect([...orgSelect.options].map((o) => o.value)).toEqual(['org_hn', 'org_hn_a']);

    const field = (name: string) => form.querySelector(`input[name=${name}]`) as HTMLInputElement;
    const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.change(field('username'), { target: { value: 'Soc B' } });
    save();
    expect((await screen.findByRole('alert')).textContent).toContain('lower-case letters');
    fireEvent.change(field('username'), { target: { value: 'soc.b' } });
    save();
    expect((await screen.findByRole('alert')).textContent).toBe('Enter a display name.');
    fireEvent.change(field('displayName'), { target: { value: 'Lê Văn C' } });
    fireEvent.change(field('password'), { target: { value: 'short' } });
    save();
    expect((await screen.findByRole('alert')).textContent).toBe('The password needs 12 characters or more.');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    fireEvent.change(field('password'), { target: { value: 'a long enough password' } });
    fireEvent.change(orgSelect, { target: { value: 'org_hn_a' } });
    fireEvent.change(roleSelect, { target: { value: 'analyst' } });
    save();
    expect((await screen.findByRole('status')).textContent).toBe('User soc.b created.');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ orgId: 'org_hn_a', username: 'soc.b', displayName: 'Lê Văn C', role: 'analyst', password: 'a long enough password', locale: 'vi' });

    // The admin's own row cannot be changed; another user's can.
    expect(container.querySelector('tr[data-user="admin.hn"] select')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Disable the account soc.a' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ disabled: true }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Role of soc.a' }), { target: { value: 'viewer' } });
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ disabled: true }, { role: 'viewer' }]));
    expect(calls.filter((c) => c.method === 'PATCH').every((c) => c.path === '/api/v1/users/usr_2')).toBe(true);
  });
});
