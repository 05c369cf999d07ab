/**
 * @module analyze/behaviour/json-shape
 * Checks of plain JSON data against a shape, returning a typed copy or throwing a `ShapeError` that
 * names the first problem and its path (`clients.entries.3.4.failures.slots`). Written for
 * snapshots of hundreds of thousands of entries: a check allocates nothing but its copy, and the
 * path is only assembled when something is wrong (each level adds its segment to the error as it
 * passes through), which makes it an order of magnitude faster than a general schema library.
 */

export class ShapeError extends Error {
  readonly segments: string[] = [];

  constructor(readonly problem: string) {
    super(problem);
    this.name = 'ShapeError';
  }

  /** Where the problem is, outermost first. */
  get path(): string {
    return this.segments.length === 0 ? '(root)' : [...this.segments].reverse().join('.');
  }
}

export type Check<T> = (value: unknown) => T;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return 'a string';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Runs `check` on a part, adding `segment` to the path of a problem found inside it. */
function within<T>(segment: string | number, check: Check<T>, value: unknown): T {
  try {
    return check(value);
  } catch (error) {
    if (error instanceof ShapeError) error.segments.push(String(segment));
    throw error;
  }
}

export const finite: Check<number> = (value) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError(`expected a finite number, got ${describe(value)}`);
  return value;
};

export const integer: Check<number> = (value) => {
  if (!Number.isSafeInteger(value)) throw new ShapeError(`expected an integer, got ${describe(value)}`);
  return value as number;
};

export const count: Check<number> = (value) => {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new ShapeError(`expected a count (an integer ≥ 0), got ${describe(value)}`);
  return value as number;
};

export const boolean: Check<boolean> = (value) => {
  if (typeof value !== 'boolean') throw new ShapeError(`expected true or false, got ${describe(value)}`);
  return value;
};

export function text(maxLength: number): Check<string> {
  return (value) => {
    if (typeof value !== 'string') throw new ShapeError(`expected a string, got ${describe(value)}`);
    if (value.length > maxLength) throw new ShapeError(`expected at most ${maxLength} characters, got ${value.length}`);
    return value;
  };
}

export function literal<T extends string | number>(expected: T): Check<T> {
  return (value) => {
    if (value !== expected) throw new ShapeError(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(value) ?? describe(value)}`);
    return expected;
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value) => (value === null ? null : check(value));
}

/** An array of at most `maxLength` items (exactly `length` if given), each checked. */
export function array<T>(item: Check<T>, bounds: { maxLength?: number; length?: number; multipleOf?: number } = {}): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value)) throw new ShapeError(`expected an array, got ${describe(value)}`);
    if (bounds.length !== undefined && value.length !== bounds.length) throw new ShapeError(`expected ${bounds.length} items, got ${value.length}`);
    if (bounds.maxLength !== undefined && value.length > bounds.maxLength) throw new ShapeError(`expected at most ${bounds.maxLength} items, got ${value.length}`);
    if (bounds.multipleOf !== undefined && value.length % bounds.multipleOf !== 0) throw new ShapeError(`expected a multiple of ${bounds.multipleOf} items, got ${value.length}`);
    const copy = new Array<T>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = within(i, item, value[i]);
    return copy;
  };
}

type Checks<T> = { [K in keyof T]: Check<T[K]> };

/** An object with exactly these fields checked (others are dropped from the copy). */
export function object<T>(fields: Checks<T>): Check<T> {
  const names = Object.keys(fields) as (keyof T & string)[];
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ShapeError(`expected an object, got ${describe(value)}`);
    const source = value as Record<string, unknown>;
    const copy = {} as T;
    for (const name of names) {
      if (!(name in source)) {
        const error = new ShapeError('required');
        error.segments.push(name);
        throw error;
      }
      copy[name] = within(name, fields[name], source[name]);
    }
    return copy;
  };
}

/** A fixed-length array, each position checked by its own check. */
export function tuple<T extends unknown[]>(...items: { [K in keyof T]: Check<T[K]> }): Check<T> {
  return (value) => {
    if (!Array.isArray(value) || value.length !== items.length) throw new ShapeError(`expected ${items.length} items, got ${describe(value)}${Array.isArray(value) ? ` of ${value.length}` : ''}`);
    const copy = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) copy[i] = within(i, items[i] as Check<unknown>, value[i]);
    return copy as T;
  };
}
