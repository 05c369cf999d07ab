/**
 * @module analyze/detectors/paths
 * Path traversal / local file inclusion and remote file inclusion. Values are read as paths:
 * backslashes become `/`, empty segments collapse, `.` and `..` are resolved while counting how far
 * above its start the path climbs; a climb that reaches a sensitive file decides, and so does a
 * parameter naming one by its absolute path (`/root/.ssh/id_rsa`, `C:\Windows\win.ini`). URLs and
 * UNC paths (`\\host\share\x.php`) in include-like parameters are read as remote locations:
 * another host serving a script or text payload.
 */
import type { Detector, Finding, Input, Transaction } from '../contract.js';
import { C, L, charsOf, isQuiet, kindOf, lowerOf, skipsQuietInputs } from './facts.js';
import { around, finding, headerLower, keepBest, paramName } from './shared.js';

/** Sensitive targets, matched on the normalised path (which always starts with `/`). */
const sensitive =
  /\/(etc\/(?:passwd|shadow|hosts|group|issue|hostname|crontab)|proc\/self\/(?:environ|cmdline|fd|maps|status)|windows\/(?:win\.ini|system\.ini|system32)|win\.ini|boot\.ini|web\.config|\.env(?![a-z0-9_-])|web-inf\/web\.xml|\.htpasswd|\.htaccess|\.ssh\/|id_rsa(?![a-z0-9_-])|wp-config\.php|\.git\/config|\.bash_history|\.aws\/credentials|tomcat-users\.xml|inetpub\/|var\/log\/)/;

/**
 * Targets that are sensitive only at the root of a file system (`/etc/passwd`, `C:\Windows\win.ini`):
 * `/uploads/etc/hosts` is somebody's folder. The others (`.ssh/`, `id_rsa`, `wp-config.php`, …)
 * name the file wherever it lives (`/root/.ssh/id_rsa`, `/var/www/html/wp-config.php`).
 */
const rootedTarget = /^(?:etc\/|proc\/|windows\/|win\.ini|boot\.ini|inetpub\/|var\/log\/)/;

/** `/c:/windows/win.ini` → `/windows/win.ini`: a Windows drive is the root of its file system. */
function withoutDrive(resolved: string): string {
  const c = resolved.charCodeAt(1) | 32;
  return resolved.charCodeAt(2) === 58 && c >= 97 && c <= 122 && (resolved.length === 3 || resolved.charCodeAt(3) === 47) ? resolved.slice(3) || '/' : resolved;
}

const wrapper = /\b(php:\/\/(?:filter|input|fd|memory|temp|stdin)|file:\/\/|zip:\/\/|phar:\/\/|expect:\/\/|glob:\/\/|compress\.zlib:\/\/)/;

export interface PathWalk {
  /** `..` segments that went above the start. */
  climbs: number;
  /** The resolved path, `/`-joined, starting with `/`. */
  resolved: string;
}

/** Resolves `.`/`..` (and dot-only segments like `....`, `..;`) in one token. */
export function walkPath(token: string): PathWalk {
  const segments = token.replace(/\\/g, '/').split('/');
  const stack: string[] = [];
  let climbs = 0;
  for (const raw of segments) {
    if (raw === '' || raw === '.') continue;
    const seg = raw.endsWith(';') ? raw.slice(0, -1) : raw;
    if (seg.length >= 2 && /^\.+$/.test(seg)) {
      if (stack.length > 0) stack.pop();
      else climbs++;
      continue;
    }
    stack.push(seg);
  }
  return { climbs, resolved: '/' + stack.join('/') };
}

