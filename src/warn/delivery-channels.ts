/**
 * @module warn/delivery-channels
 * The two outbound channels and how their answers are judged. Each send ends in `ok`, a failure to
 * retry (the default: a warning must not be lost to an outage), or a permanent failure, which is
 * reserved for answers that say the same request will never succeed:
 *
 * - e-mail: the SMTP server refused the recipient with a 5xx reply (RFC 5321 §4.2.1: permanent
 *   negative completion), e.g. 550 no such mailbox. Every other error (connection, timeout, 4xx,
 *   authentication — the centre's own problem) is retried.
 * - webhook: a 4xx answer other than 408 Request Timeout and 429 Too Many Requests (RFC 9110
 *   §15.5: the client's request is at fault, so repeating it is pointless — e.g. 400, 401, 403, 404,
 *   410). 408, 429, 5xx, redirects (not followed: a receiver must give its final URL), timeouts,
 *   connection errors and a host that now resolves to a private address are retried.
 */
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { assertPublicDestination, type HostLookup } from '../intel/feed-destination.js';
import type { RenderedEmail } from './delivery-templates.js';
import { deliveryIdHeader, signatureHeader, signWebhook } from './webhook-signature.js';

export type SendOutcome = { ok: true } | { ok: false; error: string; permanent: boolean };

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  timeoutMs: number;
}

export class EmailChannel {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(settings.user !== undefined ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
    });
  }

  async send(to: string, email: RenderedEmail, messageId: string): Promise<SendOutcome> {
    try {
      const info = await this.transport.sendMail({
        from: this.settings.from,
        to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: { 'X-Vigil-Delivery': messageId },
      });
      if (info.rejected.length > 0) return { ok: false, error: `recipient rejected: ${info.response}`, permanent: true };
      return { ok: true };
    } catch (err) {
      const e = err as { message?: string; responseCode?: number; code?: string; command?: string };
      const permanent = e.code === 'EENVELOPE' && e.responseCode !== undefined && e.responseCode >= 500 && e.responseCode < 600;
      return { ok: false, error: `SMTP: ${e.message ?? String(err)}`, permanent };
    }
  }

  close(): void {
    this.transport.close();
  }
}

export interface WebhookSettings {
  timeoutMs: number;
  /** Aborts the request early (the worker stopping). */
  signal?: AbortSignal;
  allowPrivateNetworks: boolean;
  lookup?: HostLookup;
}

/** Statuses that say "later", not "never": RFC 9110 §15.5.9 and RFC 6585 §4. */
const retryable4xx = new Set([408, 429]);

export async function sendWebhook(url: string, secret: string, deliveryId: string, body: string, nowSeconds: number, settings: WebhookSettings): Promise<SendOutcome> {
  if (!settings.allowPrivateNetworks) {
    try {
      await assertPublicDestination(url, settings.lookup);
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err), permanent: false };
    }
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: settings.signal ? AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), settings.signal]) : AbortSignal.timeout(settings.timeoutMs),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Vigil-Webhook/1',
        [signatureHeader]: signWebhook(secret, nowSeconds, body),
        [deliveryIdHeader]: deliveryId,
      },
      body,
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { ok: false, error: `${err instanceof Error ? err.message : String(err)}${cause}`, permanent: false };
  }
  const excerpt = await readExcerpt(response);
  if (response.status >= 200 && response.status < 300) return { ok: true };
  const error = `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`;
  if (response.status >= 300 && response.status < 400) return { ok: false, error: `${error} (redirects are not followed)`, permanent: false };
  const permanent = response.status >= 400 && response.status < 500 && !retryable4xx.has(response.status);
  return { ok: false, error, permanent };
}

/** The start of the answer's body (at most 4 KiB are read), for the delivery's last error; the rest is discarded. */
async function readExcerpt(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // A receiver that breaks off its answer still answered with its status.
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, 200).replace(/[\u0000-\u001f]+/g, ' ').trim();
}
