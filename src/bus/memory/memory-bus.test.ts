import { describe, expect, it } from 'vitest';
import { MemoryBus } from './memory-bus.js';

const message = { orgId: 'o', sensorId: 's', firstSeq: 1, lastSeq: 5, count: 5 };

describe('MemoryBus', () => {
  it('delivers to every subscriber after publish returns control', async () => {
    const bus = new MemoryBus();
    const seen: number[] = [];
    bus.subscribe('events.stored', (m) => void seen.push(m.lastSeq));
    bus.subscribe('events.stored', (m) => void seen.push(m.firstSeq));
    const published = bus.publish('events.stored', message);
    expect(seen).toEqual([]);
    await published;
    expect(seen).toEqual([5, 1]);
  });

  it('isolates a failing subscriber and reports it', async () => {
    const errors: unknown[] = [];
    const bus = new MemoryBus((error) => errors.push(error));
    const seen: number[] = [];
    bus.subscribe('events.stored', () => {
      throw new Error('boom');
    });
    bus.subscribe('events.stored', (m) => void seen.push(m.count));
    await expect(bus.publish('events.stored', message)).resolves.toBeUndefined();
    expect(seen).toEqual([5]);
    expect(bus.failures).toBe(1);
    expect(String(errors[0])).toContain('boom');
  });

  it('stops delivering after unsubscribe', async () => {
    const bus = new MemoryBus();
    let calls = 0;
    const unsubscribe = bus.subscribe('events.stored', () => void calls++);
    await bus.publish('events.stored', message);
    unsubscribe();
    await bus.publish('events.stored', message);
    expect(calls).toBe(1);
  });
});
