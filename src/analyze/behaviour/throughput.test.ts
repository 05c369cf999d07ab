/**
 * Throughput of `observe()` on generated days of two busy portals, measured as CPU time of the
 * observing only, in batches as the pipeline hands them over (parse a batch, then detect). The
 * number is printed; the assertion only guards against a collapse, since CI machines are shared.
 */
import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../core/event.js';
import { BehaviourEngine } from './engine.js';
import { normalTraffic } from './streams.js';

describe('throughput', () => {
  it('observes two days of two busy portals at hundreds of thousands of events per second', () => {
    const engine = new BehaviourEngine();
    const stream = normalTraffic({ seed: 81, days: 2, weekdayVolume: 10_000, services: ['dichvucong.hanoi.gov.vn', 'thutuc.hue.gov.vn'] });
    let micros = 0;
    let events = 0;
    for (let done = false; !done; ) {
      const batch: EcsEvent[] = [];
      for (let next = stream.next(); ; next = stream.next()) {
        if (next.done === true) {
          done = true;
          break;
        }
        batch.push(next.value);
        if (batch.length === 2_000) break;
      }
      // As the pipeline holds them: parsed from JSON (flat strings), not built by the generator.
      const parsed = JSON.parse(JSON.stringify(batch)) as EcsEvent[];
      const start = process.cpuUsage();
      for (const event of parsed) engine.observe(event);
      const used = process.cpuUsage(start);
      micros += used.user + used.system;
      events += batch.length;
    }
    const perSecond = Math.round(events / (micros / 1e6));
    console.log(`observe(): ${events} events in ${(micros / 1000).toFixed(0)} ms of CPU, ${perSecond} events/s`);
    expect(perSecond).toBeGreaterThan(50_000);
  });
});
