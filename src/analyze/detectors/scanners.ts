/**
 * @module analyze/detectors/scanners
 * Web-shell access and upload, and known scanners / exploit kits. Web shells: requests to known
 * shell names, or to scripts under upload/media directories, especially with command-like
 * parameters (`cmd=`, `exec=`, China Chopper's `z0=`); multipart uploads of script files
 * (including double extensions and `;` tricks). Scanners: tool User-Agents and headers, probes
 * for files no citizen asks for (`/.git/config`, `/.env`, `/actuator/env`, …), and the callback
 * hosts and test sites scanners put in parameters (`*.oastify.com`, `testasp.vulnweb.com`).
 */
import type { Detector, Finding, Input, Transaction } from '../contract.js';
import { C, L, charsOf, kindOf, lowerName, lowerOf, wordsPattern } from './facts.js';
import { cleanWord, finding, keepBest, paramName, requestPathLower, strongCommands, weakCommands } from './shared.js';

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)` in loops over input text: input
 * strings come in many representations (sliced, concatenated, one- or two-byte), which makes
 * `s.charCodeAt` a megamorphic property load the compiler cannot inline; the cached function can.
 */
const charCodeAt = String.prototype.charCodeAt;

const scriptExt = /\.(?:php[3-8]?|phtml|pht|phar|phps|inc|asp|aspx|ashx|asmx|asa|cer|cdx|jsp|jspx|jspf|cfm|cgi|pl|py|sh|shtml)$/;
const uploadScriptExt = /\.(?:php[3-8]?|phtml|pht|phar|phps|asp|aspx|ashx|asa|cer|cdx|jsp|jspx|jspf|cfm|cgi|pl|py|sh|shtml|war|htaccess|user\.ini|config)$/;
const doubleExt = /\.(?:php[3-8]?|phtml|pht|phar|asp|aspx|asa|cer|jsp|jspx)(?:[.;_ ][\w ]*)?\.[a-z0-9]{2,5}$/;

const shellNames: ReadonlySet<string> = new Set([
  'c99', 'c100', 'r57', 'b374k', 'wso', 'wso2', 'wso25', 'alfa', 'alfashell', 'alfa-shell', 'indoxploit', 'shell', 'cmd',
  'webshell', 'phpspy', 'aspxspy', 'jspspy', 'cmdjsp', 'antsword', 'godzilla', 'behinder', 'chopper', 'xleet', 'priv8',
  'minishell', 'sh3ll', 'backdoor', 'r00t', 'k2ll33d', 'symlink', 'marijuana', 'leafmailer', 'zone-h', 'shell2',
  'cmdasp', 'cmd1', 'haxor', 'hacked', 'rootshell', 'simple-backdoor',
]);

const uploadDirs = /\/(?:uploads?|images?|img|media|files?|attachments?|avatars?|tmp|temp|userfiles|upfiles?|wp-content\/uploads|sites\/default\/files|tai-?lieu|hinh-?anh|pictures?|photos?)\//;

const commandParams: ReadonlySet<string> = new Set([
  'cmd', 'exec', 'execute', 'command', 'c', 'z0', 'z1', 'z2', 'shell', 'run', 'system', 'cmdline', 'comando', 'pass', 'x',
]);

const maxCommandParam = Math.max(...[...commandParams].map((p) => p.length));

function firstWordIsCommand(value: string): boolean {
  const m = /^\s*([^\s;|&`]+)/.exec(value.toLowerCase());
  if (!m) return false;
  const w = cleanWord(m[1] ?? '');
  return strongCommands.has(w) || (weakCommands.has(w) && w !== 'set' && w !== 'type' && w !== 'more' && w !== 'less') || /^(?:@?eval|assert|system|passthru)\(/.test(w);
}

