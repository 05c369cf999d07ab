/**
 * @module web/screens/incidents
 * Incidents the user may see (their subtree's, and those they respond to) and the workspace of
 * one: status changes along the lifecycle, assignment, timeline with comments, tasks, observables,
 * linked alerts, and asking the centre for help.
 */
import { useState, type FormEvent } from 'react';
import { timelineActions, type TimelineAction } from '../api-types.js';
import { incidentStatuses, observableTypes, type Incident, type IncidentDetail, type IncidentStatus, type ObservableType, type Page } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { useLiveReload } from '../live.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine, SeverityBadge, TlpLabel } from '../widgets/labels.js';

export function Incidents() {
  const { api, orgs } = useSession();
  const { t, time, name } = useI18n();
  const [onlyOpen, setOnlyOpen] = useState(true);
  const loaded = useLoad(() => api.get<Page<Incident>>('/api/v1/incidents', { open: onlyOpen ? 'true' : undefined, limit: 500 }), [api, onlyOpen]);
  useLiveReload(loaded.reload);
  const items = loaded.data?.items ?? [];
  return (
    <section className="screen">
      <header className="screen-head"><h1>{t('incidents.title')}</h1></header>
      <div className="filters">
        <label className="inline"><input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)} /> {t('incidents.onlyOpen')}</label>
      </div>
      <ErrorLine error={loaded.error} />
      <div className="card">
        {loaded.data && items.length === 0 ? <p className="muted">{t('incidents.empty')}</p> : null}
        <table data-testid="incidents-table">
          <thead>
            <tr><th>{t('common.severity')}</th><th>{t('common.title')}</th><th>{t('common.organisation')}</th><th>{t('common.status')}</th><th>{t('incidents.technique')}</th><th>{t('common.time')}</th></tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} className="clickable" onClick={() => navigate(`/incidents/${i.id}`)}>
                <td><SeverityBadge severity={i.severity} /></td>
                <td>{i.title} {i.helpRequested ? <span className="reason">{t('incidents.helpRequested')}</span> : null}</td>
                <td>{name(orgs.get(i.orgId), i.orgId)}</td>
                <td>{t(`incidents.status.${i.status}`)}</td>
                <td>{i.technique}</td>
                <td className="small muted">{time(i.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function IncidentWorkspace({ id }: { id: string }) {
  const { api, orgs, me } = useSession();
  const { t, time, name } = useI18n();
  const loaded = useLoad(() => api.get<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`), [api, id]);
  useLiveReload(loaded.reload);
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [task, setTask] = useState('');
  const [obsType, setObsType] = useState<ObservableType>('ip');
  const [obsValue, setObsValue] = useState('');
  const [help, setHelp] = useState('');
  const incident = loaded.data;
  const mayWork = me.user.role !== 'viewer';
  const act = async (run: () => Promise<unknown>, after?: () => void) => {
    setError(null);
    try {
      await run();
      after?.();
      loaded.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (!incident) return <section className="screen"><ErrorLine error={loaded.error} />{loaded.error ? null : <p className="muted">{t('common.loading')}</p>}</section>;
  const owner = incident.access === 'owner';
  const submit = (run: () => Promise<unknown>, after: () => void) => (e: FormEvent) => {
    e.preventDefault();
    void act(run, after);
  };
  const base = `/api/v1/incidents/${encodeURIComponent(incident.id)}`;
  const actorName = (actor: string, orgId: string | null): string => {
    if (actor === me.user.id) return t('timeline.you');
    if (actor === 'system') return t('timeline.system');
    const org = orgId ? orgs.get(orgId) : undefined;
    return org ? `${actor.slice(0, 12)}… (${org.code})` : actor;
  };
  const timelineLabel = (action: string): string => (timelineActions.includes(action as TimelineAction) ? t(`timeline.${action as TimelineAction}`) : action);
  return (
    <section className="screen">
      <header className="screen-head">
        <button type="button" className="ghost" onClick={() => navigate('/incidents')}>← {t('common.back')}</button>
        <h1>{incident.title}</h1>
        <SeverityBadge severity={incident.severity} />
        <TlpLabel tlp={incident.tlp} />
        <span className="muted">{t(`incidents.status.${incident.status}`)}</span>
      </header>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="workspace">
        <div className="stack">
          <div className="card">
            <h2>{t('incidents.timeline')}</h2>
            <ol className="timeline">
              {incident.timeline.map((e) => (
                <li key={e.id} data-action={e.action}>
                  <span className="small muted">{time(e.at)} · {actorName(e.actor, e.actorOrgId)} · {timelineLabel(e.action)}</span>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{e.text}</div>
                </li>
              ))}
            </ol>
            {mayWork ? (
              <form className="row" onSubmit={submit(() => api.post(`${base}/comments`, { text: comment }), () => setComment(''))}>
                <input name="comment" aria-label={t('incidents.comment')} placeholder={t('incidents.comment')} value={comment} onChange={(e) => setComment(e.target.value)} required />
                <button type="submit">{t('incidents.addComment')}</button>
              </form>
            ) : null}
          </div>
          <div className="card">
            <h2>{t('incidents.alerts')}</h2>
            <ul className="plain-list">
              {incident.alerts.map((a) => <li key={a.id}><SeverityBadge severity={a.severity} /> {a.ruleTitle} <span className="small muted">{time(a.eventTime)}</span></li>)}
            </ul>
          </div>
        </div>
        <div className="stack">
          <div className="card stack">
            <div className="small">
              <div>{t('common.organisation')}: {name(orgs.get(incident.orgId), incident.orgId)}</div>
              <div>{t('incidents.technique')}: {incident.technique}</div>
              <div>{t('incidents.entity')}: {incident.entity.type}:{incident.entity.value}</div>
              <div>{t('incidents.assignee')}: {incident.assignee ?? '—'}</div>
              {incident.helpRequested ? <div className="state late">{t('incidents.helpRequested')}</div> : null}
            </div>
            {mayWork && owner ? (
              <>
                <label>{t('incidents.moveTo')}
                  <select name="status" value={incident.status} onChange={(e) => void act(() => api.patch(base, { status: e.target.value as IncidentStatus }))}>
                    {incidentStatuses.map((s) => <option key={s} value={s}>{t(`incidents.status.${s}`)}</option>)}
                  </select>
                </label>
                <button type="button" onClick={() => void act(() => api.patch(base, { assignee: me.user.id }))}>{t('incidents.assignMe')}</button>
                {!incident.helpRequested ? (
                  <form className="stack" onSubmit={submit(() => api.post(`${base}/help`, { text: help }), () => setHelp(''))}>
                    <label>{t('incidents.helpText')}<textarea name="help" value={help} onChange={(e) => setHelp(e.target.value)} required minLength={3} /></label>
                    <button type="submit">{t('incidents.askHelp')}</button>
                  </form>
                ) : null}
              </>
            ) : null}
          </div>
          <div className="card">
            <h2>{t('incidents.tasks')}</h2>
            <ul className="plain-list">
              {incident.tasks.map((task) => (
                <li key={task.id} className="row">
                  <span style={{ textDecoration: task.status === 'done' ? 'line-through' : undefined }}>{task.title}</span>
                  {mayWork && task.status === 'open' ? <button type="button" className="ghost" onClick={() => void act(() => api.patch(`${base}/tasks/${task.id}`, { status: 'done' }))}>{t('incidents.markDone')}</button> : null}
                </li>
              ))}
            </ul>
            {mayWork ? (
              <form className="row" onSubmit={submit(() => api.post(`${base}/tasks`, { title: task }), () => setTask(''))}>
                <input name="task" aria-label={t('incidents.addTask')} value={task} onChange={(e) => setTask(e.target.value)} required minLength={3} />
                <button type="submit">{t('incidents.addTask')}</button>
              </form>
            ) : null}
          </div>
          <div className="card">
            <h2>{t('incidents.observables')}</h2>
            <ul className="plain-list small">
              {incident.observables.map((o) => <li key={`${o.type}:${o.value}`}><span className="reason">{o.type}</span> {o.value}</li>)}
            </ul>
            {mayWork ? (
              <form className="row" onSubmit={submit(() => api.post(`${base}/observables`, { items: [{ type: obsType, value: obsValue }] }), () => setObsValue(''))}>
                <select aria-label={t('common.kind')} value={obsType} onChange={(e) => setObsType(e.target.value as ObservableType)}>
                  {observableTypes.map((o) => <option key={o} value={o}>{o}</option>)}
                </select>
                <input name="observable" aria-label={t('incidents.addObservable')} value={obsValue} onChange={(e) => setObsValue(e.target.value)} required />
                <button type="submit">{t('incidents.addObservable')}</button>
              </form>
            ) : null}
          </div>
        </div>
      </div>
    </section>
  );
}
