/**
 * Microsoft Graph request bodies checked against zod schemas. A problem is the same
 * InvalidRequestContent as an ARM body's (parseArmBody, naming the field in the caller's
 * language), which graph-errors.ts renders in Graph's error shape as Request_BadRequest.
 */
import { z } from 'zod';
import { armErrors } from '../../kernel/arm-errors.js';
import { wrongValue } from '../../kernel/json-body.js';
import { nullable, requiredText } from '../arm-body.js';

export { parseArmBody as parseGraphBody } from '../arm-body.js';

/** POST /applications. */
export const applicationBody = z.object({ displayName: requiredText });

/** POST /servicePrincipals: the application it is for. */
export const servicePrincipalBody = z.object({ appId: requiredText });

/** POST …/addPassword (the credential and each of its fields may be left out). */
export const addPasswordBody = z.object({
  passwordCredential: nullable(
    z.object({
      displayName: nullable(z.string()),
      startDateTime: nullable(z.string()),
      endDateTime: nullable(z.string()),
    }),
  ),
});

/** POST …/removePassword. */
export const removePasswordBody = z.object({ keyId: requiredText });

const passwordProfile = nullable(z.object({ password: requiredText }));

/** POST /users. */
export const userBody = z.object({
  userPrincipalName: requiredText,
  displayName: nullable(z.string()),
  accountEnabled: nullable(z.boolean()),
  passwordProfile,
});

/** PATCH /users/{id}: an administrator's password reset. */
export const userUpdateBody = z.object({ passwordProfile });

/** POST …/owners/$ref: `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/<id>"}`. */
export const ownerReferenceBody = z.object({ '@odata.id': requiredText });

/** POST /roleManagement/directory/roleAssignments. */
export const directoryRoleAssignmentBody = z.object({
  roleDefinitionId: requiredText,
  principalId: requiredText,
  directoryScopeId: nullable(z.string()),
});

/** An ISO 8601 time a body gave at `path`, normalized; InvalidRequestContent when it is none. */
export function timeAt(value: string | undefined, path: string): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw armErrors.invalidRequestContent(wrongValue(path, 'expectTime', value), path);
  return new Date(time).toISOString();
}
