/**
 * @module analyze/detectors/scanners
 * Web-shell access and upload, and known scanners / exploit kits. Web shells: requests to known
 * shell names, or to scripts under upload/media directories, especially with command-like
 * parameters (`cmd=`, `exec=`, China Chopper's `z0=`); multipart uploads of script files
 * (including double extensions and `;` tricks). Scanners: tool User-Agents and headers, and
 * probes for files no citizen asks for (`/.git/config`, `/.env`, `/actuator/env`, …).
 */
import type { Detector, Finding, Input, Transaction } from '../contract.js';
import { cleanWord, finding, headerOf, keepBest, paramName, requestPath, strongCommands, weakCommands } from './shared.js';

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
    const path = requestPath(transaction, inputs).toLowerCase().replace(/\\/g, '/');
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1).replace(/[;].*$/, '');
    const isScript = scriptExt.test(base);
    const stem = base.replace(/\.[^.]*$/, '');
    let commandParam: Input | undefined;
    for (const input of inputs) {
      if (!input.location.startsWith('args.') && !input.location.startsWith('body.')) continue;
      const name = paramName(input.location);
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
    } else if (doubleExt.test(base) && uploadDirs.test(path.slice(0, slash + 1))) {
      out.push(finding('webshell', 7, 'path', path, 'webshell:double-extension-in-upload-dir'));
    }
    if (commandParam) {
      out.push(finding('webshell', isScript ? 8 : 7, commandParam.location, commandParam.decoded, 'webshell:command-parameter'));
    }
    for (const input of inputs) {
      if (!input.location.startsWith('files.')) continue;
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

const toolAgents: readonly (readonly [RegExp, number])[] = [
  [/sqlmap|havij|commix|jaeles|xsstrike|nosqlmap|tplmap|fimap|w3af|arachni|skipfish|vega\/|grabber|bbqsql|ghauri/, 7],
  [/nikto|nuclei|acunetix|wpscan|joomscan|droopescan|nessus|openvas|netsparker|appscan|webinspect|qualys|burp|owasp[ _-]?zap|zaproxy|wfuzz|dirbuster|gobuster|\bdirb\b|ffuf|feroxbuster|hydra|medusa|metasploit|morfeus|zmeu|jorgee|masscan|zgrab|nmap|whatweb|wappalyzer-cli|httpx - open-source|interactsh|l9explore|l9tcpid/, 6],
];

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
  [/\/(?:wp-login\.php|xmlrpc\.php|wp-admin\/?$|wp-includes\/wlwmanifest\.xml|wp-content\/plugins\/)/, 4, 'scanner:wordpress-probe'],
];

const probeGate = /\/\.|actuator|jolokia|heapdump|phpunit|ignition|cgi|boaform|hnap|jmx|autodiscover|console|solr|wls|_async|\.sh|admin|pma|server-|info\.php|test\.php|\.axd|profiler|telescope|manager|axis2|config|settings|database|web\.|backup|db\.|dump|site\.|www|data\.|wp-|xmlrpc|shell/;

export const scannerDetector: Detector = {
  name: 'scanner',
  inspect(transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const out: Finding[] = [];
    const ua = headerOf(transaction, 'user-agent');
    if (ua) {
      const lower = ua.toLowerCase();
      for (const [re, score] of toolAgents) {
        const m = re.exec(lower);
        if (m) {
          out.push(finding('scanner', score, 'headers.user-agent', ua, `scanner:user-agent-${m[0].replace(/[^a-z0-9]+/g, '-')}`));
          break;
        }
      }
    }
    for (const key in transaction.headers) {
      const k = key.toLowerCase();
      if (k.startsWith('acunetix') || k === 'x-wipp' || k === 'x-scanner' || k.startsWith('netsparker') || k === 'x-scan-memo')
        out.push(finding('scanner', 7, `headers.${k}`, transaction.headers[key] ?? '', `scanner:tool-header-${k}`));
    }
    const q = transaction.uri.indexOf('?');
    const rawPath = (q < 0 ? transaction.uri : transaction.uri.slice(0, q)).toLowerCase();
    const path = requestPath(transaction, inputs).toLowerCase();
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
