/**
 * @module web/screens/alerts
 * The alert queue: newest first, filtered by status, severity and kind, read a page of 1,000 at a
 * time as the analyst scrolls, drawn virtualised (@tanstack/react-virtual: only the rows in view
 * exist in the DOM, so 10k rows scroll as smoothly as 10). Rows are selected for bulk acknowledge
 * or close; the selected alert's matched events and evidence are shown side by side. New alerts
 * arrive on the live stream (`alert` events, per organisation, with a count): the queue reloads by
 * itself while nothing is selected, otherwise it says how many are new and waits for a click.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { alertKinds, alertStatuses, severities, type Alert, type AlertWithEvents, type Page } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { useLiveMessages } from '../live.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine, SeverityBadge } from '../widgets/labels.js';

interface Filters {
  status: string;
  severity: string;
  kind: string;
  rule: string;
}

const ROW = 36;
const PAGE = 1000;

export function Alerts() {
  const { api, orgs } = useSession();
  const { t, time, name, num } = useI18n();
  const [filters, setFilters] = useState<Filters>({ status: 'open', severity: '', kind: '', rule: '' });
  const [rows, setRows] = useState<Alert[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [current, setCurrent] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const generation = useRef(0);
  const [fresh, setFresh] = useState(0);

  const fetchPage = useCallback(async (cursor: string | null, replace: boolean) => {
    const mine = generation.current;
    setLoading(true);
    try {
      const page = await api.get<Page<Alert>>('/api/v1/alerts', { ...filters, limit: PAGE, cursor: cursor ?? undefined });
      if (mine !== generation.current) return;
      setRows((old) => (replace ? page.items : [...old, ...page.items]));
      setNext(page.next);
      setError(null);
    } catch (e) {
      if (mine === generation.current) setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [api, filters]);

  useEffect(() => {
    generation.current++;
    setSelected(new Set());
    setFresh(0);
    void fetchPage(null, true);
  }, [fetchPage, round]);

  // Live: count what the stream announces; reload at most every 2 s while the analyst has nothing selected.
  const idle = selected.size === 0;
  useLiveMessages(['alert'], (message) => setFresh((n) => n + newAlertCount(message.data)));
  useEffect(() => {
    if (fresh === 0 || !idle) return;
    const timer = setTimeout(() => setRound((r) => r + 1), 2000);
    return () => clearTimeout(timer);
  }, [fresh, idle]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 50 && next !== null && !loading) void fetchPage(next, false);
  }, [last, rows.length, next, loading, fetchPage]);

  const [grouped, setGrouped] = useState(false);
  const toggle = useCallback((id: string) => setSelected((s) => {
    const copy = new Set(s);
    if (copy.has(id)) copy.delete(id);
    else copy.add(id);
    return copy;
  }), []);
  const byRule = useMemo(() => {
    const groups = new Map<string, { title: string; count: number; worst: Alert['severity'] }>();
    const rank = (s: Alert['severity']) => ['informational', 'low', 'medium', 'high', 'critical'].indexOf(s);
    for (const a of rows) {
      const g = groups.get(a.ruleId);
      if (!g) groups.set(a.ruleId, { title: a.ruleTitle, count: 1, worst: a.severity });
      else {
        g.count++;
        if (rank(a.severity) > rank(g.worst)) g.worst = a.severity;
      }
    }
    return [...groups.entries()].sort((a, b) => b[1].count - a[1].count);
  }, [rows]);
  const bulk = async (action: 'acknowledge' | 'true_positive' | 'false_positive') => {
    const ids = [...selected];
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const path = action === 'acknowledge' ? `/api/v1/alerts/${id}/acknowledge` : `/api/v1/alerts/${id}/close`;
        await api.post(path, action === 'acknowledge' ? {} : { resolution: action }).catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, ids.length) }, worker));
    setRound((r) => r + 1);
  };
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value }));

  return (
    <section className="screen">
      <header className="screen-head">
        <h1>{t('alerts.title')}</h1>
        <span className="muted" data-testid="alert-count">{t('alerts.count', { count: `${num(rows.length)}${next ? '+' : ''}` })}</span>
        {fresh > 0 ? <button type="button" className="ghost" data-testid="alerts-fresh" onClick={() => setRound((r) => r + 1)}>{t('alerts.newLive', { count: num(fresh) })}</button> : null}
      </header>
      <div className="filters">
        <label>{t('common.status')}
          <select name="status" value={filters.status} onChange={set('status')}>
            <option value="">{t('common.all')}</option>
            {alertStatuses.map((s) => <option key={s} value={s}>{t(`alerts.status.${s}`)}</option>)}
          </select>
        </label>
        <label>{t('common.severity')}
          <select name="severity" value={filters.severity} onChange={set('severity')}>
            <option value="">{t('common.all')}</option>
            {severities.map((s) => <option key={s} value={s}>{t(`severity.${s}`)}</option>)}
          </select>
        </label>
        <label>{t('common.kind')}
          <select name="kind" value={filters.kind} onChange={set('kind')}>
            <option value="">{t('common.all')}</option>
            {alertKinds.map((k) => <option key={k} value={k}>{t(`alerts.kind.${k}`)}</option>)}
          </select>
        </label>
        {filters.rule ? (
          <button type="button" onClick={() => setFilters((f) => ({ ...f, rule: '' }))}>{t('alerts.rule')}: {filters.rule} ✕</button>
        ) : null}
        <label className="inline"><input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} data-testid="group-by-rule" /> {t('alerts.groupByRule')}</label>
      </div>
      <ErrorLine error={error} />
      {grouped ? (
        <div className="card">
          <table data-testid="alert-groups">
            <thead><tr><th>{t('common.severity')}</th><th>{t('alerts.rule')}</th><th>{t('common.count')}</th></tr></thead>
            <tbody>
              {byRule.map(([ruleId, g]) => (
                <tr key={ruleId} className="clickable" onClick={() => { setFilters((f) => ({ ...f, rule: ruleId })); setGrouped(false); }}>
                  <td><SeverityBadge severity={g.worst} /></td>
                  <td>{g.title} <span className="muted small">{ruleId}</span></td>
                  <td>{num(g.count)}{next ? '+' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="alerts-layout">
        <div className="card alert-queue">
          <div className="bulk">
            <span className="muted">{t('alerts.selected', { count: selected.size })}</span>
            <button type="button" disabled={selected.size === 0} onClick={() => void bulk('acknowledge')} data-testid="bulk-ack">{t('alerts.acknowledge')}</button>
            <button type="button" disabled={selected.size === 0} onClick={() => void bulk('true_positive')}>{t('alerts.closeTp')}</button>
            <button type="button" disabled={selected.size === 0} onClick={() => void bulk('false_positive')}>{t('alerts.closeFp')}</button>
          </div>
          <div className="queue-head" role="row">
            <input type="checkbox" aria-label={t('alerts.selectAll')} checked={rows.length > 0 && selected.size === rows.length}
              onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())} />
            <span>{t('common.severity')}</span>
            <span>{t('alerts.rule')}</span>
            <span>{t('common.status')}</span>
            <span>{t('common.time')}</span>
          </div>
          <div ref={scroller} className="queue-scroll" data-testid="alert-queue">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const alert = rows[item.index] as Alert;
                const org = orgs.get(alert.orgId);
                return (
                  <QueueRow key={alert.id} alert={alert} start={item.start} checked={selected.has(alert.id)} current={current === alert.id}
                    orgCode={org?.code ?? ''} orgName={name(org, alert.orgId)} status={t(`alerts.status.${alert.status}`)} when={time(alert.eventTime)}
                    onToggle={toggle} onOpen={setCurrent} />
                );
              })}
            </div>
          </div>
        </div>
        <AlertDetail id={current} onChanged={() => setRound((r) => r + 1)} />
      </div>
    </section>
  );
}

interface QueueRowProps {
  alert: Alert;
  start: number;
  checked: boolean;
  current: boolean;
  orgCode: string;
  orgName: string;
  status: string;
  when: string;
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
}

/** One row of the queue; memoised, so scrolling re-renders only the rows that come into view. */
const QueueRow = memo(function QueueRow({ alert, start, checked, current, orgCode, orgName, status, when, onToggle, onOpen }: QueueRowProps) {
  return (
    <div className={`queue-row${current ? ' selected' : ''}`} data-alert={alert.id}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${start}px)` }}
      onClick={() => onOpen(alert.id)}>
      <input type="checkbox" aria-label={alert.ruleTitle} checked={checked} onClick={(e) => e.stopPropagation()} onChange={() => onToggle(alert.id)} />
      <span><SeverityBadge severity={alert.severity} /></span>
      <span title={`${alert.ruleTitle} · ${orgName}`}>{alert.ruleTitle} <span className="muted small">· {orgCode}</span></span>
      <span>{status}</span>
      <span className="muted small">{when}</span>
    </div>
  );
});

function AlertDetail({ id, onChanged }: { id: string | null; onChanged: () => void }) {
  const { api, orgs } = useSession();
  const { t, time, name } = useI18n();
  const loaded = useLoad<AlertWithEvents | null>(() => (id === null ? Promise.resolve(null) : api.get<AlertWithEvents>(`/api/v1/alerts/${encodeURIComponent(id)}`)), [api, id]);
  const alert = loaded.data;
  const { me } = useSession();
  const [reason, setReason] = useState('');
  const [field, setField] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const mayExcept = me.user.role === 'admin' || me.user.role === 'analyst';
  const except = async () => {
    if (!alert) return;
    setOutcome(null);
    try {
      const reply = await api.post<{ exceptions: unknown[] }>(`/api/v1/alerts/${encodeURIComponent(alert.id)}/false-positive`, { reason, ...(field.trim() ? { field: field.trim() } : {}) });
      setOutcome(t('alerts.exceptionDone', { count: reply.exceptions.length }));
      onChanged();
      loaded.reload();
    } catch (e) {
      setOutcome(e instanceof Error ? e.message : String(e));
    }
  };
  if (id === null) return <div className="card"><p className="muted">{t('alerts.pick')}</p></div>;
  if (!alert) return <div className="card"><ErrorLine error={loaded.error} /><p className="muted">{t('common.loading')}</p></div>;
  return (
    <div className="card detail" data-testid="alert-detail">
      <h2>{alert.ruleTitle} <SeverityBadge severity={alert.severity} /></h2>
      <div className="small muted">{name(orgs.get(alert.orgId), alert.orgId)} · {time(alert.eventTime)} · {alert.ruleId} · {alert.tags.join(' ')}</div>
      {alert.details?.summary ? <p>{alert.details.summary}</p> : null}
      <div className="side-by-side">
        <div>
          <h3>{t('alerts.events')}</h3>
          {alert.events.length === 0 ? <p className="muted small">{t('alerts.noEvents')}</p> : null}
          {alert.events.slice(0, 20).map((e) => (
            <pre key={e.seq}>{eventText(e.event)}</pre>
          ))}
        </div>
        <div>
          <h3>{t('alerts.evidence')}</h3>
          {alert.matchedFields.length > 0 ? <p className="small"><span className="muted">{t('alerts.matchedFields')}: </span>{alert.matchedFields.join(', ')}</p> : null}
          {alert.details?.evidence?.map((ev) => (
            <div key={ev.location}>
              <div className="small muted">{ev.location}</div>
              <pre>{ev.decoded}</pre>
            </div>
          ))}
          {alert.group ? <pre>{JSON.stringify(alert.group, null, 2)}</pre> : null}
          {alert.details?.indicator ? <pre>{JSON.stringify(alert.details.indicator, null, 2)}</pre> : null}
          {alert.details?.measures ? <pre>{JSON.stringify(alert.details.measures, null, 2)}</pre> : null}
        </div>
      </div>
      {mayExcept && alert.status !== 'closed' ? (
        <form className="stack" onSubmit={(e) => { e.preventDefault(); void except(); }}>
          <div className="two">
            <label>{t('alerts.exceptionReason')}<input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} /></label>
            <label>{t('alerts.exceptionField')}<input name="field" value={field} onChange={(e) => setField(e.target.value)} /></label>
          </div>
          <div><button type="submit">{t('alerts.exception')}</button></div>
        </form>
      ) : null}
      {outcome ? <p className="small" role="status">{outcome}</p> : null}
    </div>
  );
}

/** How many new alerts an `alert` stream event announces (`{ orgId, count, alerts }`); 0 if unreadable. */
export function newAlertCount(data: string): number {
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed !== null && typeof parsed === 'object' && 'count' in parsed && typeof parsed.count === 'number' && parsed.count > 0) return parsed.count;
  } catch {
    // Not JSON: nothing to count.
  }
  return 0;
}

function eventText(event: Record<string, unknown>): string {
  const original = (event['event'] as { original?: unknown } | undefined)?.original;
  return typeof original === 'string' ? original : JSON.stringify(event, null, 2);
}
