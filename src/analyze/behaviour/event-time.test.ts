import { describe, expect, it } from 'vitest';
import { parseEventTime } from './event-time.js';

describe('parseEventTime', () => {
  it.each([
    '2026-03-02T09:15:04Z',
    '2026-03-02T09:15:04.123Z',
    '2026-03-02T09:15:04.123456789Z',
    '2026-03-02T09:15:04.1Z',
    '2026-03-02T09:15:04+07:00',
    '2026-03-02T09:15:04-03:30',
    '2026-03-02T09:15:04+0700',
    '2026-03-02T09:15Z',
    '2024-02-29T23:59:59.999Z',
    '1999-12-31T23:59:59Z',
    '2026-02-30T00:00:00Z',
    '2026-03-02T24:00:00Z',
  ])('reads %s as Date.parse does', (text) => {
    expect(parseEventTime(text)).toBe(Date.parse(text));
  });

  it('reads a space for the T, and a time without a zone as UTC whatever the machine zone', () => {
    expect(parseEventTime('2026-03-02 09:15:04Z')).toBe(Date.UTC(2026, 2, 2, 9, 15, 4));
    expect(parseEventTime('2026-03-02T09:15:04')).toBe(Date.UTC(2026, 2, 2, 9, 15, 4));
  });

  it('falls back to Date.parse for other forms', () => {
    expect(parseEventTime('Mon, 02 Mar 2026 09:15:04 GMT')).toBe(Date.UTC(2026, 2, 2, 9, 15, 4));
  });

  it.each(['2026-03-02T09:60:00Z', '2026-03-02T09:15:61Z', '2026-13-02T09:15:04Z', '2026-03-02T09:15:04.Z', '2026-03-02T09:15:04+25:00', '2026-03-02T09:15:04Zjunk', 'yesterday', '', '2026-0x-02T09:15:04Z'])('%s is NaN', (text) => {
    expect(parseEventTime(text)).toBeNaN();
  });
});
