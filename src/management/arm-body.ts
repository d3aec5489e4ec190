/**
 * ARM request bodies checked against zod schemas. The first problem becomes ARM's
 * InvalidRequestContent naming the field, in the words of the field readers in json-body.ts
 * (`'<field>' is required`, `'<field>' must be a string, not 5`), so a client sees the same
 * error whichever way a handler reads its body.
 */
import { z } from 'zod';
import { armErrors, armReason, type ArmError } from '../kernel/arm-errors.js';
import { wrongValue, type Expected, type JsonObject } from '../kernel/json-body.js';

const EXPECTED: Record<string, Expected> = {
  object: 'expectObject',
  record: 'expectObject',
  string: 'expectString',
  boolean: 'expectBoolean',
  array: 'expectArray',
};

/** What a custom check found: a message key of the ARM reasons and its values, never English. */
export interface ArmIssue {
  key: Parameters<typeof armReason>[0];
  values?: Record<string, string | number>;
  /** The error names no field in `target` (where the hand-written readers named none either). */
  untargeted?: true;
}

/** Adds a custom zod issue that carries its ARM reason key (rendered in the caller's language). */
export function armIssue(context: z.core.$RefinementCtx, issue: ArmIssue, path?: PropertyKey[]): void {
  context.addIssue({ code: 'custom', message: issue.key, params: { arm: issue }, ...(path ? { path } : {}) });
}

/** `a.b[2].c`, as ARM's `target` names a field. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join('');
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function issueError(issue: z.core.$ZodIssue, body: JsonObject): ArmError {
  const path = pathText(issue.path);
  const value = valueAt(body, issue.path);
  const required = () => armErrors.invalidRequestContent(armReason('fieldRequired', { path }), path);
  if (issue.code === 'invalid_type') {
    if (value === undefined || value === null) return required();
    const expected = EXPECTED[String(issue.expected)] ?? 'expectString';
    return armErrors.invalidRequestContent(wrongValue(path, expected, value), path);
  }
  if (typeof value === 'string' && value.trim() === '' && issue.code === 'custom' && issue.message === BLANK) return required();
  const arm = issue.code === 'custom' ? (issue.params as { arm?: ArmIssue } | undefined)?.arm : undefined;
  // `path` is the field the issue is about, unless the check gave its own.
  if (arm) return armErrors.invalidRequestContent(armReason(arm.key, { path, ...arm.values }), arm.untargeted ? undefined : path || undefined);
  // A schema check without its own key: name the field, never zod's English.
  return armErrors.invalidRequestContent(armReason('fieldInvalid', { path }), path || undefined);
}

/** The body as the schema reads it; ARM's InvalidRequestContent for the first problem. */
export function parseArmBody<T>(schema: z.ZodType<T>, body: JsonObject): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw issueError(result.error.issues[0]!, body);
}

/** A field that may be left out or sent as null (ARM clients send both). */
export const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

const BLANK = 'blank';

/** A string that must be there and not blank (kept as sent). */
export const requiredText = z.string().refine((text) => text.trim() !== '', BLANK);

/** ARM tags: at most 50, names up to 512 characters without < > % & \ ? /, values up to 256. */
export const armTags = z.record(z.string(), z.string()).superRefine((tags, context) => {
  const entries = Object.entries(tags);
  if (entries.length > 50) {
    armIssue(context, { key: 'tooManyTags', values: { path: 'tags', count: entries.length } });
    return;
  }
  for (const [name, value] of entries) {
    if (name.length === 0 || name.length > 512 || /[<>%&\\?/]/.test(name)) {
      armIssue(context, { key: 'tagNameInvalid', values: { name } });
      return;
    }
    if (value.length > 256) {
      armIssue(context, { key: 'tagValueTooLong', values: { name } });
      return;
    }
  }
});
