import type { LogEvent } from '../../events.js';
import { extractConfig } from './free-text.js';

/** Settings worth reading as configuration wherever they are logged; the prefilter looks for them too. */
export const CONFIG_KEYS = [
  'pool_recycle', 'idleTimeoutMillis', 'maxLifetime', 'max_idle', 'max_lifetime', 'keepalives', 'pool_pre_ping', 'pool_mode',
  'idle_session_timeout', 'idle_in_transaction_session_timeout', 'tcp_keepalives', 'client_idle_timeout',
];
const CONFIG_HINT = new RegExp(CONFIG_KEYS.join('|'), 'i');

/**
 * Jobs often log their own settings ("engine config: pool_recycle=3600"): reads them as the
 * event's configuration. Server lines are left alone (their settings come from the config
 * format), and so is an event that already carries configuration.
 */
export function addLoggedConfig(event: LogEvent): void {
  if (event.fields.config || event.origin === 'server' || !CONFIG_HINT.test(event.text)) return;
  const found = extractConfig(event.text, event.source);
  if (Object.keys(found).length) event.fields.config = found;
}
