/**
 * @module web/screens/users
 * Users of the admin's scope (src/api/users.ts, admins only): the list — username, display name,
 * organisation, role, language, disabled — with a role switch and disable/enable per user
 * (`PATCH /api/v1/users/:id`), and a form creating a user in an organisation of the scope with a
 * role the admin may grant (at or below their own, as the API checks).
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api-client.js';
import { roles, type Lang, type ManagedUser, type Organization, type Role } from '../api-types.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine } from '../widgets/labels.js';

const rank: Record<Role, number> = { viewer: 0, operator: 1, analyst: 2, admin: 3 };

/** The roles a user with `granter` may give: theirs and those below (src/orgs/permissions.ts `mayGrant`). */
export function grantableRoles(granter: Role): Role[] {
  return roles.filter((r) => rank[r] <= rank[granter]);
}

export interface NewUser {
  orgId: string;
  username: string;
  displayName: string;
  role: Role;
  password: string;
  locale: Lang;
}

/** What is wrong with a new user before the API sees it (the API's own rules), or null. */
export function newUserProblem(user: NewUser): MessageKey | null {
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(user.username)) return 'users.badUsername';
  if (user.displayName.trim() === '') return 'users.missingName';
  if (user.password.length < 12) return 'users.shortPassword';
  return null;
}

function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.field ? `${e.message} (${e.field})` : e.message;
  return e instanceof Error ? e.message : String(e);
}

function sortedOrgs(orgs: ReadonlyMap<string, Organization>): Organization[] {
  return [...orgs.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export function UserList() {
  const { api, orgs, me } = useSession();
  const { t, name } = useI18n();
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loaded = useLoad(() => api.get<{ items: ManagedUser[] }>('/api/v1/users'), [api]);
  const items = loaded.data?.items ?? [];
  const grantable = grantableRoles(me.user.role);
  const change = async (user: ManagedUser, patch: { role?: Role; disabled?: boolean }) => {
    setError(null);
    setNotice(null);
    try {
      await api.patch<ManagedUser>(`/api/v1/users/${encodeURIComponent(user.id)}`, patch);
      loaded.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <>
      <div className="filters">
        <button type="button" className="primary" onClick={() => { setCreating((c) => !c); setNotice(null); }}>{creating ? t('common.cancel') : t('users.new')}</button>
      </div>
      {notice ? <p className="state yes" role="status">{notice}</p> : null}
      {creating ? (
        <UserForm orgs={sortedOrgs(orgs)} grantable={grantable} onCreated={(u) => { setCreating(false); setNotice(t('users.created', { username: u.username })); loaded.reload(); }} />
      ) : null}
      <ErrorLine error={loaded.error} />
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="card">
        {loaded.data && items.length === 0 ? <p className="muted">{t('users.empty')}</p> : null}
        <table data-testid="users-table">
          <thead>
            <tr>
              <th>{t('users.username')}</th>
              <th>{t('users.displayName')}</th>
              <th>{t('common.organisation')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.locale')}</th>
              <th>{t('users.state')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => {
              const self = u.id === me.user.id;
              const mayChange = !self && grantable.includes(u.role);
              return (
                <tr key={u.id} data-user={u.username}>
                  <td><code>{u.username}</code></td>
                  <td>{u.displayName}</td>
                  <td>{name(orgs.get(u.orgId), u.orgId)}</td>
                  <td>
                    {mayChange ? (
                      <select aria-label={t('users.changeRole', { username: u.username })} value={u.role} onChange={(e) => { void change(u, { role: e.target.value as Role }); }}>
                        {grantable.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
                      </select>
                    ) : t(`role.${u.role}`)}
                  </td>
                  <td>{t(`lang.${u.locale}`)}</td>
                  <td>
                    {u.disabled ? <span className="state no">{t('users.disabled')}</span> : <span className="state yes">{t('users.active')}</span>}
                    {mayChange ? (
                      <> <button type="button" className="ghost" aria-label={t(u.disabled ? 'users.enable' : 'users.disable', { username: u.username })}
                        onClick={() => { void change(u, { disabled: !u.disabled }); }}>{u.disabled ? t('users.unlock') : t('users.lock')}</button></>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function UserForm({ orgs, grantable, onCreated }: { orgs: readonly Organization[]; grantable: readonly Role[]; onCreated: (u: ManagedUser) => void }) {
  const { api, me } = useSession();
  const { t, name } = useI18n();
  const [orgId, setOrgId] = useState(me.organization.id);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>(grantable.includes('viewer') ? 'viewer' : (grantable[grantable.length - 1] ?? 'viewer'));
  const [locale, setLocale] = useState<Lang>('vi');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const user: NewUser = { orgId, username: username.trim(), displayName: displayName.trim(), role, password, locale };
    const problem = newUserProblem(user);
    if (problem) {
      setError(t(problem));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.post<ManagedUser>('/api/v1/users', user));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stack" onSubmit={submit} noValidate data-testid="user-form">
      <h2>{t('users.new')}</h2>
      <div className="three">
        <label>{t('common.organisation')}
          <select name="orgId" value={orgId} onChange={(e) => setOrgId(e.target.value)}>
            {orgs.map((o) => <option key={o.id} value={o.id}>{o.code} · {name(o)}</option>)}
          </select>
        </label>
        <label>{t('users.username')}<input name="username" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={64} /></label>
        <label>{t('users.displayName')}<input name="displayName" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={128} /></label>
      </div>
      <div className="three">
        <label>{t('users.role')}
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {grantable.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </label>
        <label>{t('users.locale')}
          <select name="locale" value={locale} onChange={(e) => setLocale(e.target.value as Lang)}>
            <option value="vi">{t('lang.vi')}</option>
            <option value="en">{t('lang.en')}</option>
          </select>
        </label>
        <label>{t('users.password')}<input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={12} maxLength={256} /></label>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div><button type="submit" className="primary" disabled={busy}>{t('common.save')}</button></div>
    </form>
  );
}
