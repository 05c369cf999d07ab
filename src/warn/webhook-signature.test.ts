import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = '{"id":"dlv_1","notification":{"title":"Cảnh báo"}}';
  const t = 1_764_057_600;

  it('are HMAC-SHA256 of "<t>.<body>", as a receiver computes it by hand', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, t, body)).toBe(`t=${t},v1=${expected}`);
  });

  it('verify only the same body, secret and a recent time', () => {
    const header = signWebhook(secret, t, body);
    expect(verifyWebhookSignature(secret, header, body, t + 299)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body.replace('dlv_1', 'dlv_2'), t)).toBe(false);
    expect(verifyWebhookSignature(newWebhookSecret(), header, body, t)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, t + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, t)).toBe(false);
  });

  it.each([['', 'empty'], ['v1=abc', 'no time'], [`t=${t}`, 'no signature'], [`t=${t},v1=zz`, 'not hex'], [`t=x,v1=00`, 'bad time']])('reject the malformed header %j (%s)', (header) => {
    expect(verifyWebhookSignature(secret, header, body, t)).toBe(false);
  });

  it('accept any matching v1 among several (a rotation in progress)', () => {
    const header = `${signWebhook(secret, t, body)},v1=${'0'.repeat(64)}`;
    expect(verifyWebhookSignature(secret, header, body, t)).toBe(true);
  });
});
