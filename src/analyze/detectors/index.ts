/**
 * @module analyze/detectors/index
 * The registry of web-attack detectors: every detector the analyser runs. SQL injection and XSS
 * have a module each; `others.ts` lists the detectors of every other class.
 */
import type { Detector } from '../contract.js';
import { otherDetectors } from './others.js';
import { sqliDetector } from './sqli.js';
import { xssDetector } from './xss.js';

export const detectors: Detector[] = [sqliDetector, xssDetector, ...otherDetectors];
