/**
 * @module web/screens/inventory
 * Organisations, information systems and sensors within the user's scope (src/api/orgs.ts,
 * src/api/systems.ts, src/api/sensors.ts): browse the organisations with their systems and sensors;
 * the systems list (security level, software CPEs, sensors, approved plan, security budget under
 * 10%) with a registration form; the sensors list with a registration form that shows the new
 * sensor's key once; for admins, the users of their scope (./users.tsx). Admins and operators
 * register; everyone else reads.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api-client.js';
import type { InformationSystem, Organization, Role, Sensor } from '../api-types.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine } from '../widgets/labels.js';
import { UserList } from './users.js';

export function mayManageInventory(role: Role): boolean {
  return role === 'admin' || role === 'operator';
}

/** Entries of a free-text list: one per line or separated by commas, blanks dropped. */
export function splitList(text: string): string[] {
  return text.split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '');
}

const tabs: { path: string; label: MessageKey; adminOnly?: boolean }[] = [
  { path: '/inventory', label: 'inventory.systems' },
  { path: '/inventory/sensors', label: 'inventory.sensors' },
  { path: '/inventory/orgs', label: 'inventory.orgs' },
  { path: '/inventory/users', label: 'inventory.users', adminOnly: true },
];

function Tabs({ path, admin }: { path: string; admin: boolean }) {
  const { t } = useI18n();
  return (
    <div className="tabs" role="tablist">
      {tabs.filter((tab) => admin || !tab.adminOnly).map((tab) => (
        <a key={tab.path} href={tab.path} role="tab" aria-selected={tab.path === path} className={tab.path === path ? 'active' : ''}
          onClick={(e) => { e.preventDefault(); navigate(tab.path); }}>{t(tab.label)}</a>
      ))}
    </div>
  );
}

function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.field ? `${e.message} (${e.field})` : e.message;
  return e instanceof Error ? e.message : String(e);
}

function OrgSelect({ value, onChange, orgs, all }: { value: string; onChange: (v: string) => void; orgs: readonly Organization[]; all?: boolean }) {
  const { t, name } = useI18n();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)}>
      {all ? <option value="">{t('common.all')}</option> : null}
      {orgs.map((o) => <option key={o.id} value={o.id}>{o.code} · {name(o)}</option>)}
    </select>
  );
}

