/**
 * @module web/screens/warnings
 * Warnings and advisories the user may read, newest first, with how many recipients they reach;
 * analysts open the compose form from here.
 */
import { useState } from 'react';
import type { Page, Warning } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { useLiveReload } from '../live.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine, SeverityBadge, TlpLabel } from '../widgets/labels.js';

export function mayIssueWarnings(role: string): boolean {
  return role === 'admin' || role === 'analyst';
}

export function Warnings() {
  const { api, me } = useSession();
  const { t, time, lang } = useI18n();
  const [unacked, setUnacked] = useState(false);
  const loaded = useLoad(() => api.get<Page<Warning>>('/api/v1/warnings', { limit: 200, unacknowledged: unacked ? 'true' : undefined }), [api, unacked]);
  useLiveReload(loaded.reload);
  const items = loaded.data?.items ?? [];
  return (
    <section className="screen">
      <header className="screen-head">
        <h1>{t('warnings.title')}</h1>
        <div className="actions">
          {mayIssueWarnings(me.user.role) ? (
            <button type="button" className="primary" onClick={() => navigate('/warnings/new')}>{t('warnings.compose')}</button>
          ) : null}
        </div>
      </header>
      <div className="filters">
        <label className="inline"><input type="checkbox" checked={unacked} onChange={(e) => setUnacked(e.target.checked)} /> {t('warnings.onlyUnacked')}</label>
      </div>
      <ErrorLine error={loaded.error} />
      <div className="card">
        {loaded.data && items.length === 0 ? <p className="muted">{t('warnings.empty')}</p> : null}
        <table data-testid="warnings-table">
          <thead>
            <tr>
              <th>{t('common.severity')}</th>
              <th>{t('common.title')}</th>
              <th>{t('common.kind')}</th>
              <th>{t('common.status')}</th>
              <th>{t('warnings.recipients')}</th>
              <th>{t('warnings.issued')}</th>
              <th>{t('warnings.ackBy')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id} className="clickable" data-warning={w.id} onClick={() => navigate(`/warnings/${w.id}`)}>
                <td><SeverityBadge severity={w.severity} /></td>
                <td>
                  <a href={`/warnings/${w.id}`} onClick={(e) => { e.preventDefault(); navigate(`/warnings/${w.id}`); }}>{w.title[lang]}</a>{' '}
                  <TlpLabel tlp={w.tlp} />
                </td>
                <td>{t(`warnings.kind.${w.kind}`)}</td>
                <td>{t(`warnings.status.${w.status}`)}</td>
                <td>{w.recipientCount}</td>
                <td>{time(w.issuedAt)}</td>
                <td>{time(w.ackDeadline)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
