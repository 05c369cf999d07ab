/**
 * @module web/screens/campaigns
 * Campaigns across organisations (the national centre only): which organisations were hit and when,
 * the shared key and indicators; confirm (issues the early warning) or dismiss.
 */
import { useState } from 'react';
import type { Campaign, Page } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { useLiveReload } from '../live.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine, SeverityBadge } from '../widgets/labels.js';

export function Campaigns() {
  const { api, orgs, centre } = useSession();
  const { t, time, name } = useI18n();
  const loaded = useLoad(() => (centre ? api.get<Page<Campaign>>('/api/v1/campaigns', { limit: 200 }) : Promise.resolve({ items: [], next: null })), [api, centre]);
  useLiveReload(loaded.reload);
  const [error, setError] = useState<string | null>(null);
  const act = async (id: string, action: 'confirm' | 'dismiss') => {
    setError(null);
    try {
      await api.post(`/api/v1/campaigns/${encodeURIComponent(id)}/${action}`);
      loaded.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (!centre) return <section className="screen"><h1>{t('campaigns.title')}</h1><p className="muted">{t('campaigns.centreOnly')}</p></section>;
  const items = loaded.data?.items ?? [];
  return (
    <section className="screen">
      <header className="screen-head"><h1>{t('campaigns.title')}</h1></header>
      <ErrorLine error={loaded.error} />
      {error ? <p className="error" role="alert">{error}</p> : null}
      {loaded.data && items.length === 0 ? <p className="muted">{t('campaigns.empty')}</p> : null}
      {items.map((c) => (
        <article key={c.id} className="card stack" data-campaign={c.id}>
          <div className="row">
            <SeverityBadge severity={c.severity} />
            <strong>{c.title}</strong>
            <span className="muted">{t(`campaigns.status.${c.status}`)}</span>
            <span className="muted small">{time(c.firstSeen)} → {time(c.lastSeen)}</span>
            {c.status === 'detected' ? (
              <span className="row" style={{ marginLeft: 'auto' }}>
                <button type="button" className="primary" onClick={() => void act(c.id, 'confirm')}>{t('campaigns.confirm')}</button>
                <button type="button" onClick={() => void act(c.id, 'dismiss')}>{t('campaigns.dismiss')}</button>
              </span>
            ) : null}
            {c.warningId ? <a href={`/warnings/${c.warningId}`} onClick={(e) => { e.preventDefault(); navigate(`/warnings/${c.warningId}`); }}>{t('nav.warnings')} →</a> : null}
          </div>
          <div className="small"><span className="muted">{t('campaigns.key')}: </span>{c.keyType}:{c.keyValue} · {c.technique}</div>
          <div className="small">
            <span className="muted">{t('campaigns.orgsHit')}: </span>
            {c.orgIds.map((id, i) => <span key={id} className="reason">{i + 1}. {name(orgs.get(id), id)}</span>)}
          </div>
          {c.indicators.length > 0 ? (
            <div className="small"><span className="muted">{t('campaigns.indicators')}: </span>{c.indicators.slice(0, 20).map((x) => <span key={`${x.type}:${x.value}`} className="reason">{x.type}:{x.value}</span>)}</div>
          ) : null}
        </article>
      ))}
    </section>
  );
}
