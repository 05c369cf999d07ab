/**
 * Shared set-up for the end-to-end suites: a centre on a temporary data directory, in process,
 * on ephemeral ports, plus a few HTTP helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startCentre, type Centre } from '../src/centre.js';
import { loadConfig } from '../src/core/config.js';

export interface TestCentre {
  centre: Centre;
  dir: string;
  adminToken: string;
  rootOrgId: string;
  stop(): Promise<void>;
}

export async function startTestCentre(extraYaml = ''): Promise<TestCentre> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const text = [
    `dataDir: ${JSON.stringify(join(dir, 'data'))}`,
    'server: { host: 127.0.0.1, port: 0, logLevel: silent }',
    'store: { synchronous: normal }',
    'demo: { enabled: false }',
    extraYaml.includes('detection:') ? '' : 'detection: { thread: false }',
    extraYaml,
  ].join('\n');
  const loaded = loadConfig({ text, path: join(dir, 'vigil.yaml'), env: {} });
  const lines: string[] = [];
  const centre = await startCentre({ loaded, print: (t) => lines.push(t) });
  const password = /with password (\S+)/.exec(lines.join('\n'))?.[1];
  if (!password) throw new Error(`no bootstrap password in ${lines.join('\n')}`);
  const login = await call<{ token: string; user: { orgId: string } }>(centre.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password } });
  return {
    centre,
    dir,
    adminToken: login.body.token,
    rootOrgId: login.body.user.orgId,
    async stop() {
      await centre.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply<T> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export async function call<T = Record<string, unknown>>(
  base: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { token?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.raw !== undefined) body = options.raw;
  const response = await request(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.body.text();
  return { status: response.statusCode, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An access-log time (`25/Nov/2026:08:00:00 +0000`) of an epoch-ms instant. */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export const testPassword = 'correct horse battery staple 42';

/** Creates an organisation under `parentId` as `token`'s user; returns its id. */
export async function createOrg(
  base: string,
  token: string,
  org: { parentId: string; code: string; kind: string; sector?: string | null; region?: string | null; nameVi?: string },
): Promise<string> {
  const reply = await call<{ id: string }>(base, 'POST', '/api/v1/orgs', { token, body: { nameVi: org.code, nameEn: org.code, ...org } });
  if (reply.status !== 201) throw new Error(`creating organisation ${org.code}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id;
}

/** Creates a user (password `testPassword`) and logs in; returns its session token and id. */
export async function createUser(base: string, token: string, user: { username: string; orgId: string; role: string }): Promise<{ token: string; id: string }> {
  const created = await call<{ id: string }>(base, 'POST', '/api/v1/users', { token, body: { ...user, displayName: user.username, password: testPassword } });
  if (created.status !== 201) throw new Error(`creating user ${user.username}: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await call<{ token: string }>(base, 'POST', '/api/v1/auth/login', { body: { username: user.username, password: testPassword } });
  return { token: login.body.token, id: created.body.id };
}

/** Polls `probe` until it gives a value (every 50 ms, at most `ms`). */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
