/**
 * The single error factory of the management plane. Every failure becomes an ArmError with
 * ARM's code, status and wording (`{"error":{"code","message"}}`), so az, the Azure SDKs and
 * the wharf CLI show the same text they would show against Azure. Graph routes render the
 * same errors in Graph's shape (graph/graph-errors.ts). Messages are rendered in the request's
 * language (Accept-Language); `message` is always English (logs, audits).
 */
import type { Language } from '../i18n/index.js';
import type { CatalogKey } from '../i18n/index.js';
import { LocalizedText, localize, textIn, type MessageValue, type Text } from '../i18n/localized.js';
import { armErrorMessages } from './arm-error-messages.js';
import { armReasonMessages } from './arm-reason-messages.js';

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: Text,
    readonly headers: Record<string, string> = {},
    /** The field or parameter at fault, when there is one (ARM's `target`). */
    readonly target?: string,
  ) {
    super(String(message));
    this.text = message;
  }

  /** The message in every language; `message` is its English text. */
  readonly text: Text;

  messageIn(language: Language): string {
    return textIn(this.text, language);
  }

  toBody(language: Language = 'en'): { error: { code: string; message: string; target?: string } } {
    return { error: { code: this.code, message: this.messageIn(language), ...(this.target ? { target: this.target } : {}) } };
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

type Key = CatalogKey<typeof armErrorMessages>;
const m = (key: Key, values?: Record<string, MessageValue>) => localize(armErrorMessages, key, values);
/** A message of the ARM catalog, for the factories that take a caller's text (invalidParameter, badRequest, …). */
export const armText = m;
/** A validator's reason, resource kind or Premium feature (arm-reason-messages), for the factories below. */
export const armReason = (key: CatalogKey<typeof armReasonMessages>, values?: Record<string, MessageValue>) => localize(armReasonMessages, key, values);
/** Texts listed with ", " in whatever language they are rendered in. */
const listed = (texts: LocalizedText[]) => new LocalizedText((language) => texts.map((text) => text.in(language)).join(', '));

export const armErrors = {
  // ---------------------------------------------------------------- request shape
  missingApiVersion: () => new ArmError(400, 'MissingApiVersionParameter', m('missingApiVersion')),
  invalidRequestContent: (why: LocalizedText, target?: string) => new ArmError(400, 'InvalidRequestContent', m('invalidRequestContent', { why }), {}, target),
  requestTooLarge: (limit: number) => new ArmError(413, 'RequestEntityTooLarge', m('requestTooLarge', { limit })),
  /** Cut for slowness; `why` (from timeout-messages) says which limit. */
  requestTimeout: (why: Text) => new ArmError(408, 'RequestTimeout', why),
  jsonTooDeep: (limit: number) => new ArmError(400, 'InvalidRequestContent', m('jsonTooDeep', { limit })),
  invalidParameter: (target: string, why: LocalizedText) => new ArmError(400, 'InvalidParameter', why, {}, target),
  invalidResourceName: (kind: LocalizedText, name: string, rule: LocalizedText) =>
    new ArmError(400, 'InvalidResourceName', m('invalidResourceName', { kind, name, rule }), {}, 'name'),
  featureNotSupported: (field: string, why: LocalizedText) => new ArmError(400, 'FeatureNotSupported', m('featureNotSupported', { field, why }), {}, field),
  badRequest: (message: LocalizedText, target?: string) => new ArmError(400, 'BadRequest', message, {}, target),
  /** A request path whose percent-encoding does not decode. */
  malformedPath: (path: string) => new ArmError(400, 'BadRequest', m('malformedPath', { path })),
  invalidFilter: (filter: string, supported: string) =>
    new ArmError(400, 'InvalidFilterInQueryString', m('invalidFilter', { filter, supported }), {}, '$filter'),
  noRoute: (method: string, path: string) => new ArmError(404, 'InvalidResourceType', m('noRoute', { method, path })),
  methodNotAllowed: (method: string, path: string, allowed: string[]) =>
    new ArmError(405, 'MethodNotAllowed', m('methodNotAllowed', { method, path, allowed: allowed.join(', ') }), {
      Allow: allowed.join(', '),
    }),

  // ---------------------------------------------------------------- authentication (401)
  // The WWW-Authenticate texts stay English: clients parse them.
  missingAuthorization: (context: ChallengeContext) =>
    new ArmError(
      401,
      'AuthenticationFailed',
      m('missingAuthorization'),
      challenge(context, "The authentication failed because of missing 'Authorization' header."),
    ),
  malformedAuthorization: (context: ChallengeContext) =>
    new ArmError(401, 'AuthenticationFailed', m('malformedAuthorization'), challenge(context, "The 'Authorization' header is not 'Bearer <token>'.")),
  invalidToken: (context: ChallengeContext, why: Text) =>
    new ArmError(401, 'InvalidAuthenticationToken', m('invalidToken', { why }), challenge(context, String(why))),
  expiredToken: (context: ChallengeContext, why: Text) =>
    new ArmError(401, 'ExpiredAuthenticationToken', m('expiredToken', { why }), challenge(context, String(why))),
  wrongAudience: (context: ChallengeContext, accepted: string[]) =>
    new ArmError(
      401,
      'InvalidAuthenticationTokenAudience',
      m('wrongAudience', { accepted: accepted.map((a) => `'${a}'`).join(',') }),
      challenge(context, 'wrong audience'),
    ),
  wrongTenant: (context: ChallengeContext, tokenTenant: string, subscriptionId: string) =>
    new ArmError(401, 'InvalidAuthenticationTokenTenant', m('wrongTenant', { tokenTenant, subscriptionId }), challenge(context, 'wrong tenant')),

  // ---------------------------------------------------------------- authorization (403)
  authorizationFailed: (caller: { name: string; objectId: string }, action: string, scope: string) =>
    new ArmError(403, 'AuthorizationFailed', m('authorizationFailed', { name: caller.name, objectId: caller.objectId, action, scope })),

  // ---------------------------------------------------------------- not found (404)
  subscriptionNotFound: (subscriptionId: string) => new ArmError(404, 'SubscriptionNotFound', m('subscriptionNotFound', { subscriptionId })),
  resourceGroupNotFound: (resourceGroup: string) => new ArmError(404, 'ResourceGroupNotFound', m('resourceGroupNotFound', { resourceGroup })),
  resourceNotFound: (type: string, name: string, resourceGroup: string) =>
    new ArmError(404, 'ResourceNotFound', m('resourceNotFound', { type, name, resourceGroup })),
  roleAssignmentNotFound: (name: string) => new ArmError(404, 'RoleAssignmentNotFound', m('roleAssignmentNotFound', { name })),
  roleDefinitionNotFound: (id: string) => new ArmError(404, 'RoleDefinitionDoesNotExist', m('roleDefinitionNotFound', { id })),

  // ---------------------------------------------------------------- conflicts and rules
  conflict: (code: string, message: LocalizedText) => new ArmError(409, code, message),
  locationMismatch: (name: string, existing: string, requested: string, resourceGroup: string) =>
    new ArmError(409, 'InvalidResourceLocation', m('locationMismatch', { name, existing, requested, resourceGroup })),
  quotaExceeded: (what: LocalizedText, limit: number, sku: string) => new ArmError(409, 'QuotaExceeded', m('quotaExceeded', { what, limit, sku })),
  // ---------------------------------------------------------------- network access (issue 4)
  /** A network feature asked of a registry below Premium; `message` is ACR's sentence for it. */
  premiumRequired: (message: LocalizedText, target: string) => new ArmError(400, 'FeatureNotSupported', message, {}, target),
  /** All-or-nothing save of a registry's network rules failed; nothing was saved. */
  firewallSaveFailed: (registry: string, cause: LocalizedText, target = 'properties.networkRuleSet') =>
    new ArmError(400, 'BadRequest', m('firewallSaveFailed', { registry, cause }), {}, target),
  skuDowngradeBlocked: (registry: string, sku: string, reasons: LocalizedText[]) =>
    new ArmError(400, 'BadRequest', m('skuDowngradeBlocked', { registry, sku, reasons: listed(reasons) }), {}, 'sku.name'),
  /** `ruleHelps`: an IP rule for `ip` would keep access; `azRest`: the request as `az rest … force=true`. */
  networkAccessLockout: (registry: string, ip: string, reason: Text, ruleHelps: boolean, azRest: string) =>
    new ArmError(409, 'NetworkAccessLockout', m(ruleHelps ? 'networkAccessLockout' : 'networkAccessLockoutNoRule', { registry, ip, reason, azRest })),
  missingSubscriptionRegistration: (namespace: string, subscriptionId: string) =>
    new ArmError(409, 'MissingSubscriptionRegistration', m('missingSubscriptionRegistration', { namespace, subscriptionId })),
  invalidResourceNamespace: (namespace: string) => new ArmError(404, 'InvalidResourceNamespace', m('invalidResourceNamespace', { namespace })),
  notFound: (code: string, message: LocalizedText) => new ArmError(404, code, message),
  /** Microsoft.Network's 400s carry their own codes (NetcfgInvalidSubnet, InUseSubnetCannotBeDeleted, …). */
  networkBadRequest: (code: string, message: LocalizedText, target?: string) => new ArmError(400, code, message, {}, target),
  principalNotFound: (principalId: string, tenantId: string) => new ArmError(400, 'PrincipalNotFound', m('principalNotFound', { principalId, tenantId })),
  /**
   * A subnet's prefixes are the identity a registry's VNet rule admits: changing them needs
   * write on every registry whose rules name the subnet (ARM's AuthorizationFailed, with why).
   */
  subnetUsedByRegistry: (caller: { name: string; objectId: string }, action: string, registryId: string, subnetId: string, registry: string) =>
    new ArmError(
      403,
      'AuthorizationFailed',
      m('subnetUsedByRegistry', { name: caller.name, objectId: caller.objectId, action, scope: registryId, subnetId, registry }),
    ),
  /** Azure refuses deleting a subnet in use; a registry's VNet rule is such a use. */
  subnetInUseByRegistries: (subnet: string, vnet: string, registries: string[]) =>
    new ArmError(
      409,
      'InUseSubnetCannotBeDeleted',
      m('subnetInUseByRegistry', { subnet, vnet, registries: registries.map((r) => `'${r}'`).join(', '), count: registries.length }),
    ),
  /** 507: the disk (or the database on it) is full; deletes and garbage collection still work. */
  insufficientStorage: () => new ArmError(507, 'InsufficientStorage', m('insufficientStorage')),
  /** Anything unexpected: the correlation id finds the logged cause. */
  internal: (correlationId: string) => new ArmError(500, 'InternalServerError', m('internal', { id: correlationId })),
} as const;
