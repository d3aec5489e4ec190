/**
 * The Azure SDKs for Python, as Debian ships them (python3-azure: azure-identity 1.13.0b2,
 * azure-mgmt-containerregistry 10.0.0, azure-containerregistry 1.1.0b2), run by /usr/bin/python3
 * against a real Wharf. The credential names Wharf as its authority and turns instance discovery
 * off (`instance_discovery=False` in this azure-identity; `disable_instance_discovery=True` in
 * 1.13.0 and later), as the README shows. The CA reaches requests through REQUESTS_CA_BUNDLE.
 * One Python run does every call and prints what it saw as JSON; the tests read it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, ok, run } from '../helpers/clients.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { tempDir } from '../helpers/tmp.js';
import { bootstrapOwner, identityToken, ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const PYTHON = '/usr/bin/python3';
const REGISTRY = 'pythonsdk';

/** Each step's result, or the error code and message of a step that was refused. */
const SCRIPT = String.raw`
import json, os, sys
from azure.core.exceptions import HttpResponseError
from azure.identity import ClientSecretCredential
from azure.mgmt.containerregistry import ContainerRegistryManagementClient
from azure.mgmt.containerregistry.v2021_09_01 import models as m
from azure.containerregistry import ContainerRegistryClient
from azure.mgmt.resource import ResourceManagementClient

env = json.loads(sys.argv[1])
out = {}
def step(name, call):
    try:
        out[name] = {"ok": call()}
    except HttpResponseError as e:
        out[name] = {"error": {"status": e.status_code, "code": e.error.code if e.error else None, "message": e.error.message if e.error else str(e)}}

credential = ClientSecretCredential(env["tenant"], env["clientId"], env["secret"], authority=env["server"], instance_discovery=False)
mgmt = ContainerRegistryManagementClient(credential, env["subscription"], base_url=env["server"],
                                         credential_scopes=["https://management.azure.com/.default"], polling_interval=0.2)
rg, reg = env["resourceGroup"], env["registry"]

# The other way round instance discovery: an ADFS-shaped authority (tenant "adfs"), which MSAL never discovers.
step("adfsToken", lambda: len(ClientSecretCredential("adfs", env["clientId"], env["secret"], authority=env["server"]).get_token("https://management.azure.com/.default").token) > 0)
step("get", lambda: (lambda r: {"name": r.name, "loginServer": r.login_server, "sku": r.sku.name, "admin": r.admin_user_enabled})(mgmt.registries.get(rg, "wharf")))
step("create", lambda: mgmt.registries.begin_create(rg, reg, m.Registry(location="local", sku=m.Sku(name="Premium"))).result().provisioning_state)
step("list", lambda: sorted(r.name for r in mgmt.registries.list()))
step("replicationCreate", lambda: mgmt.replications.begin_create(rg, reg, "westeurope", m.Replication(location="westeurope", tags={"team": "python"})).result().tags)
step("replicationGet", lambda: mgmt.replications.get(rg, reg, "westeurope").tags)
step("replicationUpdate", lambda: mgmt.replications.begin_update(rg, reg, "westeurope", m.ReplicationUpdateParameters(tags={"team": "python", "cost": "low"})).result().tags)
step("replicationList", lambda: {r.name: r.tags for r in mgmt.replications.list(rg, reg)})
step("listCredentialsDisabled", lambda: mgmt.registries.list_credentials(rg, reg).username)
step("regenerateDisabled", lambda: mgmt.registries.regenerate_credential(rg, reg, m.RegenerateCredentialParameters(name="password")).username)
step("enableAdmin", lambda: mgmt.registries.begin_update(rg, reg, m.RegistryUpdateParameters(admin_user_enabled=True)).result().admin_user_enabled)
def regenerate():
    before = {p.name: p.value for p in mgmt.registries.list_credentials(rg, reg).passwords}
    after = {p.name: p.value for p in mgmt.registries.regenerate_credential(rg, reg, m.RegenerateCredentialParameters(name="password")).passwords}
    return {"passwordChanged": before["password"] != after["password"], "password2Kept": before["password2"] == after["password2"]}
step("regenerate", regenerate)

# Resource groups as az 2.45 manages them (azure-mgmt-resource at its api-version 2021-04-01).
groups = ResourceManagementClient(credential, env["subscription"], base_url=env["server"], api_version="2021-04-01",
                                  credential_scopes=["https://management.azure.com/.default"], polling_interval=0.2)
group = env["group"]
step("groupCreate", lambda: groups.resource_groups.create_or_update(group, {"location": "local", "tags": {"team": "python"}}).tags)
step("groupUpdate", lambda: groups.resource_groups.update(group, {"tags": {"team": "python", "cost": "low"}}).tags)
step("groupGet", lambda: groups.resource_groups.get(group).tags)
step("groupListed", lambda: {g.name: g.tags for g in groups.resource_groups.list()}.get(group))
step("groupRegistry", lambda: mgmt.registries.begin_create(group, env["groupRegistry"], m.Registry(location="local", sku=m.Sku(name="Basic"))).result().name)
step("groupDelete", lambda: groups.resource_groups.begin_delete(group).result())
step("groupExists", lambda: groups.resource_groups.check_existence(group))
step("groupRegistryGone", lambda: mgmt.registries.get(group, env["groupRegistry"]).name)
step("groupRegistryNotListed", lambda: env["groupRegistry"] in [r.name for r in mgmt.registries.list()])

data = ContainerRegistryClient(env["server"], credential, audience="https://management.azure.com")
step("repositories", lambda: sorted(data.list_repository_names()))
step("tags", lambda: sorted(t.name for t in data.list_tag_properties(env["repository"])))
step("manifest", lambda: (lambda p: {"digest": p.digest, "tags": sorted(p.tags)})(data.get_manifest_properties(env["repository"], "v1")))
print(json.dumps(out))
`;

