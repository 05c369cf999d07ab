/**
 * @module web/screens/warning-board
 * One warning and its delivery board: for every recipient the user may see, whether the
 * notification went out (each recipient's deliveries, as `GET /api/v1/warnings/:id` gives them), whether and when it
 * was acknowledged, what remediation was reported per system, escalations and the deadlines. When
 * the user's own organisation is a recipient, they acknowledge and report remediation here. The
 * board follows the live stream and re-reads every 3 s while open (acknowledgements and deliveries are not on the stream).
 */
import { useEffect, useState } from 'react';
import { remediationStatuses, type Delivery, type RemediationStatus, type WarningDetail, type WarningRecipient } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { useLiveReload } from '../live.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine, SeverityBadge, TlpLabel } from '../widgets/labels.js';

interface BoardData {
  warning: WarningDetail;
  deliveries: Delivery[];
}

const done = (r: WarningRecipient): boolean => r.remediation.length > 0 && r.remediation.every((x) => x.status === 'remediated' || x.status === 'not-affected');

export function WarningBoard({ id }: { id: string }) {
  const { api, orgs, me } = useSession();
  const { t, time, name, lang } = useI18n();
  const loaded = useLoad<BoardData>(async () => {
    const warning = await api.get<WarningDetail>(`/api/v1/warnings/${encodeURIComponent(id)}`);
    // The warning's recipients carry their deliveries; from an older centre, read the outbox (viewers may not: then none).
    const joined = warning.recipients.every((r) => Array.isArray(r.deliveries));
    const deliveries = joined ? [] : await api.get<{ items: Delivery[] }>('/api/v1/deliveries', { subject: id, limit: 1000 }).then((r) => r.items.filter((d) => d.kind !== 'escalation'), () => []);
    return { warning, deliveries };
  }, [api, id]);
  useLiveReload(loaded.reload);
  useEffect(() => {
    const timer = setInterval(loaded.reload, 3000);
    return () => clearInterval(timer);
  }, [loaded.reload]);

  const data = loaded.data;
  if (!data) return <section className="screen"><ErrorLine error={loaded.error} />{loaded.error ? null : <p className="muted">{t('common.loading')}</p>}</section>;
  const { warning, deliveries } = data;
  const now = Date.now();
  const ackLate = now > Date.parse(warning.ackDeadline);
  const remLate = now > Date.parse(warning.remediationDeadline);
  const acked = warning.recipients.filter((r) => r.acknowledgedAt !== null).length;
  const remediated = warning.recipients.filter(done).length;
  const mine = warning.recipients.find((r) => r.orgId === me.user.orgId);
  const byOrg = new Map<string, Delivery[]>();
  for (const d of deliveries) byOrg.set(d.orgId, [...(byOrg.get(d.orgId) ?? []), d]);

  return (
    <section className="screen">
      <header className="screen-head">
        <button type="button" className="ghost" onClick={() => navigate('/warnings')}>← {t('common.back')}</button>
        <h1 data-testid="warning-title">{warning.title[lang]}</h1>
        <SeverityBadge severity={warning.severity} />
        <TlpLabel tlp={warning.tlp} />
        <span className="muted">{t(`warnings.status.${warning.status}`)}</span>
      </header>
      <ErrorLine error={loaded.error} />
      <div className="workspace">
        <div className="card">
          <p style={{ whiteSpace: 'pre-wrap' }}>{warning.text[lang]}</p>
          {warning.actions.length > 0 ? (
            <>
              <h3>{t('board.actions')}</h3>
              <ol>{warning.actions.map((a, i) => <li key={i}>{a[lang]}</li>)}</ol>
            </>
          ) : null}
          {warning.references.length > 0 ? <p className="small"><span className="muted">{t('board.references')}: </span>{warning.references.join(', ')}</p> : null}
        </div>
        <div className="card stack">
          <div className="small">
            <div>{t('warnings.issued')}: {time(warning.issuedAt)}</div>
            <div>{t('warnings.ackBy')}: {time(warning.ackDeadline)} {ackLate ? <span className="state late">({t('common.overdue')})</span> : null}</div>
            <div>{t('warnings.remediateBy')}: {time(warning.remediationDeadline)} {remLate ? <span className="state late">({t('common.overdue')})</span> : null}</div>
          </div>
          {mine ? <RecipientActions warning={warning} recipient={mine} onDone={loaded.reload} /> : null}
        </div>
      </div>
      <div className="card">
        <h2>{t('board.title')}</h2>
        <p data-testid="board-summary">{t('board.summary', { acked, remediated, total: warning.recipients.length })}</p>
        <table data-testid="delivery-board">
          <thead>
            <tr>
              <th>{t('common.organisation')}</th>
              <th>{t('preview.reasons')}</th>
              <th>{t('board.channels')}</th>
              <th>{t('board.acknowledged')}</th>
              <th>{t('board.remediated')}</th>
            </tr>
          </thead>
          <tbody>
            {warning.recipients.map((r) => {
              const org = orgs.get(r.orgId);
              const sent = r.deliveries ? r.deliveries.map((d, i) => ({ ...d, id: `${r.orgId}-${i}` })) : (byOrg.get(r.orgId) ?? []);
              return (
                <tr key={r.orgId} data-org={org?.code ?? r.orgId} data-acknowledged={r.acknowledgedAt !== null} data-remediated={done(r)}>
                  <td>{name(org, r.orgId)}{org ? <div className="muted small">{org.code}</div> : null}</td>
                  <td>{r.reasons.map((x) => <span key={x} className="reason">{x}</span>)}</td>
                  <td className="small">
                    {sent.length === 0 ? <span className="state no">{t('board.pending')}</span> : null}
                    {sent.map((d) => (
                      <div key={d.id} data-delivery-status={d.status} title={d.lastError ?? undefined}>
                        <span className={`state ${d.status === 'delivered' ? 'yes' : d.status === 'failed' ? 'late' : 'no'}`}>
                          {d.status === 'delivered' ? t('board.delivered') : d.status === 'failed' ? t('board.failed') : d.status === 'no-contact' ? t('board.noContact') : t('board.pending')}
                        </span>{' '}
                        <span className="muted">{d.channel === 'none' ? '' : `${d.channel} ${d.address ?? ''}`} {d.deliveredAt ? time(d.deliveredAt) : ''}</span>
                      </div>
                    ))}
                  </td>
                  <td>
                    {r.acknowledgedAt ? <span className="state yes">✓ {time(r.acknowledgedAt)}</span> : <span className={`state ${ackLate ? 'late' : 'no'}`}>{ackLate ? t('common.overdue') : t('board.notYet')}</span>}
                    {r.ackEscalation > 0 ? <div className="small state late">{t('board.escalated', { step: r.ackEscalation })}</div> : null}
                  </td>
                  <td>
                    {r.remediation.length === 0 ? <span className={`state ${remLate ? 'late' : 'no'}`}>{remLate ? t('common.overdue') : t('board.notYet')}</span> : null}
                    {r.remediation.map((x, i) => (
                      <div key={i} className="small">
                        <span className={`state ${x.status === 'remediated' || x.status === 'not-affected' ? 'yes' : 'no'}`}>{t(`remediation.${x.status}`)}</span>
                        {x.systemId ? <span className="muted"> · {x.systemId}</span> : null}
                      </div>
                    ))}
                    {r.remediationEscalation > 0 ? <div className="small state late">{t('board.escalated', { step: r.remediationEscalation })}</div> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RecipientActions({ warning, recipient, onDone }: { warning: WarningDetail; recipient: WarningRecipient; onDone: () => void }) {
  const { api, me } = useSession();
  const { t } = useI18n();
  const [status, setStatus] = useState<RemediationStatus>('remediated');
  const [evidence, setEvidence] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mayRespond = me.user.role !== 'viewer';
  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const systems = recipient.systemIds.length > 0 ? recipient.systemIds : [null];
  return (
    <div className="stack" data-testid="recipient-actions">
      <p><strong>{t('board.youAreRecipient')}</strong></p>
      {mayRespond && recipient.acknowledgedAt === null && warning.status === 'issued' ? (
        <button type="button" className="primary" disabled={busy} data-testid="acknowledge" onClick={() => void act(() => api.post(`/api/v1/warnings/${warning.id}/acknowledge`, {}))}>
          {t('board.acknowledge')}
        </button>
      ) : null}
      {recipient.acknowledgedAt !== null ? <p className="state yes" data-testid="acknowledged">✓ {t('board.acknowledged')}</p> : null}
      {mayRespond && warning.status === 'issued' ? (
        <form className="stack" onSubmit={(e) => {
          e.preventDefault();
          void act(() => api.post(`/api/v1/warnings/${warning.id}/remediation`, { reports: systems.map((systemId) => ({ systemId, status, ...(evidence.trim() ? { evidence } : {}) })) }));
        }}>
          <label>{t('board.remediationStatus')}
            <select name="remediationStatus" value={status} onChange={(e) => setStatus(e.target.value as RemediationStatus)}>
              {remediationStatuses.map((s) => <option key={s} value={s}>{t(`remediation.${s}`)}</option>)}
            </select>
          </label>
          <label>{t('board.evidence')}<textarea name="evidence" value={evidence} onChange={(e) => setEvidence(e.target.value)} /></label>
          <button type="submit" disabled={busy} data-testid="report-remediation">{t('board.reportRemediation')}</button>
        </form>
      ) : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
    </div>
  );
}
