/**
 * The body of a PATCH of changeable attributes (ACR's RepositoryChangeableAttributes,
 * TagChangeableAttributes, ManifestChangeableAttributes): a JSON object of booleans. Keys ACR
 * has for other features (teleportEnabled, quarantine…) are ignored; a known key with a
 * non-boolean value is refused.
 */
import type { IncomingMessage } from 'node:http';
import { BodyTooLarge, readBody } from '../kernel/body.js';
import type { ChangeableAttributes } from '../storage/metadata/store.js';
import { acrErrors } from '../distribution/acr-errors.js';
import { localize } from '../i18n/localized.js';
import { distributionMessages } from '../distribution/distribution-messages.js';

const MAX_BODY_BYTES = 64 * 1024;
const KEYS = ['deleteEnabled', 'writeEnabled', 'readEnabled', 'listEnabled'] as const;

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw acrErrors.bodyTooLarge(MAX_BODY_BYTES);
    throw error;
  }
  const body = raw.toString('utf8').trim();
  if (body === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw acrErrors.attributesInvalid(localize(distributionMessages, 'attributesNotJson', { detail: (error as Error).message }));
  }
}

export async function readAttributeChange(request: IncomingMessage): Promise<Partial<ChangeableAttributes>> {
  const body = await readJsonBody(request);
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw acrErrors.attributesInvalid(localize(distributionMessages, 'attributesNotObject'));
  const change: Partial<ChangeableAttributes> = {};
  for (const key of KEYS) {
    const value = (body as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean')
      throw acrErrors.attributesInvalid(localize(distributionMessages, 'attributeNotBoolean', { key, value: JSON.stringify(value) }));
    change[key] = value;
  }
  return change;
}
