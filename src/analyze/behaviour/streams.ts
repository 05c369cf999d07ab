/**
 * @module analyze/behaviour/streams
 * Deterministic ECS streams of Vietnamese public-service portals for the behaviour engine's tests
 * and benchmarks. Normal traffic: citizens from residential ranges of Viettel, VNPT and FPT with
 * names such as `nguyen.van.an`, each with a home country and their own few records, browsing
 * pages, assets, procedures and their records, logging in (sometimes mistyping), downloading
 * documents; clerks working in `/quan-tri/…` on weekdays from their offices. Volume follows the
 * working day of a Vietnamese administration — peaks 8–11h and 14–16h local, a lunch dip, quiet
 * nights and weekends — with Poisson noise per minute and ±10% from day to day. Attacks are built
 * separately and merged in by time. The same seed always gives the same stream.
 */
import type { EcsEvent } from '../../core/event.js';
import { mulberry32, type Rng } from '../corpus/prng.js';
import { authEvent, eventTimeMs, localTimeMs, webEvent, type WebEventSpec } from './stream-events.js';
import { assets, citizenName, citizenOf, gaussian, logNormal, missing, officeIps, pages, poisson, searches, serverErrors, staffSections, type Citizen, type Clerk } from './stream-population.js';

export * from './stream-attacks.js';
export * from './stream-events.js';

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** Weight of each local hour on a working day, and at the weekend. */
const weekdayProfile = [0.03, 0.02, 0.02, 0.02, 0.03, 0.06, 0.2, 0.6, 1, 1, 1, 0.8, 0.45, 0.6, 1, 1, 0.75, 0.45, 0.3, 0.3, 0.28, 0.22, 0.12, 0.06];
const weekendProfile = [0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.06, 0.12, 0.2, 0.25, 0.25, 0.25, 0.2, 0.2, 0.22, 0.22, 0.2, 0.18, 0.18, 0.18, 0.16, 0.12, 0.08, 0.05];
const weekdayWeight = weekdayProfile.reduce((a, b) => a + b, 0);
export interface TrafficOptions {
  /** Default 1. */
  seed?: number;
  /** Default 'org-hanoi'. */
  orgId?: string;
  /** Local date of the first day, YYYY-MM-DD. Default 2026-03-02, a Monday. */
  startDate?: string;
  /** Default 7. */
  days?: number;
  /** Requests (web and SSO) per service on an ordinary working day; weekends have about a fifth. Default 4,000. */
  weekdayVolume?: number;
  /** Default ['dichvucong.hanoi.gov.vn']. */
  services?: string[];
  /** Default 3,000. */
  citizens?: number;
  /** Default 6. */
  clerks?: number;
  /** Default 420 (UTC+7). */
  utcOffsetMinutes?: number;
}

class TrafficGenerator {
  private readonly rng: Rng;
  private readonly citizens: Citizen[];
  private readonly clerks: Clerk[];

  constructor(private readonly orgId: string, seed: number, citizens: number, clerks: number) {
    this.rng = mulberry32(seed);
    this.citizens = Array.from({ length: citizens }, () => citizenOf(this.rng));
    // Account names are unique, as a real directory's are: a second `nguyen.van.an` becomes `nguyen.van.an.2`.
    const taken = new Map<string, number>();
    for (const citizen of this.citizens) {
      const seen = taken.get(citizen.user) ?? 0;
      taken.set(citizen.user, seen + 1);
      if (seen > 0) citizen.user = `${citizen.user}.${seen + 1}`;
    }
    this.clerks = Array.from({ length: clerks }, (_, i) => ({ ip: officeIps[i % officeIps.length] as string, user: `canbo.${citizenName(this.rng)}` }));
  }

  event(timeMs: number, domain: string, office: boolean): EcsEvent {
    const rng = this.rng;
    if (office && rng.chance(0.05)) return this.clerkEvent(timeMs, domain);
    const c = rng.pick(this.citizens);
    const spec: WebEventSpec = { timeMs, orgId: this.orgId, ip: c.ip, domain, userAgent: c.agent, country: c.country, path: '/', status: 200, bytes: 0 };
    const signedIn = rng.chance(0.6) ? c.user : undefined;
    const r = rng.next();
    if (r < 0.28) {
      spec.user = signedIn;
      spec.path = rng.pick(pages);
      spec.bytes = logNormal(rng, 42_000, 0.3);
    } else if (r < 0.5) {
      const [path, size] = rng.pick(assets);
      spec.path = path;
      if (rng.chance(0.2)) spec.status = 304;
      else spec.bytes = Math.round(size * (1 + 0.01 * gaussian(rng)));
    } else if (r < 0.6) {
      spec.user = c.user;
      spec.path = `/ho-so/${rng.pick(c.records)}`;
      spec.bytes = logNormal(rng, 6_500, 0.25);
    } else if (r < 0.64) {
      spec.user = c.user;
      spec.path = '/tra-cuu-ho-so';
      spec.query = `ma_ho_so=${rng.pick(c.codes)}`;
      spec.bytes = logNormal(rng, 4_200, 0.2);
    } else if (r < 0.69) {
      spec.user = signedIn;
      spec.path = '/tim-kiem';
      spec.query = `q=${rng.pick(searches)}&page=${rng.int(1, 5)}`;
      spec.bytes = logNormal(rng, 21_000, 0.3);
    } else if (r < 0.72) {
      spec.user = c.user;
      spec.path = `/ho-so/${rng.pick(c.records)}/tai-lieu/${rng.int(1, 4)}`;
      spec.bytes = logNormal(rng, 260_000, 0.6);
    } else if (r < 0.77) {
      const ok = rng.chance(0.92);
      spec.user = c.user;
      spec.method = 'POST';
      spec.path = '/dang-nhap';
      spec.status = ok ? 200 : 401;
      spec.bytes = ok ? 1_800 : 900;
    } else if (r < 0.8) {
      return authEvent({ timeMs, orgId: this.orgId, ip: c.ip, host: `sso.${domain}`, user: c.user, outcome: rng.chance(0.95) ? 'success' : 'failure', country: c.country });
    } else if (r < 0.83) {
      spec.user = c.user;
      spec.method = 'POST';
      spec.path = '/nop-ho-so';
      spec.status = 302;
    } else if (r < 0.86) {
      spec.user = signedIn;
      spec.status = 302;
    } else if (r < 0.87) {
      spec.path = rng.pick(missing);
      spec.status = 404;
      spec.bytes = 1_100;
    } else {
      spec.user = signedIn;
      spec.path = `/api/thu-tuc/${rng.int(1, 400)}`;
      spec.bytes = logNormal(rng, 3_100, 0.3);
    }
    // Rare server errors, as any busy portal has.
    if (rng.chance(0.003)) {
      spec.status = rng.pick(serverErrors);
      spec.bytes = 560;
    }
    return webEvent(spec);
  }