type Step = { ok?: any; error?: { status: number; code: string | null; message: string } };

let w: WharfServer;
let results: Record<string, Step>;
const image = buildImageLayout({ layers: 1, layerSize: 1024 });
const REPOSITORY = 'py/app';

before(async () => {
  w = await startWharf({ secure: true });
  const owner = bootstrapOwner(w);
  ok(
    await new ClientSandbox().skopeo([
      'copy',
      '--dest-tls-verify=true',
      '--dest-cert-dir',
      w.caDir!,
      '--dest-creds',
      `${owner.clientId}:${owner.clientSecret}`,
      image.ref,
      `docker://${w.host}/${REPOSITORY}:v1`,
    ]),
  );
  const script = join(tempDir('python-sdk'), 'sdk.py');
  writeFileSync(script, SCRIPT);
  const input = {
    server: w.baseUrl,
    tenant: owner.tenantId,
    clientId: owner.clientId,
    secret: owner.clientSecret,
    subscription: owner.subscriptionId,
    resourceGroup: owner.resourceGroup,
    registry: REGISTRY,
    repository: REPOSITORY,
    group: 'pythongroup',
    groupRegistry: 'pythongroupreg',
  };
  const result = ok(
    await run(
      PYTHON,
      [script, JSON.stringify(input)],
      {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: tempDir('python-home'),
        REQUESTS_CA_BUNDLE: w.caFile!,
        SSL_CERT_FILE: w.caFile!,
        // No proxy, and nothing of the user's site-packages: Debian's SDKs only.
        PYTHONNOUSERSITE: '1',
        NO_PROXY: '*',
      },
      { timeoutMs: 120_000 },
    ),
  );
  results = JSON.parse(result.stdout) as Record<string, Step>;
});

after(async () => {
  await w?.stop();
});

function okResult(name: string): any {
  const step = results[name];
  assert.ok(step && 'ok' in step, `${name}: ${JSON.stringify(step)}`);
  return step.ok;
}

