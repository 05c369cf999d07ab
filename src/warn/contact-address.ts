/**
 * @module warn/contact-address
 * What a contact's address may be. An e-mail address is the usual `local@domain` of RFC 5321
 * §4.1.2 in ASCII (an internationalised domain is given in its `xn--` form), at most 254
 * characters; nothing that could smuggle a header (CR, LF) or a second recipient (comma, angle
 * brackets) passes. A webhook is an absolute https URL (http only where the configuration allows
 * it: warnings carry TLP:AMBER text), without credentials in it. Because an organisation's admin
 * chooses the URL and the centre POSTs to it from inside its network, a webhook may not point at a
 * private, loopback, link-local or other special-purpose address (intel/feed-destination) unless
 * the configuration allows private networks (`delivery.webhooks.allowPrivateNetworks`, for
 * receivers inside the government network). The check runs when the contact is saved and again
 * before every request, so a name that later resolves inward is refused then.
 */
import { isIP } from 'node:net';
import { assertPublicDestination, isSpecialPurposeAddress, type HostLookup } from '../intel/feed-destination.js';

export type AddressCheck = { value: string } | { error: string };

const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const emailPattern = new RegExp(`^([A-Za-z0-9!#$%&'*+/=?^_\`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_\`{|}~-]+)*)@(${label}(?:\\.${label})+)$`);

export function checkEmailAddress(text: string): AddressCheck {
  const trimmed = text.trim();
  if (trimmed.length > 254) return { error: 'an e-mail address has at most 254 characters' };
  const match = emailPattern.exec(trimmed);
  if (!match) return { error: `${JSON.stringify(text.slice(0, 100))} is not an e-mail address (local@domain, ASCII; use the xn-- form of an internationalised domain)` };
  const [, local, domain] = match as unknown as [string, string, string];
  if (local.length > 64) return { error: 'the part before @ has at most 64 characters' };
  return { value: `${local}@${domain.toLowerCase()}` };
}

export interface WebhookPolicy {
  allowPrivateNetworks: boolean;
  allowPlainHttp: boolean;
  lookup?: HostLookup;
}

/** The URL made canonical, or why it is refused. Host names are resolved when private networks are not allowed. */
export async function checkWebhookUrl(text: string, policy: WebhookPolicy): Promise<AddressCheck> {
  if (text.length > 2048) return { error: 'a webhook URL has at most 2048 characters' };
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { error: `${JSON.stringify(text.slice(0, 100))} is not an absolute URL` };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowPlainHttp)) {
    return { error: policy.allowPlainHttp ? 'a webhook URL must be http or https' : 'a webhook URL must be https (delivery.webhooks.allowPlainHttp allows http)' };
  }
  if (url.username !== '' || url.password !== '') return { error: 'a webhook URL may not carry credentials; the signature authenticates Vigil' };
  url.hash = '';
  if (!policy.allowPrivateNetworks) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const local = host === 'localhost' || host.endsWith('.localhost');
    if (local || (isIP(host) !== 0 && isSpecialPurposeAddress(host))) {
      return { error: `${host} is a private or special-purpose address; webhooks go to public hosts unless delivery.webhooks.allowPrivateNetworks is set` };
    }
    if (isIP(host) === 0) {
      try {
        await assertPublicDestination(url.toString(), policy.lookup);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // A name that does not resolve yet may be set up later; it is checked again before each request.
        if (!message.startsWith('cannot resolve')) return { error: message.replace('feeds added over the API read only public hosts unless intel.feeds.allowPrivateNetworks is set', 'webhooks go to public hosts unless delivery.webhooks.allowPrivateNetworks is set') };
      }
    }
  }
  return { value: url.toString() };
}
