/**
 * @module parse/apache
 * Apache httpd access logs (mod_log_config): the Common Log Format (NCSA), `combined`, and the
 * `vhost_combined` variant that prefixes `%v:%p` (server name and port). The scanner is shared with
 * nginx in `parse/access-log`; Apache differs only in module and dataset.
 */
import type { Normaliser } from './normaliser.js';
import type { AccessLogFlavour } from './access-log.js';
import { parseAccessLog } from './access-log.js';

const flavour: AccessLogFlavour = { format: 'apache', module: 'apache', dataset: 'apache.access', vhost: true };

export const apacheNormaliser: Normaliser = {
  format: 'apache',
  normalise: (record) => parseAccessLog(record.text, flavour),
};