export const webshellDetector: Detector = {
  name: 'webshell',
  inspect(transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const out: Finding[] = [];
    const lowerPath = requestPathLower(transaction, inputs);
    const path = lowerPath.includes('\\') ? lowerPath.replace(/\\/g, '/') : lowerPath;
    const slash = path.lastIndexOf('/');
    const file = path.slice(slash + 1);
    const semicolon = file.indexOf(';');
    const base = semicolon < 0 ? file : file.slice(0, semicolon);
    const isScript = scriptExt.test(base);
    const dot = base.lastIndexOf('.');
    const stem = dot < 0 ? base : base.slice(0, dot);
    let commandParam: Input | undefined;
    for (const input of inputs) {
      if ((kindOf(input) & L.argsOrBodyDot) === 0) continue;
      // Command parameter names have at most 7 characters (lower-casing never shortens a name).
      const location = input.location;
      if (location.length - location.lastIndexOf('.') - 1 > maxCommandParam && charCodeAt.call(location, location.length - 1) !== 93) continue;
      const name = paramName(location);
      if (!commandParams.has(name)) continue;
      if (firstWordIsCommand(input.decoded) || ((name === 'z0' || name === 'z1') && /^[A-Za-z0-9+/=]{16,}$/.test(input.decoded.trim()))) {
        commandParam = input;
        break;
      }
    }
    if (isScript && shellNames.has(stem)) {
      out.push(finding('webshell', commandParam ? 9 : 8, 'path', path, `webshell:known-name-${stem}`));
    } else if (isScript && uploadDirs.test(path.slice(0, slash + 1))) {
      out.push(finding('webshell', commandParam ? 9 : 8, 'path', path, 'webshell:script-in-upload-dir'));
    } else if (base.indexOf('.') !== dot && doubleExt.test(base) && uploadDirs.test(path.slice(0, slash + 1))) {
      out.push(finding('webshell', 7, 'path', path, 'webshell:double-extension-in-upload-dir'));
    }
    if (commandParam) {
      out.push(finding('webshell', isScript ? 8 : 7, commandParam.location, commandParam.decoded, 'webshell:command-parameter'));
    }
    for (const input of inputs) {
      if ((kindOf(input) & L.filesDot) === 0) continue;
      const name = input.decoded.toLowerCase().trim().replace(/[\s.]+$/, '').replace(/\u0000/g, '');
      const fileBase = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
      if (uploadScriptExt.test(fileBase) || fileBase === '.htaccess' || fileBase === '.user.ini' || fileBase === 'web.config')
        out.push(finding('webshell', 8, input.location, input.decoded, 'webshell:upload-script'));
      else if (doubleExt.test(fileBase) || /\.(?:php\d?|asp|aspx|jsp);/.test(fileBase))
        out.push(finding('webshell', 8, input.location, input.decoded, 'webshell:upload-double-extension'));
    }
    return keepBest(out, 5);
  },
};

/**
 * `value.toLowerCase()`, shared with the input at `location` when that input is `value` itself,
 * undecoded (the lower-cased form is cached there).
 */
function lowerOfHeader(inputs: readonly Input[], location: string, value: string): string {
  for (const input of inputs) {
    if (input.location === location) {
      if (input.raw === value && input.decoded === value) return lowerOf(input);
      break;
    }
  }
  return value.toLowerCase();
}

const toolAgents: readonly (readonly [RegExp, number])[] = [
  [/sqlmap|havij|commix|jaeles|xsstrike|nosqlmap|tplmap|fimap|w3af|arachni|skipfish|vega\/|grabber|bbqsql|ghauri/, 7],
  [/nikto|nuclei|acunetix|wpscan|joomscan|droopescan|nessus|openvas|netsparker|appscan|webinspect|qualys|burp|owasp[ _-]?zap|zaproxy|wfuzz|dirbuster|gobuster|\bdirb\b|ffuf|fuzz faster u fool|feroxbuster|hydra|medusa|metasploit|morfeus|zmeu|jorgee|masscan|zgrab|nmap|whatweb|wappalyzer-cli|httpx - open-source|interactsh|l9explore|l9tcpid/, 6],
];

/** Any of the tools, in one scan of the User-Agent (most name none). */
const anyToolAgent = wordsPattern(toolAgents.flatMap(([re]) => re.source.split('|')));

type Probe = readonly [RegExp, number, string];

