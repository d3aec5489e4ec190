/**
 * Managed identity tokens from an IMDS-compatible endpoint, so `ManagedIdentityCredential`
 * (@azure/identity, through MSAL's IMDS source) works against Wharf: point it here with
 * `AZURE_POD_IDENTITY_AUTHORITY_HOST=https://<wharf>`, and MSAL sends
 * `GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=<r>[&client_id=|&object_id=|&msi_res_id=]`
 * with `Metadata: true`.
 *
 * As on Azure, only the machine itself may ask: callers from other addresses are refused, and so
 * are requests relayed by a proxy (see imdsCaller). With
 * no identity named, the answer is the system-assigned identity of this Wharf host; a
 * user-assigned identity must be named by client id, object id or resource id.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIPv4 } from 'node:net';
import type { IdentityRecord } from '../storage/metadata/access-records.js';
import { HOST_IDENTITY_NAME, type IdentityDirectory } from './directory.js';
import type { TokenIssuer } from './token-issuer.js';
import type { Language } from '../i18n/index.js';
import { localize, type LocalizedText, type MessageValue } from '../i18n/localized.js';
import { imdsErrorMessages } from './imds-error-messages.js';

type Key = Extract<keyof typeof imdsErrorMessages.messages.en, string>;
const t = (key: Key, values?: Record<string, MessageValue>) => localize(imdsErrorMessages, key, values);

const RESOURCE_MAX = 1000;

/** IMDS answers errors as `{error, error_description}`; MSAL shows the description. */
export class ImdsError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    /** The description in every language; `message` is its English text. */
    readonly description: LocalizedText,
  ) {
    super(String(description));
  }

  toBody(language: Language = 'en'): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description.in(language) };
  }
}

/**
 * Headers a proxy adds to say whom it relays. Any of them means the caller is not (only) the
 * socket's peer, whatever address it names.
 */
const FORWARDING_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-real-ip',
  'x-client-ip',
  'x-original-forwarded-for',
  'true-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'x-cluster-client-ip',
  'via',
] as const;

/** Who is really calling, from the raw socket (never request.ip, which trustProxy rewrites). */
interface ImdsCaller {
  /** The socket's peer address. */
  address: string;
  loopback: boolean;
  /** The first forwarding header present, if any. */
  forwardedBy: string | undefined;
  /** The peer is a configured reverse proxy (network.trustedProxies). */
  viaTrustedProxy: boolean;
}

export function imdsCaller(
  socketAddress: string | undefined,
  headers: IncomingHttpHeaders,
  trustedProxies: readonly string[],
  isLoopback: (address: string | undefined) => boolean,
): ImdsCaller {
  const address = socketAddress ?? 'unknown';
  const proxies = new BlockList();
  for (const entry of trustedProxies) {
    const [base, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIPv4(base) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) proxies.addAddress(base, family);
    else proxies.addSubnet(base, Number(prefix), family);
  }
  const plain = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
  const family = isIPv4(plain) ? 'ipv4' : 'ipv6';
  let viaTrustedProxy = false;
  try {
    viaTrustedProxy = proxies.check(plain, family);
  } catch {
    // Not an address BlockList understands: not a proxy we know.
  }
  return {
    address,
    loopback: isLoopback(socketAddress),
    forwardedBy: FORWARDING_HEADERS.find((name) => headers[name] !== undefined),
    viaTrustedProxy,
  };
}

interface ImdsRequest {
  caller: ImdsCaller;
  metadataHeader: string | undefined;
  query: Record<string, string | undefined>;
  origin: string;
}

/** X-Forwarded-For as people write it. */
function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_all, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** Which managed identity the query names, and how (for messages). */
async function selectIdentity(directory: IdentityDirectory, query: ImdsRequest['query']): Promise<IdentityRecord> {
  const named = [
    ['client_id', query.client_id],
    ['object_id', query.object_id],
    ['msi_res_id', query.msi_res_id ?? query.mi_res_id],
  ].filter(([, value]) => value !== undefined && value !== '') as [string, string][];
  if (named.length > 1) {
    throw new ImdsError(400, 'invalid_request', t('oneIdentity', { given: named.map(([k]) => k).join(', ') }));
  }
  let identity: IdentityRecord | undefined;
  let description: LocalizedText;
  if (named.length === 0) {
    // Created at start (IdentityPlane.init); made here too, so the endpoint never depends on start-up order.
    identity = await directory.ensureHostIdentity();
    description = t('systemIdentityNotFound', { name: HOST_IDENTITY_NAME });
  } else {
    const [kind, value] = named[0]!;
    description = t('identityNotFound', { kind, value });
    if (kind === 'client_id') identity = await directory.findManagedIdentity({ clientId: value });
    else if (kind === 'object_id') identity = await directory.findManagedIdentity({ objectId: value });
    else {
      // /subscriptions/<s>/resourceGroups/<g>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>
      const match = /\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i.exec(value);
      identity = match ? await directory.findManagedIdentity({ name: decodedName(match[1]!, value) }) : undefined;
    }
  }
  if (!identity) throw new ImdsError(400, 'invalid_request', description);
  return identity;
}

/** The identity name of a resource id, percent-decoded; a 400 when it does not decode (`%zz`). */
function decodedName(encoded: string, resourceId: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new ImdsError(400, 'invalid_request', t('resourceIdEncoding', { value: resourceId.slice(0, 300) }));
  }
}

/** Answers one IMDS token request with IMDS's body (numbers as strings, `expires_on` in Unix seconds). */
export async function handleImdsTokenRequest(
  deps: { directory: IdentityDirectory; issuer: TokenIssuer },
  request: ImdsRequest,
): Promise<Record<string, string>> {
  const { caller } = request;
  if (!caller.loopback) throw new ImdsError(403, 'access_denied', t('notLoopback', { address: caller.address }));
  // A local reverse proxy's peer address is loopback, but the caller it relays may be anyone.
  if (caller.forwardedBy !== undefined) throw new ImdsError(403, 'access_denied', t('forwarded', { header: headerName(caller.forwardedBy) }));
  if (caller.viaTrustedProxy) throw new ImdsError(403, 'access_denied', t('viaProxy', { address: caller.address }));
  if (request.metadataHeader?.toLowerCase() !== 'true') {
    throw new ImdsError(400, 'invalid_request', t('metadataHeader'));
  }
  if (!request.query['api-version']) throw new ImdsError(400, 'invalid_request', t('apiVersion'));
  const resource = request.query.resource?.trim();
  if (!resource) throw new ImdsError(400, 'invalid_request', t('audience'));
  if (resource.length > RESOURCE_MAX || /[\s\u0000-\u001f]/.test(resource)) {
    throw new ImdsError(400, 'invalid_resource', t('invalidResource', { resource: resource.slice(0, 100) }));
  }
  const identity = await selectIdentity(deps.directory, request.query);
  // Entra issues v1 tokens to managed identities.
  const issued = await deps.issuer.accessToken(identity, { origin: request.origin, flavor: 'v1', resource });
  return {
    access_token: issued.token,
    refresh_token: '',
    expires_in: String(issued.expiresIn),
    expires_on: String(issued.expiresOn),
    ext_expires_in: String(issued.expiresIn),
    not_before: String(issued.notBefore),
    resource,
    token_type: 'Bearer',
    client_id: identity.appId!,
  };
}
