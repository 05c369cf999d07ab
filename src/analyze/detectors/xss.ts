/**
 * @module analyze/detectors/xss
 * Cross-site scripting detector: scans each decoded, lower-cased input with an HTML tag scanner
 * (`html-scan.ts`) and judges what a browser would execute — script tags, event-handler
 * attributes, script-scheme URIs in URL attributes, dangerous embedding tags — plus breakouts
 * from an attribute or a JS string into code, CSS expressions and well-known JS gadgets.
 * Rich-text content with only safe tags and http(s) links scores 0.
 */
import type { Detector, Input } from '../contract.js';
import { C, charClasses, charsOf, isQuiet, lowerOf, skipsQuietInputs, wordsPattern } from './facts.js';
import { perValueDetector } from './shared.js';
import { compactIncludes, compactScheme, decodeEntities, scanTags, scriptScheme } from './html-scan.js';
import type { HtmlTag } from './html-scan.js';

const MAX_INPUT = 64 * 1024;

interface Judgement {
  score: number;
  reason: string;
}

const NONE: Judgement = { score: 0, reason: '' };

/**
 * Cheap gate: values with none of these carry nothing a browser would run —
 * `[<>"'`(=:]|script|&#|\\u`, its characters checked in the value's character classes.
 */
const GATE_CHARS = C.lt | C.gt | C.dquote | C.squote | C.backtick | C.lparen | C.equals | C.colon;
const QUOTES = C.squote | C.dquote | C.backtick;
/**
 * What the JavaScript checks below need besides `(` or a backtick: a quote (breakouts, bracket
 * calls, tagged templates) or one of these words.
 */
