import { describe, expect, it } from 'vitest';
import { assertPublicDestination, isSpecialPurposeAddress } from './feed-destination.js';

describe('feed destinations', () => {
  it.each([
    ['0.0.0.0', true], ['10.20.30.40', true], ['100.64.0.1', true], ['127.0.0.1', true], ['169.254.169.254', true], ['172.16.0.1', true],
    ['172.31.255.255', true], ['192.168.1.1', true], ['198.18.0.1', true], ['224.0.0.1', true], ['255.255.255.255', true],
    ['::', true], ['::1', true], ['fd00::1', true], ['fe80::1', true], ['ff02::1', true], ['::ffff:127.0.0.1', true], ['::ffff:10.0.0.1', true],
    ['not an address', true],
    ['172.32.0.1', false], ['8.8.8.8', false], ['93.184.216.34', false], ['2001:4860:4860::8888', false], ['::ffff:8.8.8.8', false],
  ])('%s is special-purpose: %s', (address, expected) => {
    expect(isSpecialPurposeAddress(address)).toBe(expected);
  });

  it('judges every address a host resolves to, and literal hosts without resolving', async () => {
    const lookup = async (host: string) => ({ 'mixed.example': ['8.8.8.8', '192.168.0.9'], 'public.example': ['8.8.8.8'], 'empty.example': [] })[host] ?? Promise.reject(new Error('ENOTFOUND'));
    await expect(assertPublicDestination('https://public.example/feed/', lookup)).resolves.toBeUndefined();
    await expect(assertPublicDestination('https://mixed.example/feed/', lookup)).rejects.toThrow(/mixed\.example resolves to 192\.168\.0\.9/);
    await expect(assertPublicDestination('https://empty.example/', lookup)).rejects.toThrow(/resolves to nothing/);
    await expect(assertPublicDestination('https://gone.example/', lookup)).rejects.toThrow(/cannot resolve gone\.example: ENOTFOUND/);
    await expect(assertPublicDestination('http://[::1]:8080/', lookup)).rejects.toThrow(/::1 resolves to ::1/);
    await expect(assertPublicDestination('http://2130706433/', lookup)).rejects.toThrow(/127\.0\.0\.1/);
  });
});
