/**
 * @module web/screens/intel
 * Threat intelligence (src/api/intel.ts, src/api/intel-export.ts): search the indicators the
 * user's organisation may see under TLP 2.0 (type, text, TLP), open one with where it was seen in
 * the user's scope, add one and revoke one (analysts); the statistics as a small panel; and the
 * STIX 2.1 bundle downloaded with the session's bearer token (fetch, then a Blob link — the token
 * never goes into a URL).
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api-client.js';
import { tlpLevels, type Page, type Tlp } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine, TlpLabel } from '../widgets/labels.js';

export const indicatorTypes = ['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256', 'email', 'ja3', 'ja4', 'user-agent'] as const;
export type IndicatorType = (typeof indicatorTypes)[number];

export interface Indicator {
  id: string;
  type: IndicatorType;
  value: string;
  source: string;
  confidence: number;
  firstSeen: string;
  lastSeen: string;
  validUntil: string | null;
  killChain: string[];
  attack: string[];
  labels: string[];
  description: string | null;
  tlp: Tlp;
  ownerOrgId: string;
  sharedWith: string[];
  revoked: boolean;
}

export type IndicatorDetail = Indicator & {
  warningList: string | null;
  sightings: {
    byOrganisation: { orgId: string; count: number; lastSeen: string }[];
    recent: { orgId: string; eventSeq: number; eventTime: string; field: string; value: string }[];
  };
};

interface StateCounts { active: number; expired: number; revoked: number; total: number }

export interface IntelStats {
  at: string;
  indicators: { total: StateCounts; byType: ({ type: string } & StateCounts)[]; byTlp: ({ tlp: Tlp } & StateCounts)[]; bySource: ({ source: string } & StateCounts)[] };
  sightings: { last24h: { sightings: number; organisations: number }; last7d: { sightings: number; organisations: number }; top: { indicatorId: string; type: string; value: string; tlp: Tlp; count: number }[] };
}

export function mayWriteIntel(role: string): boolean {
  return role === 'admin' || role === 'analyst';
}

/** Active, expired or revoked, as the list shows it. */
export function indicatorState(indicator: Pick<Indicator, 'revoked' | 'validUntil'>, now: number): 'active' | 'expired' | 'revoked' {
  if (indicator.revoked) return 'revoked';
  if (indicator.validUntil !== null && Date.parse(indicator.validUntil) <= now) return 'expired';
  return 'active';
}

interface Filters { type: string; q: string; tlp: string; all: boolean }

