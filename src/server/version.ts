/** This Wharf's version, from its package.json (dist/src/server → the package root). */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const WHARF_VERSION = readVersion();
