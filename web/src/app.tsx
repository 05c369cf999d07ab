/**
 * @module web/app
 * The dashboard's frame: the login page until there is a session, then the layout — navigation,
 * language and theme switches, the live indicator — around the screen the address names.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useI18n, type MessageKey } from './i18n.js';
import { LiveProvider, useLive } from './live.js';
import { matchPath, navigate, usePath } from './router.js';
import { useSessionState, useSession } from './session.js';
import { useTheme } from './theme.js';
import { Alerts } from './screens/alerts.js';
import { Campaigns } from './screens/campaigns.js';
import { Events } from './screens/events.js';
import { IncidentWorkspace, Incidents } from './screens/incidents.js';
import { Intel } from './screens/intel.js';
import { Inventory } from './screens/inventory.js';
import { Overview } from './screens/overview.js';
import { Posture } from './screens/posture.js';
import { Rules } from './screens/rules.js';
import { WarningBoard } from './screens/warning-board.js';
import { WarningCompose } from './screens/warning-compose.js';
import { Warnings } from './screens/warnings.js';

export function App() {
  const { session, restoring } = useSessionState();
  const [theme, toggleTheme] = useTheme();
  if (restoring) return <Centered><p className="muted">…</p></Centered>;
  if (!session) return <Login theme={theme} toggleTheme={toggleTheme} />;
  return (
    <LiveProvider>
      <Layout theme={theme} toggleTheme={toggleTheme} />
    </LiveProvider>
  );
}

function Centered({ children }: { children: ReactNode }) {
  return <main className="centered">{children}</main>;
}

function Switches({ theme, toggleTheme }: { theme: string; toggleTheme: () => void }) {
  const { t, lang, setLang } = useI18n();
  return (
    <div className="switches">
      <button type="button" className="ghost" data-testid="lang-switch" aria-label={t('lang.switchLabel')} onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
        {t('lang.switch')}
      </button>
      <button type="button" className="ghost" data-testid="theme-switch" onClick={toggleTheme}>
        {theme === 'dark' ? t('theme.light') : t('theme.dark')}
      </button>
    </div>
  );
}

function Login({ theme, toggleTheme }: { theme: string; toggleTheme: () => void }) {
  const { t } = useI18n();
  const { login } = useSessionState();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Centered>
      <form className="card login" onSubmit={submit} aria-labelledby="login-title">
        <div className="brand"><span className="logo" aria-hidden="true">◈</span> {t('app.name')}</div>
        <p className="muted small">{t('app.tagline')}</p>
        <h1 id="login-title">{t('auth.title')}</h1>
        <label>
          {t('auth.username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          {t('auth.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error ? <p className="error" role="alert">{t('auth.failed', { message: error })}</p> : null}
        <button type="submit" className="primary" disabled={busy}>{t('auth.submit')}</button>
        <Switches theme={theme} toggleTheme={toggleTheme} />
      </form>
    </Centered>
  );
}

const navItems: { path: string; label: MessageKey; centreOnly?: boolean }[] = [
  { path: '/', label: 'nav.overview' },
  { path: '/warnings', label: 'nav.warnings' },
  { path: '/alerts', label: 'nav.alerts' },
  { path: '/incidents', label: 'nav.incidents' },
  { path: '/events', label: 'nav.events' },
  { path: '/intel', label: 'nav.intel' },
  { path: '/rules', label: 'nav.rules' },
  { path: '/campaigns', label: 'nav.campaigns', centreOnly: true },
  { path: '/posture', label: 'nav.posture' },
  { path: '/inventory', label: 'nav.inventory' },
];

function Layout({ theme, toggleTheme }: { theme: string; toggleTheme: () => void }) {
  const { t, name } = useI18n();
  const { me, centre, logout } = useSession();
  const live = useLive();
  const path = usePath();
  const active = (item: string): boolean => (item === '/' ? path === '/' : path === item || path.startsWith(`${item}/`));
  return (
    <div className="layout">
      <header className="topbar">
        <div className="brand"><span className="logo" aria-hidden="true">◈</span> {t('app.name')}</div>
        <nav aria-label={t('nav.main')}>
          {navItems.filter((i) => !i.centreOnly || centre).map((item) => (
            <a key={item.path} href={item.path} className={active(item.path) ? 'active' : ''} aria-current={active(item.path) ? 'page' : undefined}
              onClick={(e) => { e.preventDefault(); navigate(item.path); }}>
              {t(item.label)}
            </a>
          ))}
        </nav>
        <div className="topbar-end">
          <span className={`live-dot ${live ? 'on' : 'off'}`} title={live ? t('common.live') : t('common.offline')} data-testid="live-state" data-live={live}>
            {live ? t('common.live') : t('common.offline')}
          </span>
          <span className="who" data-testid="who">{me.user.displayName} · {name(me.organization)}</span>
          <Switches theme={theme} toggleTheme={toggleTheme} />
          <button type="button" className="ghost" onClick={logout}>{t('auth.logout')}</button>
        </div>
      </header>
      <main className="content">
        <Screen path={path} />
      </main>
    </div>
  );
}

function Screen({ path }: { path: string }) {
  const { t } = useI18n();
  if (path === '/') return <Overview />;
  if (path === '/warnings') return <Warnings />;
  if (path === '/warnings/new') return <WarningCompose />;
  const warning = matchPath('/warnings/:id', path);
  if (warning) return <WarningBoard id={warning['id'] as string} />;
  if (path === '/alerts') return <Alerts />;
  if (path === '/incidents') return <Incidents />;
  const incident = matchPath('/incidents/:id', path);
  if (incident) return <IncidentWorkspace id={incident['id'] as string} />;
  if (path === '/campaigns') return <Campaigns />;
  if (path === '/events') return <Events />;
  if (path === '/intel') return <Intel />;
  if (path === '/rules') return <Rules />;
  if (path === '/posture') return <Posture />;
  if (path === '/inventory' || path === '/inventory/orgs' || path === '/inventory/sensors' || path === '/inventory/users') return <Inventory path={path} />;
  return <section className="screen"><h1>{t('notFound.title')}</h1></section>;
}
