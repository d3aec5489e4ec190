/**
 * JSON request bodies of the management plane: read from the raw stream with a 1 MiB cap
 * (the app has no body parsers), parsed, and picked apart field by field, each problem
 * reported as ARM's InvalidRequestContent naming the field.
 */
import type { FastifyRequest } from 'fastify';
import { BodyTooLarge, BodyTooSlow, readBody } from './body.js';
import { armErrors, armReason } from './arm-errors.js';

const MAX_BODY_BYTES = 1024 * 1024;
/**
 * No ARM or Graph body nests deeper than a dozen levels. A deeper one would make every
 * recursive walk of the parsed value (JSON.stringify in an error message, a deep copy) overflow
 * the stack, so it is refused before parsing.
 */
const MAX_JSON_DEPTH = 64;
/** How much of a wrong value an error message quotes. */
const QUOTED_VALUE_CHARS = 100;

export type JsonObject = Record<string, unknown>;

/** The body as a JSON object; an empty body is an empty object (POST actions without input). */
export async function readJsonObject(request: FastifyRequest): Promise<JsonObject> {
  let raw: Buffer;
  try {
    raw = await readBody(request.raw, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw armErrors.requestTooLarge(error.limit);
    if (error instanceof BodyTooSlow) throw armErrors.requestTimeout(error.why);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNABORTED') {
      throw armErrors.invalidRequestContent(armReason('bodyEndedEarly'));
    }
    throw error;
  }
  const text = raw.toString('utf8').trim();
  if (text === '') return {};
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw armErrors.jsonTooDeep(MAX_JSON_DEPTH);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw armErrors.invalidRequestContent(armReason('bodyNotJson', { detail: (error as Error).message }));
  }
  if (!isObject(parsed)) throw armErrors.invalidRequestContent(armReason('bodyNotObject'));
  return parsed;
}

/**
 * Whether JSON text nests arrays and objects more than `limit` deep, by one pass over its
 * brackets (those inside strings do not count); malformed text is left to JSON.parse.
 */
function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* backslash */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `body.properties`, or an empty object when absent. */
export function propertiesOf(body: JsonObject): JsonObject {
  return optionalObject(body, 'properties', 'properties') ?? {};
}

/** What a field must be, as the key of its message. */
export type Expected = 'expectObject' | 'expectString' | 'expectBoolean' | 'expectArray' | 'expectTime';

/** Why a field's value is refused: `'<path>' must be <expected>, not <the value, shortened>`, in the caller's language. */
export function wrongValue(path: string, expected: Expected, value: unknown) {
  const quoted = JSON.stringify(value) ?? String(value);
  const shown = quoted.length > QUOTED_VALUE_CHARS ? `${quoted.slice(0, QUOTED_VALUE_CHARS)}…` : quoted;
  return armReason(expected, { path, shown });
}

function wrong(path: string, expected: Expected, value: unknown): never {
  throw armErrors.invalidRequestContent(wrongValue(path, expected, value), path);
}

export function optionalObject(source: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  return isObject(value) ? value : wrong(path, 'expectObject', value);
}

export function optionalString(source: JsonObject, key: string, path: string): string | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : wrong(path, 'expectString', value);
}

export function requiredString(source: JsonObject, key: string, path: string): string {
  const value = optionalString(source, key, path);
  if (value === undefined || value.trim() === '') throw armErrors.invalidRequestContent(armReason('fieldRequired', { path }), path);
  return value;
}

export function optionalBoolean(source: JsonObject, key: string, path: string): boolean | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'boolean' ? value : wrong(path, 'expectBoolean', value);
}

export function optionalArray(source: JsonObject, key: string, path: string): unknown[] | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value : wrong(path, 'expectArray', value);
}

export function optionalStringArray(source: JsonObject, key: string, path: string): string[] | undefined {
  const value = optionalArray(source, key, path);
  if (value === undefined) return undefined;
  return value.map((item, index) => (typeof item === 'string' ? item : wrong(`${path}[${index}]`, 'expectString', item)));
}

/** ARM tags: at most 50, names up to 512 characters, values up to 256. */
export function optionalTags(source: JsonObject, key: string, path: string): Record<string, string> | undefined {
  const value = optionalObject(source, key, path);
  if (value === undefined) return undefined;
  const entries = Object.entries(value);
  if (entries.length > 50) throw armErrors.invalidRequestContent(armReason('tooManyTags', { path, count: entries.length }), path);
  const tags: Record<string, string> = {};
  for (const [name, tagValue] of entries) {
    if (typeof tagValue !== 'string') wrong(`${path}.${name}`, 'expectString', tagValue);
    if (name.length === 0 || name.length > 512 || /[<>%&\\?/]/.test(name)) {
      throw armErrors.invalidRequestContent(armReason('tagNameInvalid', { name }), path);
    }
    if (tagValue.length > 256) throw armErrors.invalidRequestContent(armReason('tagValueTooLong', { name }), path);
    tags[name] = tagValue;
  }
  return tags;
}

/** An ISO 8601 time, normalized; undefined when absent. */
export function optionalTime(source: JsonObject, key: string, path: string): string | undefined {
  const value = optionalString(source, key, path);
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) wrong(path, 'expectTime', value);
  return new Date(time).toISOString();
}
