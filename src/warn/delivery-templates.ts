/**
 * @module warn/delivery-templates
 * What a contact receives, in the contact's language: an e-mail (subject, plain text and simple
 * HTML) for one notification or for a digest of several, and the JSON body of a webhook. Every
 * value that came from a warning is escaped in HTML (text and attributes) and stripped of line
 * breaks in the subject, so a title cannot inject markup or headers. The TLP label leads the
 * subject, as TLP 2.0 asks of e-mail ("in the subject line").
 */
import type { AlertSeverity } from '../core/model.js';
import { tlpLevels, type Tlp } from '../intel/model.js';
import type { ContactLanguage } from './delivery-model.js';
import type { Notification, NotificationKind } from './notification.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const kindLabels: Record<NotificationKind, Record<ContactLanguage, string>> = {
  warning: { vi: 'Cảnh báo', en: 'Warning' },
  escalation: { vi: 'Chuyển cấp', en: 'Escalation' },
  reminder: { vi: 'Nhắc việc', en: 'Reminder' },
  campaign: { vi: 'Chiến dịch tấn công', en: 'Attack campaign' },
};

const severityLabels: Record<AlertSeverity, Record<ContactLanguage, string>> = {
  informational: { vi: 'Thông tin', en: 'Informational' },
  low: { vi: 'Thấp', en: 'Low' },
  medium: { vi: 'Trung bình', en: 'Medium' },
  high: { vi: 'Cao', en: 'High' },
  critical: { vi: 'Nghiêm trọng', en: 'Critical' },
};

/** TLP 2.0 (FIRST) sharing rules, as a line under the text. */
const tlpRules: Record<Tlp, Record<ContactLanguage, string>> = {
  clear: { vi: 'TLP:CLEAR — được chia sẻ công khai.', en: 'TLP:CLEAR — may be shared publicly.' },
  green: { vi: 'TLP:GREEN — chỉ chia sẻ trong cộng đồng, không công khai.', en: 'TLP:GREEN — share within the community, not publicly.' },
  amber: { vi: 'TLP:AMBER — chỉ chia sẻ trong tổ chức và với khách hàng cần biết.', en: 'TLP:AMBER — share only within your organisation and its clients, on a need-to-know basis.' },
  'amber+strict': { vi: 'TLP:AMBER+STRICT — chỉ chia sẻ trong tổ chức của bạn.', en: 'TLP:AMBER+STRICT — share only within your organisation.' },
  red: { vi: 'TLP:RED — chỉ dành cho người nhận, không chia sẻ tiếp.', en: 'TLP:RED — for the named recipients only; do not share.' },
};

const phrases = {
  open: { vi: 'Xem và xác nhận trên Vigil', en: 'View and acknowledge in Vigil' },
  footer: {
    vi: 'Vigil — Trung tâm giám sát an toàn thông tin và cảnh báo sớm Chính phủ điện tử. Thư gửi tự động, vui lòng không trả lời.',
    en: 'Vigil — e-government security monitoring and early-warning centre. Sent automatically; please do not reply.',
  },
  digestSubject: { vi: 'Bản tin tổng hợp: {n} thông báo mức thấp', en: 'Digest: {n} low-severity notifications' },
  digestIntro: { vi: 'Các thông báo mức thấp và thông tin kể từ bản tin trước:', en: 'Low-severity and informational notifications since the last digest:' },
} as const;

/** Text safe inside HTML elements and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line for a header: no CR, LF or other control characters, bounded. */
function headerText(text: string, max = 240): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The notification's link made absolute against the dashboard's address when one is configured. */
export function absoluteLink(link: string, dashboardUrl: string | undefined): string {
  if (dashboardUrl === undefined) return link;
  try {
    return new URL(link, dashboardUrl).toString();
  } catch {
    return link;
  }
}