describe('Azure SDK for Python (Debian python3-azure) against Wharf', () => {
  test('ClientSecretCredential with authority= and instance_discovery=False (or the adfs tenant) signs in; registries get, create (LRO) and list', () => {
    assert.equal(okResult('adfsToken'), true, 'the adfs tenant works too, as the README says');
    const got = okResult('get');
    assert.equal(got.name, 'wharf');
    assert.ok(got.loginServer);
    assert.equal(okResult('create'), 'Succeeded');
    assert.ok(okResult('list').includes(REGISTRY));
  });

  test('replication tags are stored: create with tags, read back, update, list', () => {
    assert.deepEqual(okResult('replicationCreate'), { team: 'python' });
    assert.deepEqual(okResult('replicationGet'), { team: 'python' });
    assert.deepEqual(okResult('replicationUpdate'), { team: 'python', cost: 'low' });
    assert.deepEqual(okResult('replicationList').westeurope, { team: 'python', cost: 'low' });
  });

  test('listCredentials and regenerateCredential with the admin user disabled: UnAuthorizedForCredentialOperations, as ACR', () => {
    for (const name of ['listCredentialsDisabled', 'regenerateDisabled']) {
      const step = results[name]!;
      assert.equal(step.error?.code, 'UnAuthorizedForCredentialOperations', `${name}: ${JSON.stringify(step)}`);
      assert.equal(step.error?.status, 400);
      assert.match(
        step.error!.message,
        new RegExp(`Cannot perform credential operations for /subscriptions/.*/registries/${REGISTRY} as admin user is disabled`),
      );
    }
  });

  test('with the admin user on, regenerate_credential renews password and keeps password2', () => {
    assert.equal(okResult('enableAdmin'), true);
    assert.deepEqual(okResult('regenerate'), { passwordChanged: true, password2Kept: true });
  });

  test('resource group tags: created with tags, updated (PATCH), read back and listed', () => {
    assert.deepEqual(okResult('groupCreate'), { team: 'python' });
    assert.deepEqual(okResult('groupUpdate'), { team: 'python', cost: 'low' });
    assert.deepEqual(okResult('groupGet'), { team: 'python', cost: 'low' });
    assert.deepEqual(okResult('groupListed'), { team: 'python', cost: 'low' });
  });

  test('deleting a resource group (begin_delete, as az group delete) deletes the registries in it', () => {
    assert.equal(okResult('groupRegistry'), 'pythongroupreg');
    assert.equal(okResult('groupDelete'), null);
    assert.equal(okResult('groupExists'), false);
    assert.equal(results.groupRegistryGone?.error?.status, 404, JSON.stringify(results.groupRegistryGone));
    assert.equal(okResult('groupRegistryNotListed'), false);
  });

  test('ContainerRegistryClient lists repositories and tags and reads manifest properties', () => {
    assert.ok(okResult('repositories').includes(REPOSITORY));
    assert.deepEqual(okResult('tags'), ['v1']);
    assert.deepEqual(okResult('manifest'), { digest: image.manifestDigest, tags: ['v1'] });
  });
});

describe('resource group delete needs Owner or Contributor at the group or above', () => {
  test('a Reader of the group is refused (403 AuthorizationFailed) and nothing is deleted; a Contributor of the group deletes it', async () => {
    const admin = new WharfAdmin(w);
    const group = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/guarded`;
    await admin.ok('PUT', group, { location: 'local' });
    await admin.ok('PUT', `${group}/providers/Microsoft.ContainerRegistry/registries/guardedreg`, { location: 'local', sku: { name: 'Basic' } });
    const reader = await admin.createServicePrincipal('group-reader');
    const contributor = await admin.createServicePrincipal('group-contributor');
    await admin.assignRole(reader.objectId, ROLE.Reader, group);
    await admin.assignRole(contributor.objectId, ROLE.Contributor, group);
    const as = async (sp: { appId: string; secret: string }) =>
      identityToken(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
    const del = async (token: string) => w.request(`${group}?api-version=2021-04-01`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });

    const refused = await del(await as(reader));
    assert.equal(refused.status, 403, refused.text());
    assert.equal(refused.json().error.code, 'AuthorizationFailed');
    assert.equal((await admin.call('GET', `${group}/providers/Microsoft.ContainerRegistry/registries/guardedreg`)).status, 200, 'nothing deleted');

    const deleted = await del(await as(contributor));
    assert.equal(deleted.status, 200, deleted.text());
    assert.equal((await admin.call('GET', group)).status, 404);
    assert.equal((await admin.call('GET', `${group}/providers/Microsoft.ContainerRegistry/registries/guardedreg`)).status, 404);
  });

  test('a group holding a virtual network is refused (409 ResourceGroupNotEmpty) with what is in it, and its registry stays', async () => {
    const admin = new WharfAdmin(w);
    const group = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/withnet`;
    await admin.ok('PUT', group, { location: 'local' });
    await admin.ok('PUT', `${group}/providers/Microsoft.ContainerRegistry/registries/withnetreg`, { location: 'local', sku: { name: 'Basic' } });
    await admin.putVirtualNetwork('keepnet', ['10.20.0.0/16'], [], { resourceGroup: 'withnet' });
    const res = await admin.call('DELETE', group);
    assert.equal(res.status, 409, res.text());
    assert.equal(res.json().error.code, 'ResourceGroupNotEmpty');
    assert.match(res.json().error.message, /keepnet/);
    assert.equal((await admin.call('GET', `${group}/providers/Microsoft.ContainerRegistry/registries/withnetreg`)).status, 200);
  });
});