function slug(target: string): string {
  return target.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function inspectLfi(input: Input): Finding | undefined {
  const chars = charsOf(input);
  if ((chars & (C.dot | C.colon | C.slash | C.backslash)) === 0) return undefined;
  const value = input.decoded;
  const hasDots = (chars & C.dot) !== 0 && value.includes('..');
  const hasScheme = (chars & C.colon) !== 0 && value.includes('://');
  const param = (kindOf(input) & L.param) !== 0;
  if (!hasDots && !hasScheme && !((chars & (C.slash | C.backslash)) !== 0 && param)) return undefined;
  const lower = lowerOf(input);
  let best: Finding | undefined;
  const offer = (f: Finding): void => {
    if (!best || f.score > best.score) best = f;
  };
  const w = hasScheme ? wrapper.exec(lower) : null;
  if (w) offer(finding('lfi', 8, input.location, around(value, w.index), `lfi:wrapper-${slug(w[1] ?? 'wrapper')}`));
  if (!hasDots && !(param && sensitive.test((chars & C.backslash) !== 0 ? lower.replace(/\\/g, '/') : lower))) return best;
  for (const token of lower.split(/[\s"'<>=&?,|]+/)) {
    if (token.length < 3) continue;
    const walk = walkPath(token);
    const resolved = withoutDrive(walk.resolved);
    const target = sensitive.exec(resolved.endsWith('/') ? resolved : resolved + '/');
    const absolute = token.startsWith('/') || /^[a-z]:[\\/]/.test(token) || token.startsWith('file:');
    if (target && walk.climbs >= 1) {
      offer(finding('lfi', 9, input.location, around(value, lower.indexOf(token)), `lfi:climb-${slug(target[1] ?? '')}`));
    } else if (target && absolute && param && (target.index === 0 || !rootedTarget.test(target[1] ?? ''))) {
      offer(finding('lfi', 7, input.location, around(value, lower.indexOf(token)), `lfi:absolute-${slug(target[1] ?? '')}`));
    } else if (target && hasDots && token.includes('..')) {
      // `templates/../../etc/passwd`: climbs back down into a sensitive file without leaving the start.
      offer(finding('lfi', 7, input.location, around(value, lower.indexOf(token)), `lfi:dots-${slug(target[1] ?? '')}`));
    } else if (walk.climbs >= 4) {
      offer(finding('lfi', 7, input.location, around(value, lower.indexOf(token)), 'lfi:climb-deep'));
    } else if (walk.climbs >= 2) {
      offer(finding('lfi', 6, input.location, around(value, lower.indexOf(token)), 'lfi:climb-2'));
    } else if (walk.climbs === 1 && param) {
      offer(finding('lfi', 3, input.location, around(value, lower.indexOf(token)), 'lfi:climb-1'));
    }
  }
  return best;
}

export const lfiDetector: Detector = {
  name: 'lfi',
  inspect(_transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const out: Finding[] = [];
    for (const input of inputs) {
      if ((kindOf(input) & L.filesDot) !== 0 || isQuiet(input)) continue;
      const f = inspectLfi(input);
      if (f) out.push(f);
    }
    return keepBest(out);
  },
};

/** Parameter names that feed include/require or template loaders. */
const includeNames: ReadonlySet<string> = new Set([
  'file', 'filename', 'page', 'include', 'inc', 'path', 'template', 'tpl', 'dir', 'doc', 'document', 'folder',
  'root', 'pg', 'style', 'lang', 'language', 'module', 'mod', 'view', 'layout', 'conf', 'config', 'load', 'show',
  'content', 'cat', 'action', 'prefix', 'src', 'source', 'theme', 'skin', 'main', 'body', 'inc_file', 'pagina',
]);

const payloadExt = /\.(txt|php\d?|phtml|inc|sh|pl|py|jsp|asp|aspx|cgi|gif|jpg|png|js|dat|log|html?)$/;

/** Host and path of a URL token, or undefined when the token is not an absolute/protocol-relative URL. */
export function parseUrl(token: string): { scheme: string; host: string; path: string; rest: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]*:)?\/\/([^/?#\s\\]*)([^?#\s]*)(.*)$/i.exec(token);
  if (!m) return undefined;
  let host = (m[2] ?? '').toLowerCase();
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']') > 0 ? host.indexOf(']') : undefined);
  else host = host.replace(/:\d*$/, '');
  host = host.replace(/\.$/, '');
  return { scheme: (m[1] ?? '').toLowerCase().replace(/:$/, ''), host, path: (m[3] ?? '').toLowerCase(), rest: m[4] ?? '' };
}

/** Hosts the portal itself links to: `*.gov.vn` and the request's own Host. */
export function trustedHost(host: string, ownHost: string | undefined): boolean {
  if (host === 'gov.vn' || host.endsWith('.gov.vn')) return true;
  if (ownHost && host === ownHost.toLowerCase().replace(/:\d+$/, '')) return true;
  return false;
}

/**
 * A UNC path (`\\host\share\x.php`, or with `/` after the host): PHP's include on Windows opens
 * it over SMB/WebDAV, so it is a remote include like `http://host/x.php`. Undefined when the value
 * is not one.
 */
export function parseUnc(value: string): { host: string; path: string; rest: string } | undefined {
  const m = /^\\\\([^\\/\s?#]+)((?:[\\/][^?#]*)?)(.*)$/.exec(value);
  if (!m) return undefined;
  let host = (m[1] ?? '').toLowerCase();
  // WebDAV forms: `\\host@SSL@443\share`, `\\host@8080\share`
  const at = host.indexOf('@');
  if (at > 0) host = host.slice(0, at);
  return { host: host.replace(/\.$/, ''), path: (m[2] ?? '').replace(/\\/g, '/').toLowerCase(), rest: m[3] ?? '' };
}

/** Scores a remote location (URL or UNC path) named by an include-like parameter. */
function scoreRemote(input: Input, value: string, lower: string, remote: { host: string; path: string; rest: string }, kind: string): Finding | undefined {
  let score = 0;
  const reasons: string[] = [];
  // A NUL (removed by decoding) cut off what came after it: `shell.php%00.pdf` includes `shell.php`.
  const nul = input.raw.includes('\u0000') || input.raw.toLowerCase().includes('%00') || value.includes('\u0000');
  const path = nul && !payloadExt.test(remote.path) ? remote.path.replace(/\.[a-z0-9]{1,5}$/, '') : remote.path;
  if (payloadExt.test(path) && !/\.(gif|jpg|png|html?|js)$/.test(path)) {
    score += 4;
    reasons.push('payload');
  } else if (payloadExt.test(path)) score += 1;
  const name = paramName(input.location);
  if (includeNames.has(name)) {
    score += 3;
    reasons.push('include-param');
  }
  if (remote.rest === '?' || lower.endsWith('?') || nul || remote.rest === '#') {
    score += 2;
    reasons.push('truncator');
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(remote.host)) score += 1;
  if (score < 3) return undefined;
  return finding('rfi', Math.min(9, score), input.location, value, `rfi:${kind}${reasons.join('-') || 'remote-url'}`);
}

function inspectRfi(input: Input, ownHost: string | undefined): Finding | undefined {
  const chars = charsOf(input);
  if ((chars & (C.slash | C.colon | C.backslash)) === 0) return undefined;
  if ((chars & C.backslash) !== 0 && input.decoded.includes('\\\\')) {
    const value = input.decoded.trim();
    const unc = parseUnc(value);
    if (unc && unc.host !== '' && !trustedHost(unc.host, ownHost)) return scoreRemote(input, value, value.toLowerCase(), unc, 'unc-');
  }
  if (!((chars & C.slash) !== 0 && input.decoded.includes('//')) && !/^\s*data:/i.test(input.decoded)) return undefined;
  const value = input.decoded.trim();
  const lower = value.toLowerCase();
  if (lower.startsWith('data:')) {
    if (/^data:(\/\/)?text\/plain/.test(lower) && (includeNames.has(paramName(input.location)) || /base64,pd9w|<\?php/.test(lower)))
      return finding('rfi', 8, input.location, value, 'rfi:data-wrapper');
    return undefined;
  }
  if (!lower.includes('//')) return undefined;
  const url = parseUrl(lower);
  if (!url || (url.scheme !== '' && url.scheme !== 'http' && url.scheme !== 'https' && url.scheme !== 'ftp' && url.scheme !== 'ftps'))
    return undefined;
  if (url.host === '' || trustedHost(url.host, ownHost)) return undefined;
  return scoreRemote(input, value, lower, url, '');
}

export const rfiDetector: Detector = {
  name: 'rfi',
  inspect(transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const ownHost = headerLower(transaction, 'host');
    const out: Finding[] = [];
    for (const input of inputs) {
      if ((kindOf(input) & L.param) === 0 || isQuiet(input)) continue;
      const f = inspectRfi(input, ownHost);
      if (f) out.push(f);
    }
    return keepBest(out);
  },
};

skipsQuietInputs.add(lfiDetector);
skipsQuietInputs.add(rfiDetector);
