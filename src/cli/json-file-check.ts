/**
 * Checks the JSON files the CLI reads (its profile, a server's bootstrap-owner file) against a
 * zod schema built on first use: zod is some 90 modules, and `wharf --help` or a command that
 * reads no such file should not load them. What is wrong is said as a message key, in the
 * reader's language (zod's own messages are English).
 */
import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import type { CliMessageKey } from './cli-messages.js';

export type SchemaOf<T> = (z: typeof Zod.z) => Zod.ZodType<T>;

type JsonFileCheck<T> = { ok: true; value: T } | { ok: false; field: string; cause: CliMessageKey };

const built = new WeakMap<SchemaOf<unknown>, Zod.ZodType<unknown>>();

/** What is wrong with a field of the file, in words the catalog has. */
function causeOf(raw: unknown, path: PropertyKey[]): CliMessageKey {
  if (path.length === 0 || typeof raw !== 'object' || raw === null) return 'fileCauseNotObject';
  const value = (raw as Record<PropertyKey, unknown>)[path[0]!];
  if (value === undefined || value === null) return 'fileCauseMissing';
  if (typeof value !== 'string') return 'fileCauseNotText';
  return 'fileCauseEmpty';
}

/** Checks `raw` (a file's parsed JSON) against the schema `schemaOf` builds. */
export function checkJsonFile<T>(schemaOf: SchemaOf<T>, raw: unknown): JsonFileCheck<T> {
  let schema = built.get(schemaOf as SchemaOf<unknown>) as Zod.ZodType<T> | undefined;
  if (!schema) {
    const { z } = createRequire(import.meta.url)('zod') as typeof Zod;
    schema = schemaOf(z);
    built.set(schemaOf as SchemaOf<unknown>, schema);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const where = parsed.error.issues[0]?.path ?? [];
  return { ok: false, field: where.join('.') || 'root', cause: causeOf(raw, where) };
}
