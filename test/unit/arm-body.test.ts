/**
 * zod-checked ARM bodies answer in the words of the field readers they replace: for each bad
 * body, parseArmBody's error (status, code, message, target) equals what the hand-written
 * reader of json-body.ts throws for the same field.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { armTags, nullable, parseArmBody, requiredText } from '../../src/management/arm-body.js';
import { ArmError } from '../../src/kernel/arm-errors.js';
import { optionalBoolean, optionalObject, optionalTags, requiredString, type JsonObject } from '../../src/kernel/json-body.js';

const schema = z
  .object({
    location: requiredText,
    sku: nullable(z.object({ name: requiredText }).loose()),
    tags: nullable(armTags),
    properties: nullable(z.object({ adminUserEnabled: nullable(z.boolean()) }).loose()),
  })
  .loose();

/** The hand-written reading of the same fields, in the same order. */
function readByHand(body: JsonObject): void {
  requiredString(body, 'location', 'location');
  const sku = optionalObject(body, 'sku', 'sku');
  if (sku) requiredString(sku, 'name', 'sku.name');
  optionalTags(body, 'tags', 'tags');
  const properties = optionalObject(body, 'properties', 'properties');
  if (properties) optionalBoolean(properties, 'adminUserEnabled', 'properties.adminUserEnabled');
}

function errorOf(read: () => unknown): { status: number; code: string; message: string; target: string | undefined } {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ArmError, String(error));
    return { status: error.status, code: error.code, message: error.message, target: error.target };
  }
  assert.fail('expected a refusal');
}

const BAD_BODIES: Record<string, JsonObject> = {
  'missing location': {},
  'null location': { location: null },
  'blank location': { location: '   ' },
  'location a number': { location: 5 },
  'sku a string': { location: 'l', sku: 'Premium' },
  'sku without name': { location: 'l', sku: {} },
  'sku name blank': { location: 'l', sku: { name: '' } },
  'sku name an object': { location: 'l', sku: { name: { x: 'y'.repeat(200) } } },
  'tags an array': { location: 'l', tags: ['a'] },
  'tag value a number': { location: 'l', tags: { team: 5 } },
  'tag name with a slash': { location: 'l', tags: { 'a/b': 'c' } },
  'tag value too long': { location: 'l', tags: { a: 'x'.repeat(257) } },
  'too many tags': { location: 'l', tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v'])) },
  'properties a string': { location: 'l', properties: 'yes' },
  'adminUserEnabled a string': { location: 'l', properties: { adminUserEnabled: 'yes' } },
};

describe('zod-checked ARM bodies', () => {
  for (const [name, body] of Object.entries(BAD_BODIES)) {
    it(`refuses ${name} as the field readers do`, () => {
      const expected = errorOf(() => readByHand(body));
      assert.equal(expected.code, 'InvalidRequestContent');
      assert.deepEqual(
        errorOf(() => parseArmBody(schema, body)),
        expected,
      );
    });
  }

  it('reads a good body, with null as absent and unknown fields kept', () => {
    const parsed = parseArmBody(schema, { location: 'West Europe', sku: { name: 'Premium' }, tags: null, properties: { adminUserEnabled: true, other: 1 } });
    assert.equal(parsed.location, 'West Europe');
    assert.equal(parsed.sku?.name, 'Premium');
    assert.equal(parsed.tags, undefined);
    assert.equal(parsed.properties?.adminUserEnabled, true);
  });
});