/** Only http(s) and relative links become anchors: never `javascript:` or `data:`. */
function safeHref(link: string): string | null {
  if (/^https?:\/\//i.test(link) || link.startsWith('/')) return link;
  return null;
}

function tlpLabel(tlp: Tlp): string {
  return `TLP:${tlp.toUpperCase()}`;
}

/** The most restrictive of several TLP levels (a digest is marked by its most restricted item). */
export function mostRestrictive(levels: readonly Tlp[]): Tlp {
  return levels.reduce<Tlp>((max, t) => (tlpLevels.indexOf(t) > tlpLevels.indexOf(max) ? t : max), 'clear');
}

export function renderNotificationEmail(n: Notification, language: ContactLanguage, dashboardUrl?: string): RenderedEmail {
  const title = n.title[language];
  const body = n.text[language];
  const kind = kindLabels[n.kind][language];
  const severity = severityLabels[n.severity][language];
  const link = absoluteLink(n.link, dashboardUrl);
  const subject = headerText(`[${tlpLabel(n.tlp)}] ${kind} (${severity}): ${title}`);
  const text = [
    title,
    '',
    `${kind} · ${severity} · ${tlpLabel(n.tlp)}`,
    '',
    body,
    '',
    `${phrases.open[language]}: ${link}`,
    '',
    tlpRules[n.tlp][language],
    '-- ',
    phrases.footer[language],
  ].join('\n');
  const href = safeHref(link);
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif">`,
    `<p><strong>${escapeHtml(tlpLabel(n.tlp))}</strong> · ${escapeHtml(kind)} · ${escapeHtml(severity)}</p>`,
    `<h1 style="font-size:1.3em">${escapeHtml(title)}</h1>`,
    `<p style="white-space:pre-wrap">${escapeHtml(body)}</p>`,
    href === null ? `<p>${escapeHtml(link)}</p>` : `<p><a href="${escapeHtml(href)}">${escapeHtml(phrases.open[language])}</a></p>`,
    `<p style="color:#555">${escapeHtml(tlpRules[n.tlp][language])}</p>`,
    `<hr><p style="color:#777;font-size:0.9em">${escapeHtml(phrases.footer[language])}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export function renderDigestEmail(items: readonly Notification[], language: ContactLanguage, dashboardUrl?: string): RenderedEmail {
  const tlp = mostRestrictive(items.map((n) => n.tlp));
  const subject = headerText(`[${tlpLabel(tlp)}] ${phrases.digestSubject[language].replace('{n}', String(items.length))}`);
  const lines = items.map((n) => `- [${severityLabels[n.severity][language]}] [${tlpLabel(n.tlp)}] ${n.title[language]}\n  ${absoluteLink(n.link, dashboardUrl)}`);
  const text = [phrases.digestIntro[language], '', ...lines, '', tlpRules[tlp][language], '-- ', phrases.footer[language]].join('\n');
  const htmlItems = items.map((n) => {
    const link = absoluteLink(n.link, dashboardUrl);
    const href = safeHref(link);
    const title = escapeHtml(n.title[language]);
    const label = `[${escapeHtml(severityLabels[n.severity][language])}] [${escapeHtml(tlpLabel(n.tlp))}]`;
    return `<li>${label} ${href === null ? title : `<a href="${escapeHtml(href)}">${title}</a>`}</li>`;
  });
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif">`,
    `<p>${escapeHtml(phrases.digestIntro[language])}</p>`,
    `<ul>${htmlItems.join('')}</ul>`,
    `<p style="color:#555">${escapeHtml(tlpRules[tlp][language])}</p>`,
    `<hr><p style="color:#777;font-size:0.9em">${escapeHtml(phrases.footer[language])}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** The JSON a webhook receives: the delivery id (also in `X-Vigil-Delivery`) and the notification whole. */
export function renderWebhookBody(deliveryId: string, n: Notification, language: ContactLanguage, sentAt: string): string {
  return JSON.stringify({ id: deliveryId, type: `notification.${n.kind}`, language, sentAt, notification: n });
}