/** Probes, matched on the lower-cased path. */
const probes: readonly Probe[] = [
  [/\/\.git\/(?:config|head|index|logs|refs)|\/\.svn\/(?:entries|wc\.db)|\/\.hg\/|\/\.bzr\//, 7, 'scanner:vcs-metadata'],
  [/\/\.env(?:\.[\w-]+)?$|\/\.aws\/credentials|\/\.ssh\/|\/id_rsa|\/\.docker\/config\.json|\/\.npmrc$|\/\.git-credentials/, 7, 'scanner:secrets-file'],
  [/\/actuator\/(?:env|heapdump|gateway|jolokia|configprops|mappings|threaddump|trace|httptrace|loggers|logfile)|\/jolokia\b|\/heapdump$/, 7, 'scanner:spring-actuator'],
  [/\/vendor\/phpunit\/.*eval-stdin\.php|\/_ignition\/execute-solution|\/cgi-bin\/.*(?:\.\.|%2e)|\/boaform\/|\/hnap1\b|\/invoker\/jmxinvokerservlet|\/jmx-console|\/autodiscover\/autodiscover\.json\?@|\/console\/css\/%252e|\/solr\/admin\/cores\?.*action=create|\/wls-wsat\/|\/_async\/asyncresponseservice|\/setup\.cgi|\/shell\?cd\+/, 7, 'scanner:exploit-probe'],
  [/\/(?:phpmyadmin|pma|myadmin|mysqladmin|phpmyadmin\d*|dbadmin|sqladmin)(?:\/|$)|\/adminer(?:-[\d.]+)?\.php/, 6, 'scanner:db-admin'],
  [/\/server-(?:status|info)$|\/phpinfo\.php$|\/info\.php$|\/test\.php$|\/elmah\.axd$|\/trace\.axd$|\/_profiler\b|\/telescope\/requests/, 6, 'scanner:server-info'],
  [/\/manager\/html|\/host-manager\/|\/web-console\/|\/admin-console\/|\/axis2\/axis2-admin/, 6, 'scanner:app-server-console'],
  [/\/(?:wp-config\.php|config\.php|configuration\.php|settings\.php|web\.config|database\.yml|config\.ya?ml|\.htpasswd)(?:\.bak|\.old|\.save|\.swp|~|\.orig|\.txt)$|\/\.htpasswd$|\/\.htaccess$/, 6, 'scanner:config-backup'],
  [/\/(?:backup|db|database|dump|site|www|wwwroot|data)\.(?:sql|zip|tar\.gz|tgz|rar|7z|bak)$/, 5, 'scanner:backup-archive'],
  [/\/\.(?:ds_store|idea\/workspace\.xml|vscode\/sftp\.json)$/, 5, 'scanner:ide-metadata'],
  // Files only a scanner asks for, named after itself so its own 404 check can recognise them.
  [/\/nessus_is_probing_you|\/acunetix-wvs-test-for-some-inexistent-file|\/[\w-]+\.nikto$|\/nuclei-[0-9a-f]{6,}$/, 7, 'scanner:tool-probe-file'],
  [/\/(?:wp-login\.php|xmlrpc\.php|wp-admin\/?$|wp-includes\/wlwmanifest\.xml|wp-content\/plugins\/)/, 4, 'scanner:wordpress-probe'],
];

const probeGate = wordsPattern(
  'nessus|acunetix|nikto|nuclei|\\/\\.|actuator|jolokia|heapdump|phpunit|ignition|cgi|boaform|hnap|jmx|autodiscover|console|solr|wls|_async|\\.sh|admin|pma|server-|info\\.php|test\\.php|\\.axd|profiler|telescope|manager|axis2|config|settings|database|web\\.|backup|db\\.|dump|site\\.|www|data\\.|wp-|xmlrpc|shell'.split('|'),
);

/**
 * Hosts only scanners put in a request: out-of-band callback services (Burp Collaborator,
 * interactsh, XSS Hunter-style `bxss.me`, DNS loggers) whose sub-domain tells the scanner which
 * request reached a back end, and the vendors' test targets (Acunetix's `*.vulnweb.com` and
 * `some-inexistent-website.acu`). Matched as a whole host name (a label boundary before, no more
 * name after), in parameter values.
 */
const scannerHost =
  /(?:^|[^a-z0-9-])(?:[a-z0-9-]+\.)*(oastify\.com|burpcollaborator\.net|oast\.(?:fun|pro|live|site|online|me)|interact\.sh|interactsh\.com|bxss\.me|dnslog\.cn|ceye\.io|vulnweb\.com|[a-z0-9-]+\.acu)(?![a-z0-9-]|\.[a-z0-9])/;

/**
 * Cheap gate for `scannerHost`, on the value as sent: whether a dot is followed by the first two
 * letters (either case) of a label that `scannerHost` names after a dot — `oa`stify/`oa`st,
 * `bu`rpcollaborator, `bx`ss, `in`teract(sh), `dn`slog, `ce`ye, `vu`lnweb, `ac`u. Dates, amounts,
 * e-mail addresses and `.com`/`.vn` names fail it after a few `indexOf` steps.
 */
function mayNameScannerHost(value: string, from = 0): boolean {
  for (let dot = value.indexOf('.', from); dot >= 0; dot = value.indexOf('.', dot + 1)) {
    const a = charCodeAt.call(value, dot + 1) | 32;
    const b = charCodeAt.call(value, dot + 2) | 32;
    switch (a) {
      case 111: // o
        if (b === 97) return true;
        break;
      case 98: // b
        if (b === 117 || b === 120) return true;
        break;
      case 105: // i
      case 100: // d
        if (b === 110) return true;
        break;
      case 99: // c
        if (b === 101) return true;
        break;
      case 118: // v
        if (b === 117) return true;
        break;
      case 97: // a
        if (b === 99) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/**
 * The first parameter naming a `scannerHost`: in query and body parameters, where scanners put
 * callback hosts (not in cookies, which are the scanner's own session). Host names survive URL and
 * form encoding as they are, so the query string and the body are gated as sent, once, before
 * any parameter is looked at.
 */
function scannerHostIn(transaction: Transaction, inputs: readonly Input[]): Finding | undefined {
  const uri = transaction.uri;
  const q = uri.indexOf('?');
  const body = transaction.body;
  if (!(q >= 0 && mayNameScannerHost(uri, q)) && !(body !== null && mayNameScannerHost(body))) return undefined;
  for (const input of inputs) {
    // `args.*`, `body.*` (names and the raw body too); a host name has a dot.
    const first = charCodeAt.call(input.location, 0);
    if ((first !== 97 && first !== 98) || (charsOf(input) & C.dot) === 0 || !mayNameScannerHost(input.decoded)) continue;
    const m = scannerHost.exec(lowerOf(input));
    if (m) {
      const host = m[1] ?? '';
      return finding('scanner', 6, input.location, input.decoded, host.endsWith('vulnweb.com') || host.endsWith('.acu') ? 'scanner:test-site-marker' : 'scanner:out-of-band-marker');
    }
  }
  return undefined;
}

export const scannerDetector: Detector = {
  name: 'scanner',
  inspect(transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const out: Finding[] = [];
    // One pass over the headers: the User-Agent (the first, as `headerOf` finds it) and tool headers.
    let ua: string | undefined;
    let uaSeen = false;
    let toolHeaders: Finding[] | undefined;
    for (const key in transaction.headers) {
      const k = lowerName(key);
      if (k === 'user-agent') {
        if (!uaSeen) ua = transaction.headers[key];
        uaSeen = true;
      } else if (k.startsWith('acunetix') || k === 'x-wipp' || k === 'x-scanner' || k.startsWith('netsparker') || k === 'x-scan-memo')
        (toolHeaders ??= []).push(finding('scanner', 7, `headers.${k}`, transaction.headers[key] ?? '', `scanner:tool-header-${k}`));
    }
    if (ua) {
      const lower = lowerOfHeader(inputs, 'headers.user-agent', ua);
      if (anyToolAgent.test(lower)) for (const [re, score] of toolAgents) {
        const m = re.exec(lower);
        if (m) {
          out.push(finding('scanner', score, 'headers.user-agent', ua, `scanner:user-agent-${m[0].replace(/[^a-z0-9]+/g, '-')}`));
          break;
        }
      }
    }
    if (toolHeaders) for (const f of toolHeaders) out.push(f);
    const marker = scannerHostIn(transaction, inputs);
    if (marker) out.push(marker);
    const q = transaction.uri.indexOf('?');
    const rawPath = lowerOfHeader(inputs, 'path', q < 0 ? transaction.uri : transaction.uri.slice(0, q));
    const path = requestPathLower(transaction, inputs);
    const full = rawPath.includes('autodiscover') || rawPath.includes('solr') || rawPath.includes('shell') ? transaction.uri.toLowerCase() : path;
    if (probeGate.test(full)) {
      for (const [re, score, reason] of probes) {
        if (re.test(full) || (full !== rawPath && re.test(rawPath))) {
          out.push(finding('scanner', score, 'path', transaction.uri, reason));
          break;
        }
      }
    }
    return keepBest(out, 3);
  },
};
