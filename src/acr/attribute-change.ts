/**
 * The body of a PATCH of changeable attributes (ACR's RepositoryChangeableAttributes,
 * TagChangeableAttributes, ManifestChangeableAttributes): a JSON object of booleans. Keys ACR
 * has for other features (teleportEnabled, quarantine…) are ignored; a known key with a
 * non-boolean value is refused.
 */
import type { IncomingMessage } from 'node:http';
import type { ChangeableAttributes } from '../storage/metadata/store.js';
import { acrErrors } from './errors.js';

const MAX_BODY_BYTES = 64 * 1024;
const KEYS = ['deleteEnabled', 'writeEnabled', 'readEnabled', 'listEnabled'] as const;

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total > MAX_BODY_BYTES) throw acrErrors.bodyTooLarge(MAX_BODY_BYTES);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks, total).toString('utf8').trim();
  if (body === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw acrErrors.attributesInvalid(`the body is not JSON (${(error as Error).message})`);
  }
}

export async function readAttributeChange(request: IncomingMessage): Promise<Partial<ChangeableAttributes>> {
  const body = await readJsonBody(request);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw acrErrors.attributesInvalid('the body must be a JSON object');
  const change: Partial<ChangeableAttributes> = {};
  for (const key of KEYS) {
    const value = (body as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') throw acrErrors.attributesInvalid(`${key} must be true or false, not ${JSON.stringify(value)}`);
    change[key] = value;
  }
  return change;
}
