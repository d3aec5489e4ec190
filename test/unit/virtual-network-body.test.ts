/**
 * The zod-read bodies of virtual network and subnet PUTs answer as the hand-written readers
 * did: for each bad body, the message (English), and the field ARM's `target` names.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArmBody } from '../../src/management/arm-body.js';
import { subnetBody, vnetBody } from '../../src/management/network/virtual-networks.js';
import { ArmError } from '../../src/kernel/arm-errors.js';
import type { JsonObject } from '../../src/kernel/json-body.js';

function refusal(read: () => unknown): { code: string; message: string; target: string | undefined } {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ArmError, String(error));
    return { code: error.code, message: error.message, target: error.target };
  }
  assert.fail('expected a refusal');
}

const space = { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } };

const vnetCases: [string, JsonObject, string, string | undefined][] = [
  ['no location', { properties: space }, "'location' is required", 'location'],
  ['a blank location', { location: ' ', properties: space }, "'location' is required", 'location'],
  ['no address space', { location: 'local' }, "'properties.addressSpace.addressPrefixes' needs at least one prefix", 'properties.addressSpace.addressPrefixes'],
  [
    'an empty address space',
    { location: 'local', properties: { addressSpace: { addressPrefixes: [] } } },
    "'properties.addressSpace.addressPrefixes' needs at least one prefix",
    'properties.addressSpace.addressPrefixes',
  ],
  [
    'a prefix that is no string',
    { location: 'local', properties: { addressSpace: { addressPrefixes: [5] } } },
    "'properties.addressSpace.addressPrefixes[0]' must be a string, not 5",
    'properties.addressSpace.addressPrefixes[0]',
  ],
  [
    'a subnet that is no object',
    { location: 'local', properties: { ...space, subnets: ['a'] } },
    "'properties.subnets[0]' must be an object",
    'properties.subnets[0]',
  ],
  [
    'a subnet without a name',
    { location: 'local', properties: { ...space, subnets: [{ properties: { addressPrefix: '10.0.0.0/24' } }] } },
    "'properties.subnets[0].name' is required",
    'properties.subnets[0].name',
  ],
  [
    'a subnet without a prefix',
    { location: 'local', properties: { ...space, subnets: [{ name: 'a' }] } },
    "'properties.subnets[0].properties.addressPrefix' is required",
    'properties.subnets[0].properties.addressPrefix',
  ],
  [
    'a service endpoint that is no object',
    { location: 'local', properties: { ...space, subnets: [{ name: 'a', properties: { addressPrefix: '10.0.0.0/24', serviceEndpoints: ['x'] } }] } },
    "'properties.subnets[0].properties.serviceEndpoints[0]' must be an object with 'service'",
    undefined,
  ],
  ['tags that are no object', { location: 'local', tags: 'x', properties: space }, '\'tags\' must be an object, not "x"', 'tags'],
];

describe('virtual network bodies', () => {
  for (const [name, body, message, target] of vnetCases) {
    it(`refuses ${name}`, () => {
      const error = refusal(() => parseArmBody(vnetBody, body));
      assert.equal(error.code, 'InvalidRequestContent');
      assert.ok(error.message.includes(message), `${error.message} should say ${message}`);
      assert.equal(error.target, target);
    });
  }

  it('reads a good body, with null as absent', () => {
    const body = parseArmBody(vnetBody, {
      location: 'local',
      tags: null,
      properties: { ...space, subnets: [{ name: 'a', properties: { addressPrefixes: ['10.0.0.0/24'] } }] },
    });
    assert.equal(body.tags, undefined);
    assert.deepEqual(body.properties.subnets?.[0]?.properties.addressPrefixes, ['10.0.0.0/24']);
  });

  it('refuses a subnet PUT without a prefix, naming properties.addressPrefix', () => {
    const error = refusal(() => parseArmBody(subnetBody, {}));
    assert.ok(error.message.includes("'properties.addressPrefix' is required"), error.message);
    assert.equal(error.target, 'properties.addressPrefix');
  });
});
