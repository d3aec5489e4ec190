/**
 * Who is calling the management plane: `Authorization: Bearer <token>` issued by Wharf's
 * identity plane, for one of the audiences ARM clients ask for. Azure CLI asks for
 * `https://management.core.windows.net/`, the wharf CLI and most SDK samples for
 * `https://management.azure.com`, and @azure/arm-* 12.x for `${endpoint}/.default`, that is
 * this server's own origin. Graph clients ask for `https://graph.microsoft.com`.
 */
import type { FastifyRequest } from 'fastify';
import { AccessTokenRejected, type IdentityClaims } from '../identity/identity-plane.js';
import { armErrors, type ChallengeContext } from '../kernel/arm-errors.js';
import type { Plane } from './route-table.js';
import type { ManagementServices } from './context.js';

/** Each audience with and without the trailing slash (clients differ; Entra keeps what was asked). */
function bothForms(audiences: string[]): string[] {
  return [...new Set(audiences.flatMap((a) => [a.replace(/\/+$/, ''), a.replace(/\/+$/, '') + '/']))];
}

function acceptedAudiences(plane: Plane, domain: string, origin: string): string[] {
  const management = ['https://management.azure.com', 'https://management.core.windows.net', `https://management.${domain}`, origin];
  // The Graph subset also takes management tokens: one sign-in serves the wharf CLI's both APIs.
  const graph = ['https://graph.microsoft.com', `https://graph.${domain}`];
  return bothForms(plane === 'graph' ? [...graph, ...management] : management);
}

export function challengeContext(services: Pick<ManagementServices, 'arm'>, origin: string): ChallengeContext {
  return { authorizationUri: `${origin}/${services.arm.tenantId}` };
}

/** The verified claims of the request's bearer token; an ArmError (401) otherwise. */
export async function authenticate(
  services: Pick<ManagementServices, 'arm' | 'config' | 'identity'>,
  request: FastifyRequest,
  plane: Plane,
  origin: string,
): Promise<IdentityClaims> {
  const context = challengeContext(services, origin);
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') throw armErrors.missingAuthorization(context);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw armErrors.malformedAuthorization(context);
  const audiences = acceptedAudiences(plane, services.config.domain, origin);
  try {
    return await services.identity.verifyAccessToken(match[1]!, audiences);
  } catch (error) {
    if (!(error instanceof AccessTokenRejected)) throw error;
    switch (error.reason) {
      case 'expired':
        throw armErrors.expiredToken(context, error.text);
      case 'wrong-audience':
        throw armErrors.wrongAudience(context, audiences);
      default:
        throw armErrors.invalidToken(context, error.text);
    }
  }
}
