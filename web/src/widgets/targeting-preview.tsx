/**
 * @module web/widgets/targeting-preview
 * Who a warning will reach, while it is being written: the targets are sent to
 * `POST /api/v1/warnings/preview` (the same resolution as at issue, src/warn/targeting.ts) a moment
 * after the analyst stops typing, and the organisations come back with the reasons they were chosen
 * (`sector:y-te`, `software:apache/struts<=2.5.30`) and the systems concerned.
 */
import { useEffect, useState } from 'react';
import type { Organization, PreviewReply, WarningTargets } from '../api-types.js';
import { useI18n } from '../i18n.js';

export interface TargetingPreviewProps {
  /** Null: nothing chosen yet. */
  targets: WarningTargets | null;
  preview: (targets: WarningTargets) => Promise<PreviewReply>;
  orgs: ReadonlyMap<string, Organization>;
  /** Milliseconds of quiet before asking (tests pass 0). */
  debounceMs?: number;
  onResult?: (reply: PreviewReply | null) => void;
}

export function TargetingPreview({ targets, preview, orgs, debounceMs = 300, onResult }: TargetingPreviewProps) {
  const { t, name, num } = useI18n();
  const [reply, setReply] = useState<PreviewReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = targets === null ? '' : JSON.stringify(targets);

  useEffect(() => {
    if (targets === null) {
      setReply(null);
      setError(null);
      onResult?.(null);
      return;
    }
    let cancelled = false;
    setBusy(true);
    const timer = setTimeout(() => {
      preview(targets)
        .then((r) => {
          if (cancelled) return;
          setReply(r);
          setError(null);
          onResult?.(r);
        })
        .catch((e: unknown) => {
          if (cancelled) return;
          setReply(null);
          setError(e instanceof Error ? e.message : String(e));
          onResult?.(null);
        })
        .finally(() => !cancelled && setBusy(false));
    }, debounceMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // `key` stands for `targets` (a new object on every render of the form).
  }, [key, preview, debounceMs]);

  return (
    <aside className="card preview" aria-live="polite" data-testid="targeting-preview" aria-busy={busy}>
      <h2>{t('preview.title')}</h2>
      {targets === null ? <p className="muted">{t('preview.none')}</p> : null}
      {busy ? <p className="muted small">{t('preview.updating')}</p> : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      {targets !== null && reply !== null ? (
        <>
          <p data-testid="preview-count"><strong>{reply.count === 0 ? t('preview.empty') : t('preview.count', { count: num(reply.count) })}</strong></p>
          <ul>
            {reply.recipients.slice(0, 200).map((r) => {
              const org = orgs.get(r.orgId);
              return (
                <li key={r.orgId} data-org={org?.code ?? r.orgId}>
                  <div>{name(org, r.orgId)} {org ? <span className="muted small">({org.code})</span> : null}</div>
                  <div className="small">
                    <span className="muted">{t('preview.reasons')}: </span>
                    {r.reasons.map((reason) => <span key={reason} className="reason">{reason}</span>)}
                    {r.systemIds.length > 0 ? <span className="muted"> · {t('preview.systems', { count: r.systemIds.length })}</span> : null}
                  </div>
                </li>
              );
            })}
          </ul>
          {reply.recipients.length > 200 ? <p className="muted small">{t('common.more', { count: reply.recipients.length - 200 })}</p> : null}
        </>
      ) : null}
    </aside>
  );
}
