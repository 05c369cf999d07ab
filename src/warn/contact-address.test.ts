import { describe, expect, it } from 'vitest';
import { checkEmailAddress, checkWebhookUrl } from './contact-address.js';

describe('contact addresses', () => {
  it.each([
    ['SOC@HaNoi.Gov.VN', 'SOC@hanoi.gov.vn'],
    [' duty.officer+vigil@xn--bcgi-9ya.vn ', 'duty.officer+vigil@xn--bcgi-9ya.vn'],
  ])('accept the e-mail address %j as %j', (input, canonical) => {
    expect(checkEmailAddress(input)).toEqual({ value: canonical });
  });

  it.each(['', 'soc', 'soc@', '@hanoi.gov.vn', 'soc@hanoi', 'a..b@hanoi.gov.vn', 'soc@hanoi.gov.vn\nBcc: x@y.vn', 'a@b.vn, c@d.vn', 'Sở <soc@hanoi.gov.vn>', 'sở@hanoi.gov.vn', `${'a'.repeat(65)}@hanoi.gov.vn`])('refuse the e-mail address %j', (input) => {
    expect(checkEmailAddress(input)).toHaveProperty('error');
  });

  const strict = { allowPrivateNetworks: false, allowPlainHttp: false };

  it('resolve a webhook host and refuse it when any address is private; accept a name that does not resolve yet', async () => {
    const lookup = async (host: string): Promise<string[]> => {
      if (host === 'inward.example.vn') return ['93.184.216.34', '10.0.0.5'];
      if (host === 'public.example.vn') return ['93.184.216.34'];
      throw new Error('ENOTFOUND');
    };
    expect(await checkWebhookUrl('https://inward.example.vn/hook', { ...strict, lookup })).toEqual({ error: expect.stringContaining('10.0.0.5') });
    expect(await checkWebhookUrl('https://public.example.vn/hook?x=1#y', { ...strict, lookup })).toEqual({ value: 'https://public.example.vn/hook?x=1' });
    expect(await checkWebhookUrl('https://later.example.vn/hook', { ...strict, lookup })).toEqual({ value: 'https://later.example.vn/hook' });
  });

  it('let private and plain-http receivers in only when the configuration says so', async () => {
    expect(await checkWebhookUrl('http://10.1.1.1:8080/hook', strict)).toHaveProperty('error');
    expect(await checkWebhookUrl('http://10.1.1.1:8080/hook', { allowPrivateNetworks: true, allowPlainHttp: true })).toEqual({ value: 'http://10.1.1.1:8080/hook' });
  });
});
