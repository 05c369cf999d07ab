/**
 * @module analyze/detectors/others
 * The detectors for every attack class besides SQL injection and XSS, in one list for the
 * analyser: path traversal / LFI, RFI, OS command injection, code injection (PHP, Java, templates,
 * Node, JNDI), SSRF, XXE, deserialisation, web shells, and scanners.
 */
import type { Detector } from '../contract.js';
import { codeDetector, deserDetector, xxeDetector } from './code-injection.js';
import { lfiDetector, rfiDetector } from './paths.js';
import { scannerDetector, webshellDetector } from './scanners.js';
import { rceDetector } from './shell.js';
import { ssrfDetector } from './ssrf.js';

export { codeDetector, deserDetector, xxeDetector, lfiDetector, rfiDetector, scannerDetector, webshellDetector, rceDetector, ssrfDetector };

export const otherDetectors: Detector[] = [
  lfiDetector,
  rfiDetector,
  rceDetector,
  codeDetector,
  ssrfDetector,
  xxeDetector,
  deserDetector,
  webshellDetector,
  scannerDetector,
];
