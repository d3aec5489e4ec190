/**
 * The api-versions the management plane accepts, per namespace, and ARM's refusal of any other:
 * a resource provider's type answers 400 NoRegisteredProviderFound, ARM's own APIs
 * (subscriptions, resource groups, resources, providers) 400 InvalidApiVersionParameter, each
 * listing the supported versions. The lists hold the versions the clients send — az 2.45
 * (2022-02-01-preview, 2021-08-01-preview, 2020-11-01-preview; 2020-04-01-preview and
 * 2018-01-01-preview for roles; 2019-11-01 and 2021-04-01 for ARM's own), the JavaScript SDK
 * 12.0.0 (2025-11-01), Debian's Python SDKs (azure-mgmt-containerregistry 10.0.0: 2021-09-01 by
 * default, and each of its api folders; azure-mgmt-authorization 2022-04-01) — and the other
 * published versions. 2023-07-01 is Wharf's own version for every API it serves (its CLI's and
 * documentation's). Namespaces not listed here (networks, identities, Wharf's own) are not checked.
 */
import { ArmError, armText } from '../kernel/arm-errors.js';

const WHARF_VERSION = '2023-07-01';

export const CONTAINER_REGISTRY_API_VERSIONS = [
  '2016-06-27-preview',
  '2017-03-01',
  '2017-06-01-preview',
  '2017-10-01',
  '2018-02-01-preview',
  '2018-09-01',
  '2019-04-01',
  '2019-05-01',
  '2019-05-01-preview',
  '2019-06-01-preview',
  '2019-12-01-preview',
  '2020-11-01-preview',
  '2021-06-01-preview',
  '2021-08-01-preview',
  '2021-09-01',
  '2021-12-01-preview',
  '2022-02-01-preview',
  '2022-12-01',
  '2023-01-01-preview',
  '2023-06-01-preview',
  '2023-07-01',
  '2023-08-01-preview',
  '2023-11-01-preview',
  '2024-11-01-preview',
  '2025-03-01-preview',
  '2025-04-01',
  '2025-05-01-preview',
  '2025-11-01',
];

export const AUTHORIZATION_API_VERSIONS = [
  '2015-06-01',
  '2015-07-01',
  '2018-01-01-preview',
  '2018-05-01-preview',
  '2018-07-01-preview',
  '2018-09-01-preview',
  '2019-08-01-preview',
  '2020-04-01-preview',
  '2020-10-01',
  '2020-10-01-preview',
  '2021-01-01-preview',
  '2021-03-01-preview',
  '2021-07-01-preview',
  '2021-12-01-preview',
  '2022-04-01',
  '2022-05-01-preview',
  '2022-08-01-preview',
  WHARF_VERSION,
];

/** What ARM itself answers for subscriptions and resource groups (2024). */
const RESOURCE_MANAGER = [
  '2024-08-01',
  '2024-06-01-preview',
  '2024-03-01',
  '2023-07-01',
  '2023-07-01-preview',
  '2023-03-01-preview',
  '2022-12-01',
  '2022-11-01-preview',
  '2022-09-01',
  '2022-06-01',
  '2022-05-01',
  '2022-03-01-preview',
  '2022-01-01',
  '2021-04-01',
  '2021-01-01',
  '2020-10-01',
  '2020-09-01',
  '2020-08-01',
  '2020-07-01',
  '2020-06-01',
  '2020-05-01',
  '2020-01-01',
  '2019-11-01',
  '2019-10-01',
  '2019-09-01',
  '2019-08-01',
  '2019-07-01',
  '2019-06-01',
  '2019-05-10',
  '2019-05-01',
  '2019-03-01',
  '2018-11-01',
  '2018-09-01',
  '2018-08-01',
  '2018-07-01',
  '2018-06-01',
  '2018-05-01',
  '2018-02-01',
  '2018-01-01',
  '2017-12-01',
  '2017-08-01',
  '2017-06-01',
  '2017-05-10',
  '2017-05-01',
  '2017-03-01',
  '2016-09-01',
  '2016-07-01',
  '2016-06-01',
  '2016-02-01',
  '2015-11-01',
  '2015-01-01',
  '2014-04-01-preview',
  '2014-04-01',
  '2014-01-01',
  '2013-03-01',
  '2014-02-26',
  '2014-04',
];

/** `/subscriptions/{id}/providers[/{namespace}[/register|/unregister]]`: ARM's own providers API. */
const ARM_PROVIDERS_API = /^\/subscriptions\/[^/]+\/providers(\/[^/]+(\/(register|unregister))?)?\/?$/i;

const PROVIDER_VERSIONS: Record<string, string[]> = {
  'microsoft.containerregistry': CONTAINER_REGISTRY_API_VERSIONS,
  'microsoft.authorization': AUTHORIZATION_API_VERSIONS,
};

/** Which API a path addresses: a provider's resource type, ARM's own, or one not checked (null). */
function apiOf(path: string): { kind: 'provider'; type: string; versions: string[] } | { kind: 'arm'; versions: string[] } | null {
  if (ARM_PROVIDERS_API.test(path)) return { kind: 'arm', versions: RESOURCE_MANAGER };
  const segments = path.split('/').filter((s) => s !== '');
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  if (at < 0) return { kind: 'arm', versions: RESOURCE_MANAGER };
  const versions = PROVIDER_VERSIONS[(segments[at + 1] ?? '').toLowerCase()];
  if (!versions) return null;
  // Types are every other segment after the namespace: registries/{name}/replications/{name} → registries/replications.
  const type = segments
    .slice(at + 2)
    .filter((_, i) => i % 2 === 0)
    .join('/');
  return { kind: 'provider', type, versions };
}

/** Throws ARM's refusal unless `version` is one the addressed API supports. */
export function checkApiVersion(path: string, version: string): void {
  const api = apiOf(path);
  if (!api || api.versions.includes(version)) return;
  const versions = api.versions.join(', ');
  if (api.kind === 'arm') throw new ArmError(400, 'InvalidApiVersionParameter', armText('apiVersionInvalid', { version, versions }));
  throw new ArmError(400, 'NoRegisteredProviderFound', armText('apiVersionNoProvider', { version, type: api.type, versions }));
}
