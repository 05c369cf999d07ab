/**
 * @module parse/nginx
 * nginx access logs (ngx_http_log_module): the predefined `combined` format, the `main` format many
 * distributions ship (combined plus `"$http_x_forwarded_for"`), and the common log format. The
 * scanner is shared with Apache in `parse/access-log`; nginx differs only in module and dataset.
 */
import type { Normaliser } from './normaliser.js';
import type { AccessLogFlavour } from './access-log.js';
import { parseAccessLog } from './access-log.js';

const flavour: AccessLogFlavour = { format: 'nginx', module: 'nginx', dataset: 'nginx.access', vhost: false };

export const nginxNormaliser: Normaliser = {
  format: 'nginx',
  normalise: (record) => parseAccessLog(record.text, flavour),
};
