/**
 * @module web/screens/warning-compose
 * Writing a warning: both languages, severity, TLP, deadlines and targets (organisations, sectors,
 * regions, kinds of organisation, software in the inventory), with the targeting preview beside the
 * form; issued at once (`POST /api/v1/warnings` with `issue: true`) or kept as a draft.
 */
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { severities, tlpLevels, type OrgKind, type PreviewReply, type Severity, type SoftwareSelector, type Tlp, type Warning, type WarningTargets } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { TargetingPreview } from '../widgets/targeting-preview.js';

export interface TargetFields {
  orgs: string;
  sectors: string;
  regions: string;
  software: string;
  kinds: OrgKind[];
}

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

/** `apache:struts<=2.5.30` → vendor, product, highest exposed version; `struts` → the product only. */
export function parseSoftware(text: string): SoftwareSelector[] {
  return list(text).map((item) => {
    const [left, maxVersion] = item.split('<=').map((s) => s.trim());
    const parts = (left ?? '').split(':').map((s) => s.trim());
    const selector: SoftwareSelector = parts.length > 1 ? { vendor: parts[0] as string, product: parts.slice(1).join(':') } : { product: parts[0] as string };
    if (maxVersion) selector.maxVersion = maxVersion;
    return selector;
  });
}

/** The API's targets from the form, or null when nothing is chosen. */
export function targetsFromFields(fields: TargetFields): WarningTargets | null {
  const targets: WarningTargets = {};
  const orgs = list(fields.orgs);
  const sectors = list(fields.sectors);
  const regions = list(fields.regions);
  const software = parseSoftware(fields.software);
  if (orgs.length) targets.orgs = orgs;
  if (sectors.length) targets.sectors = sectors;
  if (regions.length) targets.regions = regions;
  if (software.length) targets.software = software;
  if (fields.kinds.length) targets.kinds = fields.kinds;
  return Object.keys(targets).length === 0 ? null : targets;
}

const selectableKinds: OrgKind[] = ['ministry', 'sector', 'province', 'agency'];

