/**
 * The zod-read Graph bodies answer as the hand-written readers did: for each bad body, the
 * message (English) names the field, and the error renders in Graph's shape as
 * Request_BadRequest.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import {
  addPasswordBody,
  applicationBody,
  directoryRoleAssignmentBody,
  ownerReferenceBody,
  parseGraphBody,
  removePasswordBody,
  timeAt,
  userBody,
  userUpdateBody,
} from '../../src/management/graph/graph-bodies.js';
import { graphErrorBody } from '../../src/management/graph/graph-errors.js';
import { ArmError } from '../../src/kernel/arm-errors.js';
import type { JsonObject } from '../../src/kernel/json-body.js';

function refusal(read: () => unknown): ArmError {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ArmError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

const cases: [string, z.ZodType, JsonObject, string][] = [
  ['an application without a name', applicationBody, {}, "'displayName' is required"],
  ['an application with a blank name', applicationBody, { displayName: '  ' }, "'displayName' is required"],
  ['a credential that is no object', addPasswordBody, { passwordCredential: 'x' }, '\'passwordCredential\' must be an object, not "x"'],
  [
    'a credential name that is no string',
    addPasswordBody,
    { passwordCredential: { displayName: 5 } },
    "'passwordCredential.displayName' must be a string, not 5",
  ],
  ['a removal without a key id', removePasswordBody, {}, "'keyId' is required"],
  ['a user without a sign-in name', userBody, { passwordProfile: { password: 'x' } }, "'userPrincipalName' is required"],
  [
    'a user with accountEnabled no boolean',
    userBody,
    { userPrincipalName: 'a@b', accountEnabled: 'yes' },
    '\'accountEnabled\' must be true or false, not "yes"',
  ],
  ['a password profile without a password', userUpdateBody, { passwordProfile: {} }, "'passwordProfile.password' is required"],
  ['an owner reference without an id', ownerReferenceBody, {}, "'@odata.id' is required"],
  ['a role assignment without a principal', directoryRoleAssignmentBody, { roleDefinitionId: 'x' }, "'principalId' is required"],
];

describe('Graph bodies', () => {
  for (const [name, schema, body, message] of cases) {
    it(`refuses ${name}`, () => {
      const error = refusal(() => parseGraphBody(schema, body));
      assert.equal(error.status, 400);
      assert.ok(error.message.includes(message), `${error.message} should say ${message}`);
      const rendered = graphErrorBody(error, 'req-1', undefined);
      assert.equal(rendered.error.code, 'Request_BadRequest');
      assert.ok(rendered.error.message.includes(message));
    });
  }

  it('reads times as ISO 8601 and refuses other text, naming the field', () => {
    assert.equal(timeAt('2030-01-02T03:04:05Z', 'passwordCredential.endDateTime'), '2030-01-02T03:04:05.000Z');
    assert.equal(timeAt(undefined, 'passwordCredential.endDateTime'), undefined);
    const error = refusal(() => timeAt('soon', 'passwordCredential.endDateTime'));
    assert.ok(error.message.includes("'passwordCredential.endDateTime'"), error.message);
  });

  it('reads null as absent', () => {
    const body = parseGraphBody(userBody, { userPrincipalName: 'a@b', displayName: null, passwordProfile: null });
    assert.equal(body.userPrincipalName, 'a@b');
    assert.equal(body.displayName, undefined);
    assert.equal(body.passwordProfile, undefined);
  });
});