const JS_WORDS = wordsPattern(['constructor', 'expression', 'fromcharcode', '\\$\\{', 'eval', 'alert', 'prompt', 'confirm']);

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster', 'lowsrc', 'dynsrc', 'codebase', 'code', 'archive', 'to', 'from', 'values', 'by', 'ping', 'manifest', 'cite', 'longdesc', 'usemap', 'icon', 'srcset', 'content', 'url']);
const EMBEDDING_TAGS = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal', 'isindex', 'import']);
const FOREIGN_TAGS = new Set(['svg', 'math', 'xml', 'xss', 'template', 'set', 'animate', 'handler', 'listener']);
const JS_SINKS = '(?:alert|prompt|confirm|eval|settimeout|setinterval|fetch|import|atob|function|constructor|print|open|write|writeln|execscript)';
const BREAKOUT_CALL = new RegExp(`["'\`]\\s*(?:[;,)\\]}+\\-*/|&^%]|\\|\\||&&)+\\s*(?:[a-z_$][\\w$]*\\s*(?:\\.|\\[\\s*["']?)\\s*)*${JS_SINKS}\\s*["'\\]]*\\s*[(\`]`);
const EVENTS = '(?:abort|blur|change|click|dblclick|auxclick|contextmenu|error|focus|focusin|focusout|input|invalid|keydown|keypress|keyup|load|loadstart|mouse[a-z]+|pointer[a-z]+|touch[a-z]+|drag[a-z]*|drop|submit|reset|toggle|begin|end|repeat|animation[a-z]+|transition[a-z]+|copy|cut|paste|scroll|scrollend|wheel|resize|select|unload|beforeunload|hashchange|message|popstate|pageshow|pagehide|show|play|playing|pause|ended|canplay|canplaythrough|progress|search|afterprint|beforeprint|readystatechange|storage|volumechange|timeupdate|seeked|seeking|beforeinput|beforetoggle|start|finish|bounce|securitypolicyviolation)';
const HANDLER_ASSIGNMENT = new RegExp(`(?:^|[\\s/"'\`])on${EVENTS}\\s*=`, 'g');
/** What may stand between a closing quote and an injected handler: more attributes. */
const BREAKOUT_PREFIX = /["'`][\s/]*(?:[a-z-]+(?:=(?:"[^"]*"|'[^']*'|[^\s>]*))?[\s/]+)*$/;
const BARE_HANDLER = new RegExp(`(?:^|[\\s/])on${EVENTS}\\s*=\\s*["'\`]?\\s*(?:[a-z_$][\\w$]*\\s*\\.\\s*)*[a-z_$][\\w$]*\\s*[(\`]`);

function better(a: Judgement, score: number, reason: string): Judgement {
  return score > a.score ? { score, reason } : a;
}

function judgeTag(tag: HtmlTag, best: Judgement): Judgement {
  if (tag.closing) {
    if (tag.name === 'script') return better(best, 5, 'xss:script-close');
    return best;
  }
  if (tag.name === 'script') best = better(best, 10, 'xss:script-tag');
  let httpEquiv = false;
  for (const attr of tag.attributes) {
    const name = attr.name;
    if (name.length >= 5 && name.startsWith('on') && /^on[a-z]+$/.test(name) && (attr.assigned || tag.attributes.length > 0)) {
      if (attr.assigned && attr.value.trim() !== '') best = better(best, 10, 'xss:event-handler');
      continue;
    }
    if (!attr.assigned) continue;
    if (URL_ATTRIBUTES.has(name) || name.endsWith(':href')) {
      const value = name === 'content' ? attr.value.replace(/^[^;]*;\s*url\s*=\s*/, '') : attr.value;
      const scheme = scriptScheme(value);
      if (scheme !== null) best = better(best, 9, scheme === 'javascript' ? 'xss:javascript-uri' : 'xss:data-uri');
    } else if (name === 'srcdoc' && /<[a-z]/.test(decodeEntities(attr.value))) best = better(best, 9, 'xss:srcdoc');
    else if (name === 'style') {
      const style = compactScheme(decodeEntities(attr.value)).replace(/\/\*.*?\*\/|\\/g, '');
      if (/expression\(|javascript:|-moz-binding|behavior:/.test(style)) best = better(best, 8, 'xss:css-expression');
    } else if (name === 'http-equiv') httpEquiv = true;
    else if (name === 'attributename' && /^\s*on[a-z]{3,}/.test(attr.value)) best = better(best, 9, 'xss:svg-animate-handler');
  }
  if (EMBEDDING_TAGS.has(tag.name)) best = better(best, 7, 'xss:embedding-tag');
  else if (tag.name === 'meta' && httpEquiv) best = better(best, 7, 'xss:meta-refresh');
  else if (tag.name === 'style' || tag.name === 'link') best = better(best, 4, 'xss:style-tag');
  else if (FOREIGN_TAGS.has(tag.name)) best = better(best, 4, 'xss:foreign-markup');
  return best;
}

/**
 * A quote that closes an attribute value, maybe more attributes, then an event handler:
 * `" onmouseover="alert(1)`. The look-back is bounded so hostile values stay linear.
 */
function attributeBreakout(value: string): boolean {
  HANDLER_ASSIGNMENT.lastIndex = 0;
  let tries = 0;
  for (let m = HANDLER_ASSIGNMENT.exec(value); m !== null && tries < 32; m = HANDLER_ASSIGNMENT.exec(value), tries++) {
    const start = m[0].charCodeAt(0) === 111 ? m.index : m.index + 1;
    if (BREAKOUT_PREFIX.test(value.slice(Math.max(0, start - 120), start))) return true;
  }
  return false;
}

function gate(value: string, chars: number): boolean {
  if ((chars & GATE_CHARS) !== 0) return true;
  if ((chars & C.amp) !== 0 && value.includes('&#')) return true;
  if ((chars & C.backslash) !== 0 && value.includes('\\u')) return true;
  return value.includes('script');
}

/** `lower` is the lower-cased value, `chars` its character classes. */
function scoreLower(lower: string, chars: number): Judgement {
  if (!gate(lower, chars)) return NONE;
  let value = lower;
  if ((chars & C.amp) !== 0) {
    value = decodeEntities(value);
    if (value !== lower) chars = charClasses(value);
  }
  let best = NONE;
  if ((chars & C.lt) !== 0) for (const tag of scanTags(value)) best = judgeTag(tag, best);
  if (best.score >= 10) return best;
  const scheme = scriptScheme(value);
  if (scheme !== null) best = better(best, 8, scheme === 'javascript' ? 'xss:javascript-uri' : 'xss:data-uri');
  // Both handler patterns need `on<event>` before the `=`.
  if ((chars & C.equals) !== 0 && value.includes('on')) {
    if (attributeBreakout(value)) best = better(best, 8, 'xss:attribute-breakout');
    else if (BARE_HANDLER.test(value)) best = better(best, 7, 'xss:event-handler-injection');
  }
  if ((chars & (C.lparen | C.backtick)) !== 0 && ((chars & QUOTES) !== 0 || JS_WORDS.test(value))) {
    if ((chars & QUOTES) !== 0 && BREAKOUT_CALL.test(value)) best = better(best, 7, 'xss:js-breakout');
    if (/constructor\s*(?:\.|\[\s*["'`])\s*constructor|\[\s*["'`]constructor["'`]\s*\]\s*\(/.test(value)) best = better(best, 8, 'xss:constructor');
    if (/[:=]\s*expression\s*\(/.test(value)) best = better(best, 7, 'xss:css-expression');
    if ((chars & C.lbracket) !== 0 && /(?:^|[^\w$.])(?:top|window|self|parent|frames|globalthis|this|document)\s*\[\s*["'`][^\]]{0,40}\]\s*\(/.test(value)) best = better(best, 6, 'xss:bracket-call');
    if (/string\s*\.\s*fromcharcode\s*\(/.test(value)) best = better(best, 6, 'xss:fromcharcode');
    if (/\$\{[^}]*(?:alert|prompt|confirm|eval|constructor|fetch|import|document|window)[^}]*\}/.test(value)) best = better(best, 6, 'xss:template-literal');
    if (/\b(?:alert|prompt|confirm|eval)\s*`/.test(value)) best = better(best, 6, 'xss:tagged-template');
    if (/\beval\s*\(\s*(?:atob|unescape|decodeuri|string)/.test(value)) best = better(best, 7, 'xss:eval-decoder');
    if (best.score < 4 && /\b(?:alert|prompt|confirm)\s*\(\s*(?:[0-9]+|document\.[a-z]+|window\.[a-z]+|["'`][^"'`]{0,20}["'`])?\s*\)/.test(value)) best = better(best, 4, 'xss:js-call');
  }
  if (value.includes('document') && /document\s*(?:\.\s*cookie|\[\s*["'`]cookie)/.test(value)) best = better(best, 6, 'xss:document-cookie');
  if (best.score < 5 && (chars & C.colon) !== 0 && compactIncludes(value, 'script:') && /(?:javascript|vbscript):[a-z_$][\w$.]*[(`]/.test(compactScheme(value))) best = better(best, 5, 'xss:javascript-scheme');
  return best;
}

/** Judges one value; exported for tests and benchmarks. */
export function scoreXss(decoded: string): Judgement {
  const value = (decoded.length > MAX_INPUT ? decoded.slice(0, MAX_INPUT) : decoded).toLowerCase();
  return scoreLower(value, charClasses(value));
}

function scoreInput(input: Input): Judgement {
  if (isQuiet(input)) return NONE;
  return input.decoded.length > MAX_INPUT ? scoreXss(input.decoded) : scoreLower(lowerOf(input), charsOf(input));
}

export const xssDetector: Detector = perValueDetector('xss', 'xss', scoreInput);
skipsQuietInputs.add(xssDetector);