  private clerkEvent(timeMs: number, domain: string): EcsEvent {
    const rng = this.rng;
    const clerk = rng.pick(this.clerks);
    const section = rng.pick(staffSections);
    const base = { timeMs, orgId: this.orgId, ip: clerk.ip, domain, user: clerk.user, country: 'VN', status: 200, bytes: logNormal(rng, 15_000, 0.4) };
    if (section === 'ho-so') {
      const record = rng.int(1_000_000, 9_999_999);
      return webEvent(rng.chance(0.5) ? { ...base, path: `/quan-tri/ho-so/${record}` } : { ...base, method: 'POST', path: `/quan-tri/ho-so/${record}/duyet` });
    }
    return webEvent(section === 'bao-cao' ? { ...base, path: '/quan-tri/bao-cao', query: `thang=${rng.int(1, 12)}` } : { ...base, path: `/quan-tri/${section}` });
  }

  /** Events of one minute for every service, in time order. */
  minute(startMs: number, services: readonly string[], volume: number, dayFactors: readonly number[], utcOffsetMinutes: number): EcsEvent[] {
    const local = new Date(startMs + utcOffsetMinutes * minuteMs);
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
    const hour = local.getUTCHours();
    const weight = (weekend ? weekendProfile : weekdayProfile)[hour] ?? 0;
    const office = !weekend && hour >= 8 && hour < 17;
    // Times and service index packed in one number, so one numeric sort orders the minute.
    const packed: number[] = [];
    services.forEach((_, i) => {
      const n = poisson(this.rng, ((volume * weight) / (60 * weekdayWeight)) * (dayFactors[i] ?? 1));
      for (let k = 0; k < n; k++) packed.push(this.rng.int(0, minuteMs - 1) * 64 + i);
    });
    packed.sort((a, b) => a - b);
    return packed.map((p) => this.event(startMs + Math.floor(p / 64), services[p % 64] as string, office));
  }

  dayFactors(count: number): number[] {
    return Array.from({ length: count }, () => 0.9 + 0.2 * this.rng.next());
  }
}

/** Normal traffic, in event-time order, minute by minute. */
export function* normalTraffic(options: TrafficOptions = {}): Generator<EcsEvent> {
  const offset = options.utcOffsetMinutes ?? 420;
  const services = options.services ?? ['dichvucong.hanoi.gov.vn'];
  const volume = options.weekdayVolume ?? 4000;
  const generator = new TrafficGenerator(options.orgId ?? 'org-hanoi', options.seed ?? 1, options.citizens ?? 3000, options.clerks ?? 6);
  const start = localTimeMs(options.startDate ?? '2026-03-02', 0, 0, offset);
  for (let day = 0; day < (options.days ?? 7); day++) {
    const factors = generator.dayFactors(services.length);
    for (let minute = 0; minute < 1440; minute++) yield* generator.minute(start + day * dayMs + minute * minuteMs, services, volume, factors, offset);
  }
}

/** Streams merged by event time (each must already be in order). */
export function* mergeByTime(...streams: Iterable<EcsEvent>[]): Generator<EcsEvent> {
  const heads = streams.map((stream) => {
    const iterator = stream[Symbol.iterator]();
    return { iterator, next: iterator.next() };
  });
  for (;;) {
    let best = -1;
    let bestTime = Number.POSITIVE_INFINITY;
    heads.forEach((head, i) => {
      if (head.next.done === true) return;
      const time = eventTimeMs(head.next.value);
      if (time < bestTime) {
        best = i;
        bestTime = time;
      }
    });
    const head = heads[best];
    if (head === undefined || head.next.done === true) return;
    yield head.next.value;
    head.next = head.iterator.next();
  }
}

/** Anything that observes events one at a time, as the behaviour engine does. */
export interface EventObserver<F> {
  observe(event: EcsEvent): F[];
}

/** Every finding of `events` observed in order. */
export function replay<F>(observer: EventObserver<F>, events: Iterable<EcsEvent>): F[] {
  const findings: F[] = [];
  for (const event of events) for (const finding of observer.observe(event)) findings.push(finding);
  return findings;
}
