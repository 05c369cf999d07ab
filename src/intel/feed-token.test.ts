import { describe, expect, it } from 'vitest';
import { mayUseTokenEnv, tokenEnvPrefix } from './feed-model.js';

describe('feed token variables', () => {
  const codes = ['VN', 'HN', 'HN-X', 'HCM'];
  it('belong to the organisation with the longest matching prefix', () => {
    expect(tokenEnvPrefix('HN-X')).toBe('VIGIL_FEED_TOKEN_HN_X');
    expect(mayUseTokenEnv('HN', 'VIGIL_FEED_TOKEN_HN', codes)).toBe(true);
    expect(mayUseTokenEnv('HN', 'VIGIL_FEED_TOKEN_HN_ALLIANCE', codes)).toBe(true);
    // HN-X's own variables are not HN's, though they start with HN's prefix.
    expect(mayUseTokenEnv('HN', 'VIGIL_FEED_TOKEN_HN_X', codes)).toBe(false);
    expect(mayUseTokenEnv('HN', 'VIGIL_FEED_TOKEN_HN_X_MISP', codes)).toBe(false);
    expect(mayUseTokenEnv('HN-X', 'VIGIL_FEED_TOKEN_HN_X_MISP', codes)).toBe(true);
    expect(mayUseTokenEnv('HN', 'VIGIL_FEED_TOKEN_HCM', codes)).toBe(false);
    expect(mayUseTokenEnv('HN', 'DATABASE_PASSWORD', codes)).toBe(false);
    expect(mayUseTokenEnv('HN', 'VIGIL_FEED_TOKEN_HNX', codes)).toBe(false);
  });
});