export function WarningCompose() {
  const { api, orgs } = useSession();
  const { t, name } = useI18n();
  const [kind, setKind] = useState<'warning' | 'advisory'>('warning');
  const [severity, setSeverity] = useState<Severity>('high');
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [titleVi, setTitleVi] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [textVi, setTextVi] = useState('');
  const [textEn, setTextEn] = useState('');
  const [actionsVi, setActionsVi] = useState('');
  const [actionsEn, setActionsEn] = useState('');
  const [fields, setFields] = useState<TargetFields>({ orgs: '', sectors: '', regions: '', software: '', kinds: [] });
  const [ackHours, setAckHours] = useState(24);
  const [remediateHours, setRemediateHours] = useState(168);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reached, setReached] = useState<PreviewReply | null>(null);

  const targets = useMemo(() => targetsFromFields(fields), [fields]);
  const preview = useCallback((tg: WarningTargets) => api.post<PreviewReply>('/api/v1/warnings/preview', { targets: tg }), [api]);
  const orgCodes = useMemo(() => [...orgs.values()].filter((o) => o.kind !== 'national'), [orgs]);

  const submit = async (issue: boolean, e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    if (![titleVi, titleEn, textVi, textEn].every((s) => s.trim().length > 0)) {
      setError(t('compose.missing'));
      return;
    }
    if (targets === null) {
      setError(t('preview.none'));
      return;
    }
    const vi = actionsVi.split('\n').map((s) => s.trim()).filter(Boolean);
    const en = actionsEn.split('\n').map((s) => s.trim()).filter(Boolean);
    const actions = vi.map((v, i) => ({ vi: v, en: en[i] ?? v }));
    setBusy(true);
    try {
      const created = await api.post<Warning>('/api/v1/warnings', {
        kind, severity, tlp, title: { vi: titleVi, en: titleEn }, text: { vi: textVi, en: textEn }, actions, targets,
        ackWithinHours: ackHours, remediateWithinHours: remediateHours, issue,
      });
      navigate(`/warnings/${created.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const set = (key: keyof Omit<TargetFields, 'kinds'>) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [key]: e.target.value }));
  return (
    <section className="screen">
      <header className="screen-head"><h1>{t('compose.title')}</h1></header>
      <div className="compose">
        <form className="card" onSubmit={(e) => void submit(true, e)} data-testid="compose-form">
          <div className="three">
            <label>{t('common.kind')}
              <select name="kind" value={kind} onChange={(e) => setKind(e.target.value === 'advisory' ? 'advisory' : 'warning')}>
                <option value="warning">{t('warnings.kind.warning')}</option>
                <option value="advisory">{t('warnings.kind.advisory')}</option>
              </select>
            </label>
            <label>{t('common.severity')}
              <select name="severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
                {severities.map((s) => <option key={s} value={s}>{t(`severity.${s}`)}</option>)}
              </select>
            </label>
            <label>{t('compose.tlp')}
              <select name="tlp" value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
                {tlpLevels.map((l) => <option key={l} value={l}>TLP:{l.toUpperCase()}</option>)}
              </select>
            </label>
          </div>
          <div className="two">
            <label>{t('compose.titleVi')}<input name="titleVi" lang="vi" value={titleVi} onChange={(e) => setTitleVi(e.target.value)} /></label>
            <label>{t('compose.titleEn')}<input name="titleEn" lang="en" value={titleEn} onChange={(e) => setTitleEn(e.target.value)} /></label>
            <label>{t('compose.textVi')}<textarea name="textVi" lang="vi" value={textVi} onChange={(e) => setTextVi(e.target.value)} /></label>
            <label>{t('compose.textEn')}<textarea name="textEn" lang="en" value={textEn} onChange={(e) => setTextEn(e.target.value)} /></label>
            <label>{t('compose.actionsVi')}<textarea name="actionsVi" lang="vi" value={actionsVi} onChange={(e) => setActionsVi(e.target.value)} /></label>
            <label>{t('compose.actionsEn')}<textarea name="actionsEn" lang="en" value={actionsEn} onChange={(e) => setActionsEn(e.target.value)} /></label>
          </div>
          <fieldset>
            <legend>{t('compose.targets')}</legend>
            <label>{t('compose.orgs')}<input name="orgs" list="org-codes" value={fields.orgs} onChange={set('orgs')} /></label>
            <datalist id="org-codes">
              {orgCodes.map((o) => <option key={o.id} value={o.code}>{name(o)}</option>)}
            </datalist>
            <div className="two">
              <label>{t('compose.sectors')}<input name="sectors" value={fields.sectors} onChange={set('sectors')} /></label>
              <label>{t('compose.regions')}<input name="regions" value={fields.regions} onChange={set('regions')} /></label>
            </div>
            <label>{t('compose.software')}<input name="software" placeholder="apache:struts<=2.5.30" value={fields.software} onChange={set('software')} /></label>
            <div>
              <span className="muted small">{t('compose.kinds')}</span>
              <div className="kinds">
                {selectableKinds.map((k) => (
                  <label key={k} className="inline">
                    <input type="checkbox" name={`kind-${k}`} checked={fields.kinds.includes(k)}
                      onChange={(e) => setFields((f) => ({ ...f, kinds: e.target.checked ? [...f.kinds, k] : f.kinds.filter((x) => x !== k) }))} />
                    {t(`orgKind.${k}`)}
                  </label>
                ))}
              </div>
            </div>
          </fieldset>
          <div className="two">
            <label>{t('compose.ackHours')}<input type="number" min={1} name="ackHours" value={ackHours} onChange={(e) => setAckHours(Number(e.target.value))} /></label>
            <label>{t('compose.remediateHours')}<input type="number" min={1} name="remediateHours" value={remediateHours} onChange={(e) => setRemediateHours(Number(e.target.value))} /></label>
          </div>
          {error ? <p className="error" role="alert">{error}</p> : null}
          <div className="row">
            <button type="submit" className="primary" disabled={busy || reached?.count === 0} data-testid="compose-send">{t('compose.send')}</button>
            <button type="button" disabled={busy} onClick={() => void submit(false)}>{t('compose.saveDraft')}</button>
            <button type="button" className="ghost" onClick={() => navigate('/warnings')}>{t('common.cancel')}</button>
          </div>
        </form>
        <TargetingPreview targets={targets} preview={preview} orgs={orgs} onResult={setReached} />
      </div>
    </section>
  );
}
