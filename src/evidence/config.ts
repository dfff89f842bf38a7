import type { LogEvent } from '../events.js';
import type { ExprValue } from '../rules/expr/index.js';

interface ConfigEntry {
  value: string;
  source: string;
  line: number;
  text: string;
}

/**
 * Configuration seen anywhere in the input (config files, SHOW output, logged engine settings,
 * server `parameter changed` lines), keyed by the namespaced names of the config format
 * (`sqlalchemy.pool_recycle`, `postgres.idle_session_timeout`...). The latest value wins.
 */
export class ConfigStore {
  private readonly entries = new Map<string, ConfigEntry>();

  add(event: LogEvent): void {
    const config = event.fields.config;
    if (!config) return;
    const text = event.text.split('\n', 1)[0].slice(0, 300);
    for (const [key, value] of Object.entries(config)) {
      if (this.entries.size >= 10_000 && !this.entries.has(key)) continue;
      this.entries.set(key, { value, source: event.source, line: event.line, text });
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** An exact namespaced key, or the first key whose last part is `name` (`config.pool_recycle`). */
  lookup(name: string): ConfigEntry | undefined {
    const exact = this.entries.get(name);
    if (exact) return exact;
    for (const [key, entry] of this.entries) if (key.endsWith('.' + name)) return entry;
    return undefined;
  }

  /** A duration setting in ms (the config format normalizes durations to seconds). */
  duration(...keys: string[]): ExprValue | undefined {
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      const seconds = Number(entry.value);
      if (!Number.isFinite(seconds)) continue;
      return { value: seconds * 1000, duration: true, origin: originOf(entry) };
    }
    return undefined;
  }

  /** The smallest positive duration among the keys: the first limit a connection hits. */
  shortest(...keys: string[]): ExprValue | undefined {
    let best: ExprValue | undefined;
    for (const key of keys) {
      const v = this.duration(key);
      if (v && typeof v.value === 'number' && v.value > 0 && (!best || v.value < (best.value as number))) best = v;
    }
    return best;
  }

  /** Any config value as an expression value: numbers where they look like numbers. */
  value(name: string): ExprValue | undefined {
    const entry = this.lookup(name);
    if (!entry) return undefined;
    const n = Number(entry.value);
    if (entry.value === 'true' || entry.value === 'false') return { value: entry.value === 'true', origin: originOf(entry) };
    return { value: entry.value.trim() !== '' && Number.isFinite(n) ? n : entry.value, origin: originOf(entry) };
  }
}

function originOf(entry: ConfigEntry) {
  return { source: entry.source, line: entry.line, text: entry.text };
}
