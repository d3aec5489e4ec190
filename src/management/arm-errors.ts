/**
 * The single error factory of the management plane. Every failure becomes an ArmError with
 * ARM's code, status and wording (`{"error":{"code","message"}}`), so az, the Azure SDKs and
 * the wharf CLI show the same text they would show against Azure. Graph routes render the
 * same errors in Graph's shape (graph/graph-errors.ts).
 */

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** The field or parameter at fault, when there is one (ARM's `target`). */
    readonly target?: string,
  ) {
    super(message);
  }

  toBody(): { error: { code: string; message: string; target?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.target ? { target: this.target } : {}) } };
  }
}

/** Why a bearer token was refused, for the WWW-Authenticate challenge. */
export interface ChallengeContext {
  /** `https://<host>/<tenant>`: where a client gets a token for this API. */
  authorizationUri: string;
}

function challenge(context: ChallengeContext, description: string): Record<string, string> {
  const quoted = description.replace(/["\\]/g, "'");
  return {
    'WWW-Authenticate': `Bearer authorization_uri="${context.authorizationUri}", error="invalid_token", error_description="${quoted}"`,
  };
}

const RESOURCE_NOT_FOUND_HINT = 'For more details please go to https://aka.ms/ARMResourceNotFoundFix';

export const armErrors = {
  // ---------------------------------------------------------------- request shape
  missingApiVersion: () =>
    new ArmError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'),
  invalidRequestContent: (why: string, target?: string) =>
    new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${why}'.`, {}, target),
  requestTooLarge: (limit: number) =>
    new ArmError(413, 'RequestEntityTooLarge', `The request content is larger than the ${limit}-byte limit.`),
  invalidParameter: (target: string, why: string) => new ArmError(400, 'InvalidParameter', why, {}, target),
  invalidResourceName: (kind: string, name: string, rule: string) =>
    new ArmError(400, 'InvalidResourceName', `The ${kind} name '${name}' is invalid: ${rule}.`, {}, 'name'),
  featureNotSupported: (field: string, why: string) =>
    new ArmError(400, 'FeatureNotSupported', `'${field}' cannot be set: ${why}.`, {}, field),
  badRequest: (message: string, target?: string) => new ArmError(400, 'BadRequest', message, {}, target),
  invalidFilter: (filter: string, supported: string) =>
    new ArmError(400, 'InvalidFilterInQueryString', `The $filter '${filter}' is not supported. Supported filters: ${supported}.`, {}, '$filter'),
  noRoute: (method: string, path: string) =>
    new ArmError(404, 'InvalidResourceType', `Wharf's management API has no operation '${method} ${path}'.`),
  methodNotAllowed: (method: string, path: string, allowed: string[]) =>
    new ArmError(405, 'MethodNotAllowed', `The HTTP method '${method}' is not supported at '${path}'. Supported: ${allowed.join(', ')}.`, {
      Allow: allowed.join(', '),
    }),

  // ---------------------------------------------------------------- authentication (401)
  missingAuthorization: (context: ChallengeContext) =>
    new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      challenge(context, "The authentication failed because of missing 'Authorization' header."),
    ),
  malformedAuthorization: (context: ChallengeContext) =>
    new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      challenge(context, "The 'Authorization' header is not 'Bearer <token>'."),
    ),
  invalidToken: (context: ChallengeContext, why: string) =>
    new ArmError(401, 'InvalidAuthenticationToken', `The access token is invalid: ${why}.`, challenge(context, why)),
  expiredToken: (context: ChallengeContext, why: string) =>
    new ArmError(401, 'ExpiredAuthenticationToken', `The access token has expired: ${why}. Get a new token and try again.`, challenge(context, why)),
  wrongAudience: (context: ChallengeContext, accepted: string[]) =>
    new ArmError(
      401,
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences ${accepted.map((a) => `'${a}'`).join(',')}.`,
      challenge(context, 'wrong audience'),
    ),
  wrongTenant: (context: ChallengeContext, tokenTenant: string, subscriptionId: string) =>
    new ArmError(
      401,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer: tenant '${tokenTenant}'. It must match the tenant associated with subscription '${subscriptionId}'.`,
      challenge(context, 'wrong tenant'),
    ),

  // ---------------------------------------------------------------- authorization (403)
  authorizationFailed: (caller: { name: string; objectId: string }, action: string, scope: string) =>
    new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${caller.name}' with object id '${caller.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ),

  // ---------------------------------------------------------------- not found (404)
  subscriptionNotFound: (subscriptionId: string) =>
    new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`),
  resourceGroupNotFound: (resourceGroup: string) =>
    new ArmError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`),
  resourceNotFound: (type: string, name: string, resourceGroup: string) =>
    new ArmError(
      404,
      'ResourceNotFound',
      `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. ${RESOURCE_NOT_FOUND_HINT}`,
    ),
  roleAssignmentNotFound: (name: string) =>
    new ArmError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`),
  roleDefinitionNotFound: (id: string) =>
    new ArmError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${id}' does not exist.`),

  // ---------------------------------------------------------------- conflicts and rules
  conflict: (code: string, message: string) => new ArmError(409, code, message),
  locationMismatch: (name: string, existing: string, requested: string, resourceGroup: string) =>
    new ArmError(
      409,
      'InvalidResourceLocation',
      `The resource '${name}' already exists in location '${existing}' in resource group '${resourceGroup}'. A resource with the same name cannot be created in location '${requested}'. Please select a new resource name.`,
    ),
  quotaExceeded: (what: string, limit: number, sku: string) =>
    new ArmError(409, 'QuotaExceeded', `The registry already has the ${limit} ${what} its ${sku} SKU allows. Delete some, or move to a higher SKU.`),
  // ---------------------------------------------------------------- network access (issue 4)
  /** A network feature asked of a registry below Premium; `message` is ACR's sentence for it. */
  premiumRequired: (message: string, target: string) => new ArmError(400, 'FeatureNotSupported', message, {}, target),
  /** All-or-nothing save of a registry's network rules failed; nothing was saved. */
  firewallSaveFailed: (registry: string, cause: string, target = 'properties.networkRuleSet') =>
    new ArmError(
      400,
      'BadRequest',
      `Failed to save firewall and virtual network settings for container registry '${registry}'. Error: ${cause}`,
      {},
      target,
    ),
  skuDowngradeBlocked: (registry: string, sku: string, reasons: string[]) =>
    new ArmError(
      400,
      'BadRequest',
      `The registry '${registry}' cannot move to the ${sku} SKU: it has ${reasons.join(', ')}, which only the Premium SKU supports. Remove them first.`,
      {},
      'sku.name',
    ),
  networkAccessLockout: (registry: string, ip: string, reason: string) =>
    new ArmError(
      409,
      'NetworkAccessLockout',
      `The new network settings of registry '${registry}' would deny your own address '${ip}': ${reason}. Add a rule that allows it, or repeat the request with the query parameter force=true (or the header x-wharf-force: true) to save anyway.`,
    ),
  missingSubscriptionRegistration: (namespace: string, subscriptionId: string) =>
    new ArmError(
      409,
      'MissingSubscriptionRegistration',
      `The subscription '${subscriptionId}' is not registered to use namespace '${namespace}'. Register it with: az provider register --namespace ${namespace} --subscription ${subscriptionId}`,
    ),
  invalidResourceNamespace: (namespace: string) =>
    new ArmError(404, 'InvalidResourceNamespace', `The resource namespace '${namespace}' is invalid.`),
  notFound: (code: string, message: string) => new ArmError(404, code, message),
  /** Microsoft.Network's 400s carry their own codes (NetcfgInvalidSubnet, InUseSubnetCannotBeDeleted, …). */
  networkBadRequest: (code: string, message: string, target?: string) => new ArmError(400, code, message, {}, target),
  principalNotFound: (principalId: string, tenantId: string) =>
    new ArmError(
      400,
      'PrincipalNotFound',
      `Principal ${principalId} does not exist in the directory ${tenantId}. Check that you have the correct principal ID.`,
    ),
  /**
   * A subnet's prefixes are the identity a registry's VNet rule admits: changing them needs
   * write on every registry whose rules name the subnet (ARM's AuthorizationFailed, with why).
   */
  subnetUsedByRegistry: (caller: { name: string; objectId: string }, action: string, registryId: string, subnetId: string, registry: string) =>
    new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${caller.name}' with object id '${caller.objectId}' does not have authorization to perform action '${action}' over scope '${registryId}' or the scope is invalid. ` +
        `Subnet '${subnetId}' is used by the network rules of registry '${registry}'; changing its address prefixes changes who that registry admits.`,
    ),
  /** Azure refuses deleting a subnet in use; a registry's VNet rule is such a use. */
  subnetInUseByRegistries: (subnet: string, vnet: string, registries: string[]) =>
    new ArmError(
      409,
      'InUseSubnetCannotBeDeleted',
      `Subnet '${subnet}' of virtual network '${vnet}' is in use by the virtual network rules of registr${registries.length === 1 ? 'y' : 'ies'} ${registries.map((r) => `'${r}'`).join(', ')} and cannot be deleted. Remove the rule${registries.length === 1 ? '' : 's'} first (az acr network-rule remove).`,
    ),
} as const;