function sortedOrgs(orgs: ReadonlyMap<string, Organization>): Organization[] {
  return [...orgs.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export function Inventory({ path }: { path: string }) {
  const { t } = useI18n();
  const { me } = useSession();
  const admin = me.user.role === 'admin';
  return (
    <section className="screen">
      <header className="screen-head"><h1>{t('inventory.title')}</h1></header>
      <Tabs path={path} admin={admin} />
      {path === '/inventory/orgs' ? <OrgList /> : path === '/inventory/sensors' ? <SensorList /> : path === '/inventory/users' && admin ? <UserList /> : <SystemList />}
    </section>
  );
}

function OrgList() {
  const { api, orgs } = useSession();
  const { t, name } = useI18n();
  const systems = useLoad(() => api.get<{ items: InformationSystem[] }>('/api/v1/systems'), [api]);
  const sensors = useLoad(() => api.get<{ items: Sensor[] }>('/api/v1/sensors'), [api]);
  const count = (list: { orgId: string }[] | undefined, id: string): number | string => (list ? list.filter((x) => x.orgId === id).length : '…');
  // Depth-first from the roots in scope, so each organisation follows its parent.
  const all = sortedOrgs(orgs);
  const ordered: { org: Organization; depth: number }[] = [];
  const visit = (org: Organization, depth: number): void => {
    ordered.push({ org, depth });
    for (const child of all.filter((o) => o.parentId === org.id)) visit(child, depth + 1);
  };
  for (const root of all.filter((o) => o.parentId === null || !orgs.has(o.parentId))) visit(root, 0);
  return (
    <div className="card">
      <ErrorLine error={systems.error ?? sensors.error} />
      <table data-testid="orgs-table">
        <thead>
          <tr>
            <th>{t('posture.code')}</th>
            <th>{t('common.organisation')}</th>
            <th>{t('common.kind')}</th>
            <th>{t('inventory.sector')}</th>
            <th>{t('inventory.region')}</th>
            <th>{t('inventory.systems')}</th>
            <th>{t('inventory.sensors')}</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map(({ org, depth }) => (
            <tr key={org.id} data-org={org.id}>
              <td>{org.code}</td>
              <td style={{ paddingLeft: `${8 + depth * 16}px` }}>{name(org)}</td>
              <td>{t(`orgKind.${org.kind}`)}</td>
              <td>{org.sector ?? '—'}</td>
              <td>{org.region ?? '—'}</td>
              <td>{count(systems.data?.items, org.id)}</td>
              <td>{count(sensors.data?.items, org.id)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SystemList() {
  const { api, orgs, me } = useSession();
  const { t, name } = useI18n();
  const [org, setOrg] = useState('');
  const [belowBudget, setBelowBudget] = useState(false);
  const [creating, setCreating] = useState(false);
  const loaded = useLoad(() => api.get<{ items: InformationSystem[] }>('/api/v1/systems', { org, belowSecurityBudgetMinimum: belowBudget ? 'true' : undefined }), [api, org, belowBudget]);
  const sensors = useLoad(() => api.get<{ items: Sensor[] }>('/api/v1/sensors'), [api]);
  const sensorName = (id: string): string => sensors.data?.items.find((s) => s.id === id)?.name ?? id;
  const items = loaded.data?.items ?? [];
  const list = sortedOrgs(orgs);
  return (
    <>
      <div className="filters">
        <label>{t('common.organisation')}<OrgSelect value={org} onChange={setOrg} orgs={list} all /></label>
        <label className="inline"><input type="checkbox" checked={belowBudget} onChange={(e) => setBelowBudget(e.target.checked)} /> {t('inventory.onlyBelowBudget')}</label>
        {mayManageInventory(me.user.role) ? (
          <button type="button" className="primary" onClick={() => setCreating((c) => !c)}>{creating ? t('common.cancel') : t('inventory.newSystem')}</button>
        ) : null}
      </div>
      {creating ? <SystemForm orgs={list} sensors={sensors.data?.items ?? []} onCreated={() => { setCreating(false); loaded.reload(); }} /> : null}
      <ErrorLine error={loaded.error} />
      <div className="card">
        {loaded.data && items.length === 0 ? <p className="muted">{t('inventory.noSystems')}</p> : null}
        <table data-testid="systems-table">
          <thead>
            <tr>
              <th>{t('inventory.system')}</th>
              <th>{t('common.organisation')}</th>
              <th>{t('inventory.level')}</th>
              <th>{t('inventory.software')}</th>
              <th>{t('inventory.sensors')}</th>
              <th>{t('inventory.plan')}</th>
              <th>{t('inventory.budget')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-system={s.id}>
                <td><strong>{s.name}</strong><div className="muted small">{s.owner.unit}</div></td>
                <td>{name(orgs.get(s.orgId), s.orgId)}</td>
                <td>{t('inventory.levelN', { level: s.securityLevel })}</td>
                <td className="small">{s.software.length === 0 ? '—' : s.software.map((sw) => <span key={sw.cpe} className="reason" title={sw.cpe}>{sw.vendor}:{sw.product}{sw.version ? ` ${sw.version}` : ''}</span>)}</td>
                <td className="small">{s.sensorIds.length === 0 ? <span className="state late">{t('overview.noSensor')}</span> : s.sensorIds.map((id) => <span key={id} className="reason">{sensorName(id)}</span>)}</td>
                <td>{s.securityPlan.approved ? <span className="state yes">{t('inventory.approvedOn', { day: s.securityPlan.approvedOn ?? '' })}</span> : <span className="state late">{t('inventory.notApproved')}</span>}</td>
                <td>
                  {s.securityBudgetShare === null
                    ? <span className="muted">{t('inventory.budgetUnknown')}</span>
                    : <span className={s.securityBudgetBelowMinimum ? 'state late' : 'state yes'} data-below={s.securityBudgetBelowMinimum}>
                      {Math.round(s.securityBudgetShare * 1000) / 10}%{s.securityBudgetBelowMinimum ? ` · ${t('inventory.belowMinimum')}` : ''}
                    </span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function SystemForm({ orgs, sensors, onCreated }: { orgs: readonly Organization[]; sensors: readonly Sensor[]; onCreated: () => void }) {
  const { api, me } = useSession();
  const { t } = useI18n();
  const [orgId, setOrgId] = useState(me.organization.id);
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('');
  const [level, setLevel] = useState(2);
  const [software, setSoftware] = useState('');
  const [hostnames, setHostnames] = useState('');
  const [ipRanges, setIpRanges] = useState('');
  const [sensorIds, setSensorIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const own = sensors.filter((s) => s.orgId === orgId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post<InformationSystem>('/api/v1/systems', {
        orgId,
        name,
        owner: { unit },
        securityLevel: level,
        software: splitList(software).map((cpe) => ({ cpe })),
        hostnames: splitList(hostnames),
        ipRanges: splitList(ipRanges),
        sensorIds: sensorIds.filter((id) => own.some((s) => s.id === id)),
      });
      onCreated();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stack" onSubmit={submit} data-testid="system-form">
      <h2>{t('inventory.newSystem')}</h2>
      <div className="three">
        <label>{t('common.organisation')}<OrgSelect value={orgId} onChange={setOrgId} orgs={orgs} /></label>
        <label>{t('inventory.system')}<input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={256} /></label>
        <label>{t('inventory.ownerUnit')}<input name="unit" value={unit} onChange={(e) => setUnit(e.target.value)} required maxLength={256} /></label>
      </div>
      <label>{t('inventory.level')}
        <select value={level} onChange={(e) => setLevel(Number(e.target.value))}>
          {[1, 2, 3, 4, 5].map((n) => <option key={n} value={n}>{t('inventory.levelN', { level: n })}</option>)}
        </select>
      </label>
      <label>{t('inventory.softwareCpes')}<textarea name="software" rows={3} value={software} onChange={(e) => setSoftware(e.target.value)} placeholder="cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*" /></label>
      <div className="two">
        <label>{t('inventory.hostnames')}<textarea name="hostnames" rows={2} value={hostnames} onChange={(e) => setHostnames(e.target.value)} placeholder="dichvucong.example.gov.vn" /></label>
        <label>{t('inventory.ipRanges')}<textarea name="ipRanges" rows={2} value={ipRanges} onChange={(e) => setIpRanges(e.target.value)} placeholder="203.0.113.0/24" /></label>
      </div>
      {own.length > 0 ? (
        <fieldset>
          <legend>{t('inventory.sensors')}</legend>
          {own.map((s) => (
            <label key={s.id} className="inline">
              <input type="checkbox" checked={sensorIds.includes(s.id)} onChange={(e) => setSensorIds((ids) => (e.target.checked ? [...ids, s.id] : ids.filter((x) => x !== s.id)))} /> {s.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div><button type="submit" className="primary" disabled={busy}>{t('common.save')}</button></div>
    </form>
  );
}

function SensorList() {
  const { api, orgs, me } = useSession();
  const { t, name, time } = useI18n();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<(Sensor & { key: string }) | null>(null);
  const loaded = useLoad(() => api.get<{ items: Sensor[] }>('/api/v1/sensors'), [api]);
  const items = loaded.data?.items ?? [];
  return (
    <>
      <div className="filters">
        {mayManageInventory(me.user.role) ? (
          <button type="button" className="primary" onClick={() => { setCreating((c) => !c); setCreated(null); }}>{creating ? t('common.cancel') : t('inventory.newSensor')}</button>
        ) : null}
      </div>
      {created ? (
        <div className="card stack key-once" role="status" data-testid="sensor-key">
          <strong>{t('inventory.keyOnce', { name: created.name })}</strong>
          <code className="key">{created.key}</code>
          <div><button type="button" onClick={() => setCreated(null)}>{t('common.close')}</button></div>
        </div>
      ) : null}
      {creating ? <SensorForm orgs={sortedOrgs(orgs)} onCreated={(s) => { setCreated(s); setCreating(false); loaded.reload(); }} /> : null}
      <ErrorLine error={loaded.error} />
      <div className="card">
        {loaded.data && items.length === 0 ? <p className="muted">{t('inventory.noSensors')}</p> : null}
        <table data-testid="sensors-table">
          <thead>
            <tr>
              <th>{t('inventory.sensor')}</th>
              <th>{t('common.organisation')}</th>
              <th>{t('inventory.format')}</th>
              <th>{t('inventory.keyPrefix')}</th>
              <th>{t('common.status')}</th>
              <th>{t('inventory.created')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-sensor={s.id}>
                <td><strong>{s.name}</strong></td>
                <td>{name(orgs.get(s.orgId), s.orgId)}</td>
                <td>{s.format ?? t('inventory.autoFormat')}</td>
                <td><code>{s.keyPrefix}…</code></td>
                <td>{s.enabled ? <span className="state yes">{t('inventory.enabled')}</span> : <span className="state no">{t('inventory.disabled')}</span>}</td>
                <td>{time(s.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function SensorForm({ orgs, onCreated }: { orgs: readonly Organization[]; onCreated: (s: Sensor & { key: string }) => void }) {
  const { api, me } = useSession();
  const { t } = useI18n();
  const [orgId, setOrgId] = useState(me.organization.id);
  const [name, setName] = useState('');
  const [format, setFormat] = useState('');
  const [sources, setSources] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reply = await api.post<Sensor & { key: string }>('/api/v1/sensors', {
        orgId,
        name,
        ...(format.trim() !== '' ? { format: format.trim() } : {}),
        syslogSources: splitList(sources),
      });
      onCreated(reply);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stack" onSubmit={submit} data-testid="sensor-form">
      <h2>{t('inventory.newSensor')}</h2>
      <div className="three">
        <label>{t('common.organisation')}<OrgSelect value={orgId} onChange={setOrgId} orgs={orgs} /></label>
        <label>{t('inventory.sensor')}<input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} /></label>
        <label>{t('inventory.format')}<input name="format" value={format} onChange={(e) => setFormat(e.target.value)} placeholder="auto" /></label>
      </div>
      <label>{t('inventory.syslogSources')}<textarea name="sources" rows={2} value={sources} onChange={(e) => setSources(e.target.value)} placeholder="192.0.2.10, 198.51.100.0/24" /></label>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div><button type="submit" className="primary" disabled={busy}>{t('common.save')}</button></div>
    </form>
  );
}
