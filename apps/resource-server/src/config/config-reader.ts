import type { ConfigIssue } from './config-error.js';

type Mapping = Record<string, unknown>;

/** Reads typed fields from an untrusted parsed document, collecting every issue by path. */
export class ConfigReader {
  readonly issues: ConfigIssue[] = [];

  fail(path: string, message: string): undefined {
    this.issues.push({ path, message });
    return undefined;
  }

  mapping(value: unknown, path: string, known: readonly string[]): Mapping | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.fail(path, 'must be a mapping');
    }
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.fail(path === '' ? key : `${path}.${key}`, 'is not a known field');
      }
    }
    return value as Mapping;
  }

  optionalMapping(value: unknown, path: string, known: readonly string[]): Mapping {
    return value === undefined ? {} : (this.mapping(value, path, known) ?? {});
  }

  list(value: unknown, path: string): unknown[] | undefined {
    return Array.isArray(value) ? value : this.fail(path, 'must be a list');
  }

  string(value: unknown, path: string): string | undefined {
    return typeof value === 'string' && value.trim() !== ''
      ? value
      : this.fail(path, 'must be a non-empty string');
  }

  integer(value: unknown, path: string, min: number, max: number, fallback: number): number {
    if (value === undefined) {
      return fallback;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(path, `must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  /** An https URL, or http on a loopback host; no query, fragment or credentials. */
  url(value: unknown, path: string): string | undefined {
    const text = this.string(value, path);
    if (text === undefined) {
      return undefined;
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return this.fail(path, 'must be an absolute URL');
    }
    const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      return this.fail(path, 'must be an https URL (http only on a loopback host)');
    }
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      return this.fail(path, 'must not carry a query, fragment or credentials');
    }
    return text;
  }

  choices<T extends string>(
    value: unknown,
    path: string,
    allowed: readonly T[],
    fallback: readonly T[],
  ): T[] {
    if (value === undefined) {
      return [...fallback];
    }
    const items = this.list(value, path);
    if (items === undefined || items.length === 0) {
      this.fail(path, `must be a non-empty list of ${allowed.join(', ')}`);
      return [...fallback];
    }
    const bad = items.filter((item) => !allowed.includes(item as T));
    if (bad.length > 0) {
      this.fail(path, `may contain only ${allowed.join(', ')}`);
      return [...fallback];
    }
    return [...new Set(items as T[])];
  }
}
