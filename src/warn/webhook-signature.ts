/**
 * @module warn/webhook-signature
 * How a webhook receiver knows a POST comes from Vigil and was not replayed: the scheme of
 * Stripe's webhooks. Each request carries
 *
 *     X-Vigil-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the contact's secret>
 *     X-Vigil-Delivery: <delivery id>   (the same on every retry of one delivery: deduplicate on it)
 *
 * The receiver recomputes the HMAC over the exact bytes it received, compares in constant time,
 * and rejects a timestamp older than its tolerance (five minutes is usual), which bounds replays.
 * `v1` names the scheme, so a future one can be sent beside it during a change-over; a receiver
 * accepts the request when any `v1` value matches (several appear while a secret is rotated).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'x-vigil-signature';
export const deliveryIdHeader = 'x-vigil-delivery';

/** A new signing secret: `whsec_<base64url of 32 random bytes>`. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `X-Vigil-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

/** True when `header` signs `body` with `secret` and its time is within `toleranceSeconds` of `nowSeconds`. */
export function verifyWebhookSignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== undefined) candidates.push(value);
  }
  if (timestamp === null || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
  return candidates.some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
