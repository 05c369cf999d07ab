/**
 * @module ingest/sensor-auth
 * Authenticates a sensor by its API key. The key's SHA-256 digest is looked up in the store; the
 * answer is cached for a few seconds so that a busy sensor costs one hash per batch, not one
 * query — and the cache is dropped whenever a sensor is changed, so disabling a sensor or
 * rotating its key takes effect at once.
 */
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import { digestSecret } from '../core/ids.js';
import type { Sensor } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { Store } from '../store/store.js';

const CACHE_MS = 5_000;
const CACHE_LIMIT = 10_000;
const lookupScope = Scope.system('sensor authentication');

export class SensorAuthenticator {
  private readonly cache = new Map<string, { sensor: Sensor | null; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The enabled sensor owning `key`; throws VIGIL_ERR_SENSOR_KEY or VIGIL_ERR_SENSOR_DISABLED. */
  authenticate(key: string | null): Sensor {
    if (key === null || !key.startsWith('vgs_')) throw new VigilError('VIGIL_ERR_SENSOR_KEY');
    const digest = digestSecret(key);
    const now = this.clock.now();
    let entry = this.cache.get(digest);
    if (!entry || entry.until <= now) {
      entry = { sensor: this.store.sensors.findByKeyDigest(lookupScope, digest), until: now + CACHE_MS };
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(digest, entry);
    }
    if (!entry.sensor) throw new VigilError('VIGIL_ERR_SENSOR_KEY');
    if (!entry.sensor.enabled) throw new VigilError('VIGIL_ERR_SENSOR_DISABLED', { sensorId: entry.sensor.id });
    return entry.sensor;
  }

  /** Forget every cached answer (a sensor was changed, disabled or given a new key). */
  invalidate(): void {
    this.cache.clear();
  }
}
