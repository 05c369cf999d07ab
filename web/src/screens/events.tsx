/**
 * @module web/screens/events
 * Event search over the user's scope, in the manner of Kibana's Discover: a time range, exact
 * field filters (`source.ip:203.0.113.7`, as `GET /api/v1/events` takes them), free text in the raw
 * line, newest first, with a histogram of the events found over the range (of the pages loaded:
 * the API has no filtered count) and each event's fields on demand.
 */
import { Fragment, useMemo, useState, type FormEvent } from 'react';
import type { StoredEvent } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine } from '../widgets/labels.js';

interface Search {
  hours: number;
  /** End of the range: when the search was made. */
  to: number;
  filters: string[];
  q: string;
}

const ranges = [1, 6, 24, 24 * 7] as const;

function field(event: Record<string, unknown>, path: string): unknown {
  let value: unknown = event;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** `count` events per bucket over [from, to), `buckets` buckets. */
export function histogram(times: readonly number[], from: number, to: number, buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0);
  const width = (to - from) / buckets;
  for (const t of times) {
    if (t < from || t >= to) continue;
    const i = Math.min(buckets - 1, Math.floor((t - from) / width));
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}

export function Events() {
  const { api } = useSession();
  const { t, time, num } = useI18n();
  const [draft, setDraft] = useState<{ hours: number; filters: string; q: string }>({ hours: 24, filters: '', q: '' });
  const [search, setSearch] = useState<Search>(() => ({ hours: 24, to: Date.now(), filters: [], q: '' }));
  const [open, setOpen] = useState<number | null>(null);
  const to = search.to;
  const from = to - search.hours * 3_600_000;
  const loaded = useLoad(async () => {
    const params = new URLSearchParams({ from: String(from), to: String(to), limit: '1000' });
    for (const f of search.filters) params.append('filter', f);
    if (search.q) params.set('q', search.q);
    return api.get<{ items: StoredEvent[]; next: string | null }>(`/api/v1/events?${params.toString()}`);
  }, [api, search, from, to]);
  const items = loaded.data?.items ?? [];
  const bars = useMemo(() => histogram(items.map((e) => Date.parse(String(e.event['@timestamp']))), from, to, 48), [items, from, to]);
  const max = Math.max(1, ...bars);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch({ hours: draft.hours, to: Date.now(), q: draft.q.trim(), filters: draft.filters.split(/\s+/).map((s) => s.trim()).filter((s) => s.includes(':')) });
  };
  return (
    <section className="screen">
      <header className="screen-head">
        <h1>{t('events.title')}</h1>
        <span className="muted" data-testid="event-count">{t('events.count', { count: `${num(items.length)}${loaded.data?.next ? '+' : ''}` })}</span>
      </header>
      <form className="filters" onSubmit={submit}>
        <label>{t('events.range')}
          <select name="hours" value={draft.hours} onChange={(e) => setDraft((d) => ({ ...d, hours: Number(e.target.value) }))}>
            {ranges.map((h) => <option key={h} value={h}>{t('events.lastHours', { hours: h })}</option>)}
          </select>
        </label>
        <label style={{ flex: 2 }}>{t('events.filters')}<input name="filters" placeholder="source.ip:203.0.113.7 event.outcome:failure" value={draft.filters} onChange={(e) => setDraft((d) => ({ ...d, filters: e.target.value }))} /></label>
        <label style={{ flex: 2 }}>{t('events.text')}<input name="q" value={draft.q} onChange={(e) => setDraft((d) => ({ ...d, q: e.target.value }))} /></label>
        <button type="submit" className="primary">{t('events.search')}</button>
      </form>
      <ErrorLine error={loaded.error} />
      <div className="card">
        <svg viewBox="0 0 480 60" preserveAspectRatio="none" className="trend" role="img" aria-label={t('events.histogram')} data-testid="event-histogram">
          {bars.map((count, i) => {
            const h = count === 0 ? 0 : Math.max(2, (count / max) * 56);
            return <rect key={i} x={i * 10 + 1} y={60 - h} width="8" height={h} className="trend-bar"><title>{`${time(new Date(from + (i * (to - from)) / 48).toISOString())}: ${count}`}</title></rect>;
          })}
        </svg>
        <div className="row small muted"><span>{time(new Date(from).toISOString())}</span><span style={{ marginLeft: 'auto' }}>{time(new Date(to).toISOString())}</span></div>
      </div>
      <div className="card">
        <table data-testid="events-table">
          <thead><tr><th>{t('common.time')}</th><th>source.ip</th><th>event.outcome</th><th>{t('events.original')}</th></tr></thead>
          <tbody>
            {items.slice(0, 300).map((e) => (
              <Fragment key={e.seq}>
                <tr className="clickable" onClick={() => setOpen(open === e.seq ? null : e.seq)}>
                  <td className="small">{time(String(e.event['@timestamp']))}</td>
                  <td className="small">{String(field(e.event, 'source.ip') ?? '')}</td>
                  <td className="small">{String(field(e.event, 'event.outcome') ?? '')}</td>
                  <td className="small" style={{ wordBreak: 'break-all' }}>{String(field(e.event, 'event.original') ?? '').slice(0, 240)}</td>
                </tr>
                {open === e.seq ? <tr><td colSpan={4}><pre>{JSON.stringify(e.event, null, 2)}</pre></td></tr> : null}
              </Fragment>
            ))}
          </tbody>
        </table>
        {items.length > 300 ? <p className="muted small">{t('common.more', { count: items.length - 300 })}</p> : null}
      </div>
    </section>
  );
}