describe('api-version: the versions clients send are accepted, others refused as ARM does', () => {
  test('every version az 2.45, the JavaScript SDK 12.0.0 and the Python SDKs send is accepted', async () => {
    const admin = new WharfAdmin(w);
    const token = await identityToken(w, admin.owner);
    const sub = `/subscriptions/${admin.owner.subscriptionId}`;
    const rg = `${sub}/resourceGroups/${admin.owner.resourceGroup}`;
    const registry = `${rg}/providers/Microsoft.ContainerRegistry/registries/wharf`;
    const cases: [string, string[]][] = [
      [registry, ['2022-02-01-preview', '2021-08-01-preview', '2021-09-01', '2025-11-01', '2023-07-01', '2019-05-01']],
      [`${registry}/replications`, ['2022-02-01-preview', '2021-09-01', '2025-11-01']],
      [`${registry}/tokens`, ['2020-11-01-preview', '2022-02-01-preview', '2025-11-01']],
      [`${registry}/scopeMaps`, ['2020-11-01-preview', '2022-02-01-preview', '2025-11-01']],
      [`${registry}/providers/Microsoft.Authorization/roleAssignments`, ['2020-04-01-preview', '2022-04-01']],
      [`${sub}/providers/Microsoft.Authorization/roleDefinitions`, ['2018-01-01-preview', '2022-04-01']],
      [sub, ['2019-11-01', '2021-01-01', '2022-12-01']],
      [rg, ['2021-04-01', '2022-09-01']],
      [`${sub}/resources`, ['2021-04-01']],
      [`${sub}/providers/Microsoft.ContainerRegistry`, ['2021-04-01', '2022-09-01']],
    ];
    for (const [path, versions] of cases) {
      for (const version of versions) {
        const res = await w.request(`${path}?api-version=${version}`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, 200, `${path} at ${version}: ${res.text().slice(0, 300)}`);
      }
    }
  });

  test('an unknown version: NoRegisteredProviderFound for a provider type, InvalidApiVersionParameter for ARM itself, localized', async () => {
    const admin = new WharfAdmin(w);
    const token = await identityToken(w, admin.owner);
    const sub = `/subscriptions/${admin.owner.subscriptionId}`;
    const registry = `${sub}/resourceGroups/${admin.owner.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/wharf`;
    const get = (path: string, language?: string) =>
      w.request(path, { headers: { authorization: `Bearer ${token}`, ...(language ? { 'accept-language': language } : {}) } });

    const provider = await get(`${registry}/replications?api-version=2099-01-01`);
    assert.equal(provider.status, 400, provider.text());
    assert.equal(provider.json().error.code, 'NoRegisteredProviderFound');
    assert.match(
      provider.json().error.message,
      /^No registered resource provider found for API version '2099-01-01' for type 'registries\/replications'\. The supported api-versions are '.*2021-09-01.*2025-11-01'\.$/,
    );
    const role = await get(`${registry}/providers/Microsoft.Authorization/roleAssignments?api-version=banana`);
    assert.equal(role.json().error.code, 'NoRegisteredProviderFound');
    assert.match(role.json().error.message, /type 'roleAssignments'/);

    const arm = await get(`${sub}/resourceGroups?api-version=2015-13-45`);
    assert.equal(arm.status, 400);
    assert.equal(arm.json().error.code, 'InvalidApiVersionParameter');
    assert.match(arm.json().error.message, /^The api-version '2015-13-45' is invalid\. The supported versions are '2024-08-01, .*2021-04-01, /);
    const french = await get(`${sub}?api-version=2015-13-45`, 'fr-FR');
    assert.match(french.json().error.message, /^L’api-version '2015-13-45' n’est pas valide\./);
  });
});
