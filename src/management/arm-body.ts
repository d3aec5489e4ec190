/**
 * ARM request bodies checked against zod schemas. The first problem becomes ARM's
 * InvalidRequestContent naming the field, in the words of the field readers in json-body.ts
 * (`'<field>' is required`, `'<field>' must be a string, not 5`), so a client sees the same
 * error whichever way a handler reads its body.
 */
import { z } from 'zod';
import { armErrors, type ArmError } from './arm-errors.js';
import { wrongValueText, type JsonObject } from './json-body.js';

const EXPECTED: Record<string, string> = {
  object: 'an object',
  record: 'an object',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  number: 'a number',
};

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
  if (issue.code === 'invalid_type') {
    if (value === undefined || value === null) return armErrors.invalidRequestContent(`'${path}' is required`, path);
    const expected = String(issue.expected);
    return armErrors.invalidRequestContent(wrongValueText(path, EXPECTED[expected] ?? expected, value), path);
  }
  if (typeof value === 'string' && value.trim() === '' && issue.code === 'custom' && issue.message === BLANK) {
    return armErrors.invalidRequestContent(`'${path}' is required`, path);
  }
  return armErrors.invalidRequestContent(issue.message, path || undefined);
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
    context.addIssue({ code: 'custom', message: `'tags' has ${entries.length} tags; at most 50 are allowed` });
    return;
  }
  for (const [name, value] of entries) {
    if (name.length === 0 || name.length > 512 || /[<>%&\\?/]/.test(name)) {
      context.addIssue({ code: 'custom', message: `tag name '${name}' must be 1 to 512 characters without < > % & \\ ? /` });
      return;
    }
    if (value.length > 256) {
      context.addIssue({ code: 'custom', message: `the value of tag '${name}' is longer than 256 characters` });
      return;
    }
  }
});