export function Intel() {
  const { api, me } = useSession();
  const { t, time } = useI18n();
  const [filters, setFilters] = useState<Filters>({ type: '', q: '', tlp: '', all: false });
  const [applied, setApplied] = useState<Filters>(filters);
  const [current, setCurrent] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const loaded = useLoad(() => api.get<Page<Indicator>>('/api/v1/intel/indicators', {
    type: applied.type, q: applied.q.trim().length >= 2 ? applied.q.trim() : undefined, tlp: applied.tlp, all: applied.all ? 'true' : undefined, limit: 200,
  }), [api, applied]);
  const items = loaded.data?.items ?? [];
  const now = Date.now();
  const search = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...filters });
  };
  const changed = (id: string | null) => {
    loaded.reload();
    if (id !== null) setCurrent(id);
  };
  return (
    <section className="screen">
      <header className="screen-head">
        <h1>{t('intel.title')}</h1>
        <div className="actions">
          <StixDownload />
          {mayWriteIntel(me.user.role) ? <button type="button" className="primary" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>{t('intel.add')}</button> : null}
        </div>
      </header>
      <IntelStatsPanel />
      {adding ? <AddIndicator onAdded={(id) => { setAdding(false); changed(id); }} /> : null}
      <form className="filters" onSubmit={search} role="search">
        <label>{t('intel.type')}
          <select name="type" value={filters.type} onChange={(e) => setFilters((f) => ({ ...f, type: e.target.value }))}>
            <option value="">{t('common.all')}</option>
            {indicatorTypes.map((type) => <option key={type} value={type}>{type}</option>)}
          </select>
        </label>
        <label>{t('intel.text')}<input name="q" value={filters.q} onChange={(e) => setFilters((f) => ({ ...f, q: e.target.value }))} /></label>
        <label>TLP
          <select name="tlp" value={filters.tlp} onChange={(e) => setFilters((f) => ({ ...f, tlp: e.target.value }))}>
            <option value="">{t('common.all')}</option>
            {tlpLevels.map((tlp) => <option key={tlp} value={tlp}>{tlp.toUpperCase()}</option>)}
          </select>
        </label>
        <label className="inline"><input type="checkbox" checked={filters.all} onChange={(e) => setFilters((f) => ({ ...f, all: e.target.checked }))} /> {t('intel.includeInactive')}</label>
        <button type="submit">{t('events.search')}</button>
      </form>
      <ErrorLine error={loaded.error} />
      <div className="workspace">
        <div className="card table-wrap">
          {loaded.data && items.length === 0 ? <p className="muted">{t('intel.empty')}</p> : null}
          <table data-testid="indicators-table">
            <thead>
              <tr><th>TLP</th><th>{t('intel.type')}</th><th>{t('intel.value')}</th><th>{t('intel.source')}</th><th>{t('intel.confidence')}</th><th>{t('intel.lastSeen')}</th><th>{t('common.status')}</th></tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} className={`clickable${current === i.id ? ' selected-row' : ''}`} data-indicator={i.id} onClick={() => setCurrent(i.id)}>
                  <td><TlpLabel tlp={i.tlp} /></td>
                  <td>{i.type}</td>
                  <td className="mono-cell" title={i.value}>{i.value}</td>
                  <td className="small clip-cell" title={i.source}>{i.source}</td>
                  <td>{i.confidence}</td>
                  <td className="small">{time(i.lastSeen)}</td>
                  <td>{t(`intel.state.${indicatorState(i, now)}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {loaded.data?.next ? <p className="muted small">{t('intel.narrow')}</p> : null}
        </div>
        <IndicatorPanel id={current} onChanged={() => changed(null)} />
      </div>
    </section>
  );
}

function IntelStatsPanel() {
  const { api } = useSession();
  const { t, num } = useI18n();
  const loaded = useLoad(() => api.get<IntelStats>('/api/v1/intel/stats', { top: 5 }), [api]);
  const stats = loaded.data;
  if (!stats) return <ErrorLine error={loaded.error} />;
  return (
    <div className="card intel-stats" data-testid="intel-stats">
      <div className="kpis">
        <div><span className="kpi-value">{num(stats.indicators.total.active)}</span> <span className="kpi-label">{t('intel.state.active')}</span></div>
        <div><span className="kpi-value">{num(stats.indicators.total.expired + stats.indicators.total.revoked)}</span> <span className="kpi-label">{t('intel.inactive')}</span></div>
        <div><span className="kpi-value">{num(stats.sightings.last24h.sightings)}</span> <span className="kpi-label">{t('intel.sightings24h', { orgs: t(stats.sightings.last24h.organisations === 1 ? 'intel.orgCountOne' : 'intel.orgCount', { count: num(stats.sightings.last24h.organisations) }) })}</span></div>
        <div><span className="kpi-value">{num(stats.sightings.last7d.sightings)}</span> <span className="kpi-label">{t('intel.sightings7d', { orgs: t(stats.sightings.last7d.organisations === 1 ? 'intel.orgCountOne' : 'intel.orgCount', { count: num(stats.sightings.last7d.organisations) }) })}</span></div>
      </div>
      <div className="row small">
        {stats.indicators.byTlp.filter((r) => r.total > 0).map((r) => <span key={r.tlp}><TlpLabel tlp={r.tlp} /> {num(r.active)}</span>)}
        {stats.indicators.byType.filter((r) => r.total > 0).slice(0, 8).map((r) => <span key={r.type} className="reason">{r.type}: {num(r.active)}</span>)}
      </div>
      {stats.sightings.top.length > 0 ? (
        <p className="small"><span className="muted">{t('intel.topSighted')}: </span>{stats.sightings.top.map((s) => `${s.value} (${num(s.count)})`).join(' · ')}</p>
      ) : null}
    </div>
  );
}

/** Fetches the STIX bundle with the bearer token and hands it to the browser as a file. */
export async function downloadStix(headers: Record<string, string>, fetchImpl: typeof fetch = (...args) => fetch(...args)): Promise<{ blob: Blob; truncated: boolean }> {
  const response = await fetchImpl('/api/v1/intel/export/stix', { headers: { ...headers, accept: 'application/stix+json;version=2.1' } });
  if (!response.ok) {
    let message = response.statusText;
    try {
      const body = (await response.json()) as { message?: string };
      message = body.message ?? message;
    } catch {
      // Not JSON: keep the status text.
    }
    throw new ApiError(response.status, `HTTP_${response.status}`, message);
  }
  return { blob: await response.blob(), truncated: response.headers.get('x-vigil-export-truncated') === 'true' };
}

function StixDownload() {
  const { api } = useSession();
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setNote(null);
    try {
      const { blob, truncated } = await downloadStix(api.headers());
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `vigil-stix-${new Date().toISOString().slice(0, 10)}.json`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      if (truncated) setNote(t('intel.stixTruncated'));
    } catch (e) {
      setNote(t('common.error', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row">
      <button type="button" onClick={() => void run()} disabled={busy} data-testid="stix-download">{t('intel.downloadStix')}</button>
      {note ? <span className="small muted" role="status">{note}</span> : null}
    </span>
  );
}

function IndicatorPanel({ id, onChanged }: { id: string | null; onChanged: () => void }) {
  const { api, me, orgs } = useSession();
  const { t, time, name, num } = useI18n();
  const loaded = useLoad<IndicatorDetail | null>(() => (id === null ? Promise.resolve(null) : api.get<IndicatorDetail>(`/api/v1/intel/indicators/${encodeURIComponent(id)}`)), [api, id]);
  const [error, setError] = useState<Error | null>(null);
  const indicator = loaded.data;
  if (id === null) return <div className="card"><p className="muted">{t('intel.pick')}</p></div>;
  if (!indicator) return <div className="card"><ErrorLine error={loaded.error} /><p className="muted">{t('common.loading')}</p></div>;
  const revoke = async () => {
    if (!window.confirm(t('intel.revokeConfirm', { value: indicator.value }))) return;
    setError(null);
    try {
      await api.delete(`/api/v1/intel/indicators/${encodeURIComponent(indicator.id)}`);
      loaded.reload();
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return (
    <div className="card detail" data-testid="indicator-detail">
      <h2><TlpLabel tlp={indicator.tlp} /> {indicator.type}</h2>
      <pre>{indicator.value}</pre>
      <div className="small muted">{indicator.source} · {t('intel.confidence')} {indicator.confidence} · {name(orgs.get(indicator.ownerOrgId), indicator.ownerOrgId)} · {t(`intel.state.${indicatorState(indicator, Date.now())}`)}</div>
      {indicator.description ? <p>{indicator.description}</p> : null}
      {indicator.warningList ? <p className="error small">{t('intel.warningList', { list: indicator.warningList })}</p> : null}
      <div className="row small">
        {[...indicator.labels, ...indicator.attack, ...indicator.killChain].map((l) => <span key={l} className="reason">{l}</span>)}
      </div>
      <div className="small">{t('intel.validity', { from: time(indicator.firstSeen), to: indicator.validUntil ? time(indicator.validUntil) : '∞' })}</div>
      <h3>{t('intel.sightings')}</h3>
      {indicator.sightings.byOrganisation.length === 0 ? <p className="muted small">{t('intel.noSightings')}</p> : (
        <table data-testid="sightings-table">
          <thead><tr><th>{t('common.organisation')}</th><th>{t('common.count')}</th><th>{t('intel.lastSeen')}</th></tr></thead>
          <tbody>
            {indicator.sightings.byOrganisation.map((s) => (
              <tr key={s.orgId}><td>{name(orgs.get(s.orgId), s.orgId)}</td><td>{num(s.count)}</td><td className="small">{time(s.lastSeen)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {indicator.sightings.recent.length > 0 ? (
        <ul className="plain-list small">
          {indicator.sightings.recent.slice(0, 10).map((s) => (
            <li key={`${s.orgId}-${s.eventSeq}-${s.field}`}>{time(s.eventTime)} · {orgs.get(s.orgId)?.code ?? s.orgId} · <code>{s.field}</code> #{s.eventSeq}</li>
          ))}
        </ul>
      ) : null}
      <ErrorLine error={error} />
      {mayWriteIntel(me.user.role) && !indicator.revoked ? <div><button type="button" onClick={() => void revoke()} data-testid="revoke">{t('intel.revoke')}</button></div> : null}
    </div>
  );
}

function AddIndicator({ onAdded }: { onAdded: (id: string) => void }) {
  const { api } = useSession();
  const { t } = useI18n();
  const [type, setType] = useState<IndicatorType>('ipv4');
  const [value, setValue] = useState('');
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [confidence, setConfidence] = useState(70);
  const [labels, setLabels] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<Indicator>('/api/v1/intel/indicators', {
        type, value: value.trim(), tlp, confidence,
        labels: labels.split(',').map((l) => l.trim()).filter((l) => l !== ''),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      onAdded(created.id);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stack" onSubmit={submit} data-testid="add-indicator" aria-label={t('intel.add')}>
      <div className="three">
        <label>{t('intel.type')}
          <select name="type" value={type} onChange={(e) => setType(e.target.value as IndicatorType)}>
            {indicatorTypes.map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        </label>
        <label>TLP
          <select name="tlp" value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
            {tlpLevels.map((x) => <option key={x} value={x}>{x.toUpperCase()}</option>)}
          </select>
        </label>
        <label>{t('intel.confidence')}<input name="confidence" type="number" min={0} max={100} value={confidence} onChange={(e) => setConfidence(Number(e.target.value))} /></label>
      </div>
      <label>{t('intel.value')}<input name="value" value={value} onChange={(e) => setValue(e.target.value)} required /></label>
      <div className="two">
        <label>{t('intel.labels')}<input name="labels" value={labels} onChange={(e) => setLabels(e.target.value)} /></label>
        <label>{t('intel.description')}<input name="description" value={description} onChange={(e) => setDescription(e.target.value)} /></label>
      </div>
      <ErrorLine error={error} />
      <div><button type="submit" className="primary" disabled={busy || value.trim() === ''}>{t('common.save')}</button></div>
    </form>
  );
}
