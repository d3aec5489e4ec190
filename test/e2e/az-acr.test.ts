/**
 * The real Azure CLI (azure-cli 2.45) against Wharf's management and data planes, as an ACR user
 * runs it day to day: `az acr list/show/show-endpoints/check-name`, `create` and `update` with
 * each network and access flag, `credential show/renew`, scope maps and tokens (then skopeo
 * pushes with the token's password, docker login's way), `az acr login --expose-token`, and the
 * `az acr repository` commands over what was pushed, and a Reader refused writes.
 *
 * One server whose default registry is `azacr`, so its login server is `localhost:<port>`: az
 * always talks to `https://<loginServer>/v2/`, and `localhost` resolves without a hosts file. (check-health needs a login server without a port: az-acr-health.test.ts.)
 * az is slow (1–3 s a command): the file runs about 40 commands.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AzSandbox, type AzResult } from '../helpers/az.js';
import { ClientSandbox, ok as clientOk } from '../helpers/clients.js';
import { eventually } from '../helpers/eventually.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { freePort, startWharf, type WharfServer } from '../helpers/wharf-server.js';

const REGISTRY = 'azacr';
const CREATED = 'azcreated';
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

function output(r: AzResult): string {
  return `${r.command} → ${r.code}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;
}

describe('azure-cli 2.45 against Wharf: registries, credentials, tokens, scope maps, repositories', () => {
  let server: WharfServer;
  let admin: WharfAdmin;
  let az: AzSandbox;
  let clients: ClientSandbox;
  let loginServer: string;
  let rg: string;
  /** Passwords of the tokens made with az, by token name. */
  const passwords = new Map<string, string>();

  /** What the registry's token server answers `user:password` for one scope, as docker login asks. */
  async function basicToken(user: string, password: string, scope: string): Promise<{ status: number; actions: string[] }> {
    const res = await server.request(`/oauth2/token?service=${encodeURIComponent(loginServer)}&scope=${encodeURIComponent(scope)}`, {
      headers: { host: loginServer, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    });
    if (res.status !== 200) return { status: res.status, actions: [] };
    const claims = JSON.parse(Buffer.from(res.json<{ access_token: string }>().access_token.split('.')[1]!, 'base64url').toString('utf8'));
    return { status: 200, actions: (claims.access ?? []).flatMap((a: { actions: string[] }) => a.actions).sort() };
  }

  async function push(user: string, tag: string): Promise<void> {
    const image = buildImageLayout();
    clientOk(
      await clients.skopeo([
        'copy',
        '--dest-tls-verify=true',
        '--dest-cert-dir',
        server.caDir!,
        '--dest-creds',
        `${user}:${passwords.get(user)}`,
        image.ref,
        `docker://${loginServer}/demo/hello:${tag}`,
      ]),
    );
  }

  before(async () => {
    const port = await freePort();
    loginServer = `localhost:${port}`;
    server = await startWharf({ secure: true, port, config: { defaultRegistry: REGISTRY } });
    admin = new WharfAdmin(server, REGISTRY);
    rg = admin.owner.resourceGroup;
    clients = new ClientSandbox();
    const owner = admin.owner;
    ({ az } = await AzSandbox.signedIn(
      { origin: `https://localhost:${port}`, domain: 'localhost', caFile: server.caFile! },
      { appId: owner.clientId, secret: owner.clientSecret, tenantId: owner.tenantId },
    ));
  });

  after(async () => {
    await server?.stop();
    if (az) process.stdout.write(`# az commands run (${az.history.length}):\n${az.history.map((c) => `#   ${c}`).join('\n')}\n`);
  });

  it('az acr list / show / show-endpoints / check-name', async () => {
    const list = await az.ok(['acr', 'list']);
    assert.deepEqual(list.json.map((r: { name: string }) => r.name).sort(), [REGISTRY], output(list));

    const shown = await az.ok(['acr', 'show', '-n', REGISTRY]);
    assert.equal(shown.json.loginServer, loginServer, output(shown));
    assert.equal(shown.json.resourceGroup, rg, output(shown));
    assert.equal(shown.json.provisioningState, 'Succeeded', output(shown));

    // Without dedicated data endpoints az names the cloud's storage suffix, which az-setup sets.
    const endpoints = await az.ok(['acr', 'show-endpoints', '-n', REGISTRY]);
    assert.deepEqual(endpoints.json, { loginServer, dataEndpoints: [{ region: 'local', endpoint: '*.blob.localhost' }] }, output(endpoints));

    const taken = await az.ok(['acr', 'check-name', '-n', REGISTRY]);
    assert.deepEqual(taken.json, { nameAvailable: false, reason: 'AlreadyExists', message: `The registry ${REGISTRY} is already in use.` }, output(taken));
    const free = await az.ok(['acr', 'check-name', '-n', CREATED]);
    assert.equal(free.json.nameAvailable, true, output(free));
  });

  it('az acr create and update: admin user, trusted services, anonymous pull, data endpoints, default action, public access; credential show / renew', async () => {
    const created = await az.ok([
      'acr',
      'create',
      '-n',
      CREATED,
      '-g',
      rg,
      '--sku',
      'Premium',
      '--admin-enabled',
      'true',
      '--allow-trusted-services',
      'false',
      '--default-action',
      'Allow',
      '--public-network-enabled',
      'true',
    ]);
    assert.equal(created.json.loginServer, `${CREATED}.localhost:${server.port}`, output(created));
    assert.equal(created.json.adminUserEnabled, true, output(created));
    assert.equal(created.json.networkRuleBypassOptions, 'None', output(created));
    assert.equal(created.json.publicNetworkAccess, 'Enabled', output(created));
    assert.equal(created.json.sku.name, 'Premium', output(created));

    const credentials = await az.ok(['acr', 'credential', 'show', '-n', CREATED]);
    assert.equal(credentials.json.username, CREATED, output(credentials));
    const before = new Map(credentials.json.passwords.map((p: { name: string; value: string }) => [p.name, p.value]));
    assert.deepEqual([...before.keys()], ['password', 'password2']);
    const renewed = await az.ok(['acr', 'credential', 'renew', '-n', CREATED, '--password-name', 'password2']);
    const after = new Map(renewed.json.passwords.map((p: { name: string; value: string }) => [p.name, p.value]));
    assert.equal(after.get('password'), before.get('password'), output(renewed));
    assert.notEqual(after.get('password2'), before.get('password2'), output(renewed));

    const updated = await az.ok([
      'acr',
      'update',
      '-n',
      CREATED,
      '--anonymous-pull-enabled',
      'true',
      '--data-endpoint-enabled',
      'true',
      '--allow-trusted-services',
      'true',
      '--admin-enabled',
      'false',
    ]);
    assert.equal(updated.json.anonymousPullEnabled, true, output(updated));
    assert.equal(updated.json.dataEndpointEnabled, true, output(updated));
    assert.deepEqual(updated.json.dataEndpointHostNames, [`${CREATED}.local.data.localhost`], output(updated));
    assert.equal(updated.json.networkRuleBypassOptions, 'AzureServices', output(updated));
    assert.equal(updated.json.adminUserEnabled, false, output(updated));

    // The network guide's order: allow your own address, then deny the rest. az sends only
    // {"defaultAction": "Deny"}: the rule added before must survive it.
    await az.ok(['acr', 'network-rule', 'add', '-n', CREATED, '--ip-address', '127.0.0.1']);
    const denied = await az.ok(['acr', 'update', '-n', CREATED, '--default-action', 'Deny']);
    assert.deepEqual(
      denied.json.networkRuleSet,
      { defaultAction: 'Deny', ipRules: [{ action: 'Allow', ipAddressOrRange: '127.0.0.1' }], virtualNetworkRules: [] },
      output(denied),
    );

    // Public access off would shut out this very client: refused, nothing saved.
    const closed = await az.run(['acr', 'update', '-n', CREATED, '--public-network-enabled', 'false']);
    assert.notEqual(closed.code, 0, output(closed));
    assert.match(
      closed.stderr,
      /\(NetworkAccessLockout\) The new network settings of registry 'azcreated' would deny your own address '127\.0\.0\.1'/,
      output(closed),
    );
    const saved = await admin.ok('GET', admin.registryId.replace(/[^/]+$/, CREATED));
    assert.equal(saved.properties.publicNetworkAccess, 'Enabled');
    assert.equal(saved.properties.networkRuleSet.defaultAction, 'Deny');

    const reopened = await az.ok(['acr', 'update', '-n', CREATED, '--public-network-enabled', 'true', '--default-action', 'Allow']);
    assert.equal(reopened.json.networkRuleSet.defaultAction, 'Allow', output(reopened));
    assert.deepEqual(reopened.json.networkRuleSet.ipRules, [{ action: 'Allow', ipAddressOrRange: '127.0.0.1' }], output(reopened));
  });

  it('az acr scope-map create / list, token create / list / update / credential generate; the passwords log in docker-style', async () => {
    const map = await az.ok([
      'acr',
      'scope-map',
      'create',
      '-n',
      'pushmap',
      '-r',
      REGISTRY,
      '--repository',
      'demo/hello',
      'content/read',
      'content/write',
      'metadata/read',
      'content/delete',
      '--description',
      'push demo/hello',
    ]);
    assert.deepEqual(
      map.json.actions,
      [
        'repositories/demo/hello/content/read',
        'repositories/demo/hello/content/write',
        'repositories/demo/hello/metadata/read',
        'repositories/demo/hello/content/delete',
      ],
      output(map),
    );
    const maps = await az.ok(['acr', 'scope-map', 'list', '-r', REGISTRY]);
    assert.ok(
      maps.json.some((m: { name: string; type?: string }) => m.name === 'pushmap'),
      output(maps),
    );
    assert.ok(
      maps.json.some((m: { name: string }) => m.name === '_repositories_pull'),
      output(maps),
    );

    const pusher = await az.ok(['acr', 'token', 'create', '-n', 'pusher', '-r', REGISTRY, '--scope-map', 'pushmap']);
    assert.equal(pusher.json.credentials.username, 'pusher', output(pusher));
    assert.deepEqual(
      pusher.json.credentials.passwords.map((p: { name: string }) => p.name),
      ['password1', 'password2'],
      output(pusher),
    );
    passwords.set('pusher', pusher.json.credentials.passwords[0].value);
    assert.match(pusher.stderr, new RegExp(`docker login ${loginServer} -u pusher -p `), output(pusher));

    // --repository makes the scope map itself (puller-scope-map); --no-passwords skips generateCredentials.
    const puller = await az.ok(['acr', 'token', 'create', '-n', 'puller', '-r', REGISTRY, '--repository', 'demo/hello', 'content/read', '--no-passwords']);
    assert.deepEqual(puller.json.credentials, { certificates: [], passwords: [] }, output(puller));
    assert.match(puller.json.scopeMapId, /\/scopeMaps\/puller-scope-map$/, output(puller));
    const tokens = await az.ok(['acr', 'token', 'list', '-r', REGISTRY]);
    assert.deepEqual(tokens.json.map((t: { name: string }) => t.name).sort(), ['puller', 'pusher'], output(tokens));

    const generated = await az.ok(['acr', 'token', 'credential', 'generate', '-n', 'puller', '-r', REGISTRY, '--password1', '--expiration-in-days', '30']);
    assert.equal(generated.json.username, 'puller', output(generated));
    const [password1] = generated.json.passwords;
    assert.equal(password1.name, 'password1', output(generated));
    const days = (Date.parse(password1.expiry) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, output(generated));
    passwords.set('puller', password1.value);

    // skopeo pushes with the token's password, then docker login's token request for the puller.
    await push('pusher', 'v1');
    await push('pusher', 'v2');
    assert.deepEqual(await basicToken('puller', password1.value, 'repository:demo/hello:pull,push'), { status: 200, actions: ['pull'] });

    const disabled = await az.ok(['acr', 'token', 'update', '-n', 'puller', '-r', REGISTRY, '--status', 'disabled']);
    assert.equal(disabled.json.status, 'disabled', output(disabled));
    await eventually(async () => assert.equal((await basicToken('puller', password1.value, 'repository:demo/hello:pull')).status, 401));
  });

  it('az acr login --expose-token, then az acr repository list / show-tags / show-manifests / untag / delete', async () => {
    const login = await az.ok(['acr', 'login', '-n', REGISTRY, '--expose-token']);
    assert.equal(login.json.loginServer, loginServer, output(login));
    assert.match(login.json.accessToken, JWT, output(login));

    const repositories = await az.ok(['acr', 'repository', 'list', '-n', REGISTRY]);
    assert.deepEqual(repositories.json, ['demo/hello'], output(repositories));
    const tags = await az.ok(['acr', 'repository', 'show-tags', '-n', REGISTRY, '--repository', 'demo/hello']);
    assert.deepEqual(tags.json, ['v1', 'v2'], output(tags));
    const manifests = await az.ok(['acr', 'repository', 'show-manifests', '-n', REGISTRY, '--repository', 'demo/hello']);
    assert.equal(manifests.json.length, 2, output(manifests));
    assert.deepEqual(
      manifests.json
        .map((m: { tags: string[] }) => m.tags)
        .flat()
        .sort(),
      ['v1', 'v2'],
      output(manifests),
    );
    const v2 = manifests.json.find((m: { tags: string[] }) => m.tags.includes('v2')).digest;

    await az.ok(['acr', 'repository', 'untag', '-n', REGISTRY, '--image', 'demo/hello:v2']);
    const untagged = await az.ok(['acr', 'repository', 'show-tags', '-n', REGISTRY, '--repository', 'demo/hello']);
    assert.deepEqual(untagged.json, ['v1'], output(untagged));

    // The untagged manifest stays until deleted by digest.
    await az.ok(['acr', 'repository', 'delete', '-n', REGISTRY, '--image', `demo/hello@${v2}`, '--yes']);
    const left = await az.ok(['acr', 'repository', 'show-manifests', '-n', REGISTRY, '--repository', 'demo/hello']);
    assert.deepEqual(
      left.json.map((m: { tags: string[] }) => m.tags),
      [['v1']],
      output(left),
    );

    await az.ok(['acr', 'repository', 'delete', '-n', REGISTRY, '--repository', 'demo/hello', '--yes']);
    const none = await az.ok(['acr', 'repository', 'list', '-n', REGISTRY]);
    assert.deepEqual(none.json, [], output(none));
  });

  it('a Reader signed in to az reads the registry but az acr update and scope-map create get AuthorizationFailed', async () => {
    const reader = await admin.createServicePrincipal('az-reader');
    await admin.assignRole(reader.objectId, ROLE.Reader);
    const { az: readerAz, subscriptions } = await AzSandbox.signedIn(az.cloud, { appId: reader.appId, secret: reader.secret, tenantId: admin.owner.tenantId });
    try {
      assert.deepEqual(
        subscriptions.map((s) => s.id),
        [admin.owner.subscriptionId],
      );
      const shown = await readerAz.ok(['acr', 'show', '-n', REGISTRY, '--query', 'loginServer', '-o', 'tsv']);
      assert.equal(shown.stdout.trim(), loginServer, output(shown));

      const update = await readerAz.run(['acr', 'update', '-n', REGISTRY, '--admin-enabled', 'true']);
      assert.notEqual(update.code, 0, output(update));
      assert.match(
        update.stderr,
        new RegExp(
          `\\(AuthorizationFailed\\) The client '${reader.appId}' with object id '${reader.objectId}' does not have authorization to perform action 'Microsoft\\.ContainerRegistry/registries/write'`,
        ),
        output(update),
      );
      const map = await readerAz.run(['acr', 'scope-map', 'create', '-n', 'readermap', '-r', REGISTRY, '--repository', 'demo/hello', 'content/read']);
      assert.notEqual(map.code, 0, output(map));
      assert.match(map.stderr, /\(AuthorizationFailed\).*'Microsoft\.ContainerRegistry\/registries\/scopeMaps\/write'/, output(map));
      const maps = await readerAz.ok(['acr', 'scope-map', 'list', '-r', REGISTRY, '--query', '[].name', '-o', 'tsv']);
      assert.ok(!maps.stdout.split('\n').includes('readermap'), output(maps));
      assert.equal((await admin.ok('GET', admin.registryId)).properties.adminUserEnabled, false);
    } finally {
      az.history.push(...readerAz.history.map((c) => `${c}   (as Reader)`));
    }
  });
});
