/**
 * @module web/screens/rules
 * The rules detection runs (src/api/rules.ts `GET /api/v1/rules`): status, whether each is on for
 * the user's organisation, hit counts in the user's scope, the files that were refused and why;
 * analysts switch a rule on or off for their organisation's subtree (`PATCH /api/v1/rules/:id`).
 * The tester runs a pasted Sigma rule (YAML) over the user's most recent events
 * (`POST /api/v1/rules/test`); a problem in the rule comes back with its line.
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { Severity } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine, SeverityBadge } from '../widgets/labels.js';

export interface RuleItem {
  id: string;
  name: string | null;
  title: string;
  kind: 'detection' | 'correlation' | 'analysis';
  level: string | null;
  status: string | null;
  tags: string[];
  file: string | null;
  line: number | null;
  enabled: boolean;
  hits: number;
  lastHit: string | null;
}

export interface RulesReply {
  items: RuleItem[];
  refusedFiles: { file: string; ok: boolean; error?: string }[];
  loadedAt: string;
}

export interface RuleTestReply {
  rule: { id: string; title: string; level: string | null };
  from?: string;
  scanned: number;
  complete: boolean;
  matched: number;
  matches: { seq: number; time: string; matchedFields: string[]; event: Record<string, unknown> }[];
}

const severityLevels: readonly string[] = ['informational', 'low', 'medium', 'high', 'critical'];

export function mayManageRules(role: string): boolean {
  return role === 'admin' || role === 'analyst';
}

/** Rules whose title, id, file or tags contain `text` (case-insensitive), most hits first. */
export function filterRules(items: readonly RuleItem[], text: string): RuleItem[] {
  const needle = text.trim().toLowerCase();
  const kept = needle === '' ? [...items] : items.filter((r) => [r.title, r.id, r.file ?? '', ...r.tags].some((v) => v.toLowerCase().includes(needle)));
  return kept.sort((a, b) => b.hits - a.hits || a.title.localeCompare(b.title));
}

export function Rules() {
  const { api, me } = useSession();
  const { t, num, time } = useI18n();
  const loaded = useLoad(() => api.get<RulesReply>('/api/v1/rules'), [api]);
  const [text, setText] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const rows = useMemo(() => filterRules(loaded.data?.items ?? [], text), [loaded.data, text]);
  const manage = mayManageRules(me.user.role);
  const toggle = async (rule: RuleItem) => {
    setBusy(rule.id);
    setError(null);
    try {
      await api.patch(`/api/v1/rules/${encodeURIComponent(rule.id)}`, { enabled: !rule.enabled, orgId: me.organization.id });
      loaded.reload();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="screen">
      <header className="screen-head">
        <h1>{t('rules.title')}</h1>
        {loaded.data ? <span className="muted">{t('rules.count', { count: num(loaded.data.items.length), at: time(loaded.data.loadedAt) })}</span> : null}
      </header>
      <RuleTester />
      <div className="filters">
        <label>{t('rules.filter')}<input name="filter" value={text} onChange={(e) => setText(e.target.value)} /></label>
      </div>
      <ErrorLine error={loaded.error ?? error} />
      {loaded.data && loaded.data.refusedFiles.length > 0 ? (
        <div className="card" data-testid="refused-files">
          <h2>{t('rules.refused')}</h2>
          <ul className="plain-list small">
            {loaded.data.refusedFiles.map((f) => <li key={f.file}><code>{f.file}</code> <span className="error">{f.error}</span></li>)}
          </ul>
        </div>
      ) : null}
      <div className="card">
        <table data-testid="rules-table">
          <thead>
            <tr><th>{t('rules.enabled')}</th><th>{t('common.severity')}</th><th>{t('common.title')}</th><th>{t('common.kind')}</th><th>{t('common.status')}</th><th>{t('rules.hits')}</th><th>{t('rules.lastHit')}</th><th>{t('rules.file')}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-rule={r.id}>
                <td>
                  {manage ? (
                    <label className="inline"><input type="checkbox" checked={r.enabled} disabled={busy === r.id} onChange={() => void toggle(r)} aria-label={t(r.enabled ? 'rules.disable' : 'rules.enable', { title: r.title })} /></label>
                  ) : <span className={`state ${r.enabled ? 'yes' : 'no'}`}>{t(r.enabled ? 'rules.on' : 'rules.off')}</span>}
                </td>
                <td>{r.level !== null && severityLevels.includes(r.level) ? <SeverityBadge severity={r.level as Severity} /> : <span className="muted">—</span>}</td>
                <td>{r.title} <div className="muted small">{r.id}</div></td>
                <td>{t(`rules.kind.${r.kind}`)}</td>
                <td>{r.status ?? '—'}</td>
                <td>{num(r.hits)}</td>
                <td className="small">{time(r.lastHit)}</td>
                <td className="small">{r.file !== null ? `${r.file}:${r.line ?? 1}` : t('rules.builtin')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export const sampleRule = `title: UNION SELECT in the query string
logsource:
    category: webserver
detection:
    selection:
        cs-uri-query|contains: 'union'
    condition: selection
level: high
`;

export function RuleTester() {
  const { api } = useSession();
  const { t, time, num } = useI18n();
  const [yaml, setYaml] = useState(sampleRule);
  const [hours, setHours] = useState('');
  const [result, setResult] = useState<RuleTestReply | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const h = Number(hours);
      const from = hours.trim() !== '' && Number.isFinite(h) && h > 0 ? new Date(Date.now() - h * 3_600_000).toISOString() : undefined;
      setResult(await api.post<RuleTestReply>('/api/v1/rules/test', { yaml, limit: 50, ...(from ? { from } : {}) }));
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stack" onSubmit={run} data-testid="rule-tester" aria-labelledby="rule-tester-title">
      <h2 id="rule-tester-title">{t('rules.tester')}</h2>
      <p className="muted small">{t('rules.testerHelp')}</p>
      <label>{t('rules.yaml')}<textarea name="yaml" className="code" rows={12} spellCheck={false} value={yaml} onChange={(e) => setYaml(e.target.value)} /></label>
      <div className="row">
        <label>{t('rules.hours')}<input name="hours" type="number" min={0} step="any" value={hours} onChange={(e) => setHours(e.target.value)} /></label>
        <button type="submit" className="primary" disabled={busy || yaml.trim() === ''}>{t('rules.run')}</button>
      </div>
      {error ? <p className="error" role="alert" data-testid="rule-error">{error.message}</p> : null}
      {result ? (
        <div data-testid="rule-result">
          <p role="status">{t('rules.result', { matched: num(result.matched), scanned: num(result.scanned) })}{result.complete ? '' : ` ${t('rules.partial')}`}</p>
          {result.matches.map((m) => (
            <details key={m.seq}>
              <summary>{time(m.time)} · #{m.seq} · {m.matchedFields.join(', ')}</summary>
              <pre>{JSON.stringify(m.event, null, 2)}</pre>
            </details>
          ))}
        </div>
      ) : null}
    </form>
  );
}
