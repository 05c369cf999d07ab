/**
 * @module analyze/behaviour/large-response
 * Responses far larger than an endpoint usually sends (a dump, an export without a filter, a
 * path-traversal download). Per (organisation, service, path template) the sizes are learned in log
 * space — response sizes are roughly log-normal — as a running mean and variance (averages first,
 * then a memory of 1/`baselineAlpha` responses). After `largeMinObservations` a response fires when
 * it is `largeSigmas` spreads above the mean in log space and also large in absolute terms and
 * against the usual (geometric mean) size. It is then learned clipped, so that a file that really
 * grew stops firing gradually instead of never. At most one finding per template and bucket.
 */
import { commonFields, type DetectionContext } from './context.js';
import { behaviourFields } from './findings.js';

export interface SizeStats {
  n: number;
  /** Mean and variance of ln(1 + bytes). */
  mean: number;
  variance: number;
  /** Bucket of the last finding (-1: never). */
  firedBucket: number;
}

export function createSizeStats(): SizeStats {
  // Doubles from the start (-0 is 0): the fields hold fractions, spared a representation change.
  return { n: 0, mean: -0, variance: -0, firedBucket: -1 };
}

/** Floor on the spread: an endpoint that always sends the same bytes would otherwise fire on one more byte. */
const minLogStd = 0.25;

function learn(stats: SizeStats, x: number, alpha: number): void {
  stats.n++;
  const a = Math.max(alpha, 1 / stats.n);
  const diff = x - stats.mean;
  stats.mean += a * diff;
  stats.variance = (1 - a) * (stats.variance + a * diff * diff);
}

/** A 2xx response with a known size, from the event's service and `template`. */
export function observeResponseSize(stats: SizeStats, context: DetectionContext, template: string): void {
  const { view, options } = context;
  let x = Math.log1p(view.bytes);
  if (stats.n >= options.largeMinObservations) {
    const std = Math.max(Math.sqrt(stats.variance), minLogStd);
    const z = (x - stats.mean) / std;
    const usualBytes = Math.expm1(stats.mean);
    if (z > options.largeSigmas && view.bytes >= options.largeMinBytes && view.bytes >= options.largeMinRatio * usualBytes) {
      const bucketMs = options.bucketSeconds * 1000;
      const bucket = Math.floor(view.timeMs / bucketMs);
      if (bucket !== stats.firedBucket) {
        stats.firedBucket = bucket;
        context.emit({
          kind: 'large-response',
          subject: `svc:${view.service}${template}`,
          windowStartMs: bucket * bucketMs,
          severity: view.bytes >= 100 * usualBytes ? 'high' : 'medium',
          measures: { bytes: view.bytes, usualBytes, z, threshold: options.largeSigmas, observations: stats.n },
          fields: commonFields(context, { [behaviourFields.template]: template }),
        });
      }
      x = stats.mean + options.largeSigmas * std;
    }
  }
  learn(stats, x, options.baselineAlpha);
}
