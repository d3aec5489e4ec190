/**
 * How the real Azure CLI (az 2.45) is pointed at a Wharf server offline: one source of truth
 * for `wharf az-setup` and the end-to-end tests' az sandbox.
 *
 * - The cloud's authority is ADFS-shaped (`<origin>/adfs`): with an AAD-shaped one, MSAL first
 *   asks login.microsoftonline.com for instance discovery, which an offline machine cannot reach.
 * - The suffix `acrLoginServerEndpoint` must be set or every `az acr` command fails ("The suffix
 *   'acr_login_server_endpoint' for this cloud is not set"); az takes the login server itself
 *   from ARM's `properties.loginServer`, so the suffix barely matters.
 * - The suffix `storageEndpoint` is read by `az acr show-endpoints` for registries without
 *   dedicated data endpoints (it prints `*.blob.<suffix>`); unset, that command fails.
 * - REQUESTS_CA_BUNDLE (not AZURE_CLI_DISABLE_CONNECTION_VERIFICATION) is what makes MSAL, ARM
 *   and az's own registry calls trust Wharf's CA.
 * - The Microsoft Graph endpoint (`microsoftGraphResourceId`) has no flag of its own: az 2.45
 *   takes it only from `--cloud-config`, and without it every `az ad …` and `az role …` command
 *   fails ("The endpoint 'microsoft_graph_resource_id' for this cloud is not set"). az then calls
 *   `<endpoint>/v1.0/…` with a token for that endpoint: Wharf's own origin, which serves the Graph
 *   subset and accepts its own origin as a Graph audience. With `--cloud-config`, az ignores the
 *   other endpoint flags, so every setting goes into that one JSON document.
 */

export const DEFAULT_AZ_CLOUD_NAME = 'Wharf';

export interface AzCloudSettings {
  /** Wharf's origin as az reaches it, e.g. https://localhost:8443 (a trailing slash is dropped). */
  origin: string;
  /** The DNS suffix of login servers (Wharf's --domain), without a leading dot. */
  domain: string;
  /** Name of the cloud in az's configuration; default Wharf. */
  name?: string;
}

/** Audiences az asks tokens for; Wharf's identity plane issues tokens for them. */
const ARM_AUDIENCE = 'https://management.core.windows.net/';
const GRAPH_AUDIENCE = 'https://graph.windows.net/';

function originOf(settings: AzCloudSettings): string {
  return settings.origin.replace(/\/+$/, '');
}

/** The cloud's endpoints and suffixes, as the JSON `--cloud-config` takes (az's camelCase keys). */
function azCloudConfig(settings: AzCloudSettings): { endpoints: Record<string, string>; suffixes: Record<string, string> } {
  const origin = originOf(settings);
  const domain = settings.domain.replace(/^\.+/, '');
  return {
    endpoints: {
      resourceManager: `${origin}/`,
      activeDirectory: `${origin}/adfs`,
      activeDirectoryResourceId: ARM_AUDIENCE,
      activeDirectoryGraphResourceId: GRAPH_AUDIENCE,
      management: ARM_AUDIENCE,
      microsoftGraphResourceId: `${origin}/`,
    },
    suffixes: {
      acrLoginServerEndpoint: `.${domain}`,
      storageEndpoint: domain,
    },
  };
}

/** The `--cloud-config` argument shared by `az cloud register` and `az cloud update`. */
function cloudFlags(settings: AzCloudSettings): string[] {
  return ['--cloud-config', JSON.stringify(azCloudConfig(settings))];
}

/** `az cloud register …` arguments (without the leading `az`). */
export function azCloudRegisterArgs(settings: AzCloudSettings): string[] {
  return ['cloud', 'register', '-n', settings.name ?? DEFAULT_AZ_CLOUD_NAME, ...cloudFlags(settings)];
}

/** `az cloud update …`: the same settings for a cloud registered before. */
export function azCloudUpdateArgs(settings: AzCloudSettings): string[] {
  return ['cloud', 'update', '-n', settings.name ?? DEFAULT_AZ_CLOUD_NAME, ...cloudFlags(settings)];
}

/** `az cloud set …`. */
export function azCloudSetArgs(settings: Pick<AzCloudSettings, 'name'>): string[] {
  return ['cloud', 'set', '-n', settings.name ?? DEFAULT_AZ_CLOUD_NAME];
}

/** `az login --service-principal …` (the secret is the caller's: a placeholder when printing). */
export function azLoginArgs(login: { appId: string; secret: string; tenantId: string }): string[] {
  return ['login', '--service-principal', '-u', login.appId, '-p', login.secret, '--tenant', login.tenantId];
}

/** az registers an existing cloud name with this error; `az cloud update` is then the way. */
export function isCloudAlreadyRegistered(stderr: string): boolean {
  return /already registered/i.test(stderr);
}

/** A shell word: quoted only when it has to be. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(words: string[]): string {
  return words.map(shellWord).join(' ');
}
