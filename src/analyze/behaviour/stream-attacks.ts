/**
 * @module analyze/behaviour/stream-attacks
 * The attacks the behaviour engine must find, as event lists in time order, to be merged into
 * normal traffic with `mergeByTime`: brute force, credential stuffing from one source and from a
 * botnet, slow enumeration, scanning, request spikes and outages. Deterministic per seed.
 */
import type { EcsEvent } from '../../core/event.js';
import { mulberry32 } from '../corpus/prng.js';
import { authEvent, eventTimeMs, webEvent } from './stream-events.js';
import { citizenName, logNormal, pages, residentialIp } from './stream-population.js';

export interface AttackTarget {
  orgId: string;
  domain: string;
  startMs: number;
  seed?: number;
}

/** Failed logins (POST /dang-nhap → 401) from one source against a few accounts. */
export function bruteForceBurst(target: AttackTarget & { ip: string; users: readonly string[]; attempts: number; spacingMs: number }): EcsEvent[] {
  return Array.from({ length: target.attempts }, (_, i) =>
    webEvent({ timeMs: target.startMs + i * target.spacingMs, orgId: target.orgId, ip: target.ip, domain: target.domain, method: 'POST', path: '/dang-nhap', status: 401, bytes: 900, user: target.users[i % target.users.length] as string, userAgent: 'python-requests/2.31.0' }),
  );
}

/** One source trying many accounts once or twice each over SSO (mostly failing). */
export function credentialStuffing(target: AttackTarget & { ip: string; accounts: number; spacingMs: number }): EcsEvent[] {
  const rng = mulberry32(target.seed ?? 7);
  return Array.from({ length: target.accounts }, (_, i) =>
    authEvent({ timeMs: target.startMs + i * target.spacingMs, orgId: target.orgId, ip: target.ip, host: `sso.${target.domain}`, user: citizenName(rng), outcome: rng.chance(0.03) ? 'success' : 'failure' }),
  );
}

/** A botnet: each source tries a few accounts, spread over `durationMs`. */
export function distributedStuffing(target: AttackTarget & { sources: number; attempts: number; durationMs: number }): EcsEvent[] {
  const rng = mulberry32(target.seed ?? 11);
  const ips = Array.from({ length: target.sources }, () => residentialIp(rng));
  const events = Array.from({ length: target.attempts }, () =>
    authEvent({ timeMs: target.startMs + rng.int(0, target.durationMs - 1), orgId: target.orgId, ip: rng.pick(ips), host: `sso.${target.domain}`, user: citizenName(rng), outcome: rng.chance(0.02) ? 'success' : 'failure' }),
  );
  return events.sort((a, b) => eventTimeMs(a) - eventTimeMs(b));
}

/** One client walking record numbers slowly: `/ho-so/{n}` or `/tra-cuu-ho-so?ma_ho_so=n`. */
export function slowEnumeration(target: AttackTarget & { ip: string; user?: string; requests: number; minGapMs: number; maxGapMs: number; firstId: number; style: 'path' | 'query' }): EcsEvent[] {
  const rng = mulberry32(target.seed ?? 13);
  let time = target.startMs;
  let id = target.firstId;
  const events: EcsEvent[] = [];
  for (let i = 0; i < target.requests; i++) {
    const where = target.style === 'path' ? { path: `/ho-so/${id}` } : { path: '/tra-cuu-ho-so', query: `ma_ho_so=${id}` };
    // Some numbers are unused records: 404, as a real walk meets.
    const status = rng.chance(0.1) ? 404 : 200;
    events.push(webEvent({ timeMs: time, orgId: target.orgId, ip: target.ip, domain: target.domain, ...where, status, bytes: status === 200 ? logNormal(rng, 6_500, 0.25) : 900, ...(target.user === undefined ? {} : { user: target.user }) }));
    time += rng.int(target.minGapMs, target.maxGapMs);
    id += rng.int(1, 3);
  }
  return events;
}

const scanPaths = ['/.env', '/.git/config', '/wp-login.php', '/wp-admin/', '/phpmyadmin/', '/admin/', '/actuator/env', '/server-status', '/config.php.bak', '/backup.zip', '/db.sql', '/.aws/credentials', '/solr/admin/info/system', '/cgi-bin/luci', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/manager/html', '/console/', '/jmx-console/', '/HNAP1/', '/boaform/admin/formLogin'];

/** A scanner probing many paths in a short burst (mostly 404, some 403). */
export function scanBurst(target: AttackTarget & { ip: string; paths: number; durationMs: number }): EcsEvent[] {
  return Array.from({ length: target.paths }, (_, i) => {
    const path = i < scanPaths.length ? (scanPaths[i] as string) : `/${['old', 'test', 'bak', 'tmp', 'dev'][i % 5]}${i}/index.php`;
    return webEvent({ timeMs: target.startMs + Math.floor((i * target.durationMs) / target.paths), orgId: target.orgId, ip: target.ip, domain: target.domain, path, status: i % 7 === 0 ? 403 : 404, bytes: 560, userAgent: 'Mozilla/5.0 zgrab/0.x' });
  });
}

/** `count` ordinary-looking page requests from many residential sources within `durationMs`. */
export function requestSpike(target: AttackTarget & { count: number; durationMs: number; status?: number }): EcsEvent[] {
  const rng = mulberry32(target.seed ?? 17);
  const events = Array.from({ length: target.count }, () =>
    webEvent({ timeMs: target.startMs + rng.int(0, target.durationMs - 1), orgId: target.orgId, ip: residentialIp(rng), domain: target.domain, path: rng.pick(pages), status: target.status ?? 200, bytes: target.status === undefined ? logNormal(rng, 42_000, 0.3) : 560 }),
  );
  return events.sort((a, b) => eventTimeMs(a) - eventTimeMs(b));
}
