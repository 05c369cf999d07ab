/**
 * @module intel/indicator-slots
 * The matcher's indicators, one slot each, as parallel arrays rather than one object per
 * indicator: id, type, canonical value, the last instant it matches (validUntil and decay, see
 * intel/decay), a per-event "already reported" stamp and, unless the matcher resolves indicators
 * on demand, the `Indicator` object. Numbers are in typed arrays (nothing for the garbage
 * collector to trace, and the hot path reads two of them per candidate hit); slots of removed
 * indicators are reused. Indexes (intel/indicator-index) refer to indicators by slot.
 */
import { type Indicator, type IndicatorType, indicatorTypes } from './model.js';

const INITIAL_CAPACITY = 1024;

export class IndicatorSlots {
  ids: (string | undefined)[] = [];
  /** Canonical values (the index tables' keys are the same strings). */
  values: string[] = [];
  /** The indicator objects; null when they are resolved by id on a hit. */
  objects: (Indicator | undefined)[] | null;
  /** The last instant (epoch ms) each indicator matches; −Infinity for a free slot. */
  deadline = new Float64Array(INITIAL_CAPACITY);
  /** The `match` generation that last reported each indicator (once per event). */
  seen = new Uint32Array(INITIAL_CAPACITY);
  private types = new Uint8Array(INITIAL_CAPACITY);
  private free: number[] = [];

  constructor(private readonly keepObjects: boolean) {
    this.objects = keepObjects ? [] : null;
  }

  /** Takes a slot for an indicator whose canonical value is `canonical`. */
  allocate(indicator: Indicator, canonical: string, deadline: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.ids.length;
      this.ids.push(undefined);
      this.values.push('');
      this.objects?.push(undefined);
      if (slot === this.deadline.length) this.grow(slot * 2);
    }
    this.ids[slot] = indicator.id;
    this.values[slot] = canonical;
    this.types[slot] = indicatorTypes.indexOf(indicator.type);
    if (this.objects !== null) this.objects[slot] = indicator;
    this.deadline[slot] = deadline;
    return slot;
  }

  /** The type of the indicator in `slot`. */
  typeOf(slot: number): IndicatorType {
    return indicatorTypes[this.types[slot] as number] as IndicatorType;
  }

  release(slot: number): void {
    this.ids[slot] = undefined;
    this.values[slot] = '';
    if (this.objects !== null) this.objects[slot] = undefined;
    this.deadline[slot] = -Infinity;
    this.free.push(slot);
  }

  /** Room for `count` slots at once. */
  reserve(count: number): void {
    if (count > this.deadline.length) this.grow(count);
  }

  /** Forgets every indicator. */
  clear(): void {
    this.ids = [];
    this.values = [];
    this.objects = this.keepObjects ? [] : null;
    this.deadline = new Float64Array(INITIAL_CAPACITY);
    this.seen = new Uint32Array(INITIAL_CAPACITY);
    this.types = new Uint8Array(INITIAL_CAPACITY);
    this.free = [];
  }

  private grow(capacity: number): void {
    const deadline = new Float64Array(capacity);
    deadline.set(this.deadline);
    this.deadline = deadline;
    const seen = new Uint32Array(capacity);
    seen.set(this.seen);
    this.seen = seen;
    const types = new Uint8Array(capacity);
    types.set(this.types);
    this.types = types;
  }
}
