/**
 * `wharf diagnose` through the wire: real requests from loopback aliases (127.0.0.2) refused by
 * the firewall, public access disabled, a service principal without a role, a token whose scope
 * map lacks the repository, a disabled token and an expired token password, and an allowed
 * request; each diagnosed by its correlation id (the x-ms-correlation-request-id of the
 * response) or by its parameters, with the `wharf` CLI as a child process, asserting the code,
 * the deciding rule and the exact fix command — in French (--lang fr) and Swedish (LANG) too —
 * and that running the printed fix changes the outcome. The diagnose endpoint itself needs a
 * role on the registry (ARM's 403 AuthorizationFailed).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { eventually } from '../helpers/eventually.js';
import { request, type HttpResponse } from '../helpers/http.js';
import { tempDir } from '../helpers/tmp.js';
import { API_VERSION, identityToken, ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const REGISTRY = 'wharf';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function describeRun(args: string[], result: CliResult): string {
  return `wharf ${args.join(' ')} → exit ${result.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('wharf diagnose', () => {
  let w: WharfServer;
  let admin: WharfAdmin;
  let home: string;
  const agents: Agent[] = [];

  function agentFrom(localAddress: string): Agent {
    const agent = new Agent({ localAddress, connect: { ca: readFileSync(w.caFile!, 'utf8') }, keepAliveTimeout: 500 });
    agents.push(agent);
    return agent;
  }

  /** A data-plane request from `from`; returns the response and its correlation id. */
  async function pull(from: string, path: string, authorization?: string): Promise<{ res: HttpResponse; id: string }> {
    const res = await request(`${w.baseUrl}${path}`, { dispatcher: agentFrom(from), ...(authorization ? { headers: { authorization } } : {}) });
    const id = res.headers['x-ms-correlation-request-id'] ?? '';
    assert.ok(id, `no correlation id on ${path}`);
    return { res, id };
  }

  async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return runWharfCli(home, args, { env: { LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '', LANG: 'C.UTF-8', ...env } });
  }

  /** Runs diagnose, waiting for the audit event to land; expects exit `code`. */
  async function diagnose(args: string[], code: number, env: Record<string, string> = {}): Promise<CliResult> {
    return eventually(async () => {
      const result = await cli(args, env);
      assert.equal(result.code, code, describeRun(args, result));
      return result;
    });
  }

  async function diagnoseJson(args: string[], code: number): Promise<any> {
    const result = await diagnose([...args, '-o', 'json'], code);
    return JSON.parse(result.stdout);
  }

  async function ok(args: string[]): Promise<CliResult> {
    const result = await cli(args);
    assert.equal(result.code, 0, describeRun(args, result));
    return result;
  }

  before(async () => {
    // Private endpoints may listen on loopback addresses (the test's "subnet" is 127.0.9.0/24).
    w = await startWharf({ secure: true, env: { WHARF_PRIVATE_ENDPOINT_RANGES: '127.0.0.0/8' } });
    admin = new WharfAdmin(w, REGISTRY);
    await admin.ok('PATCH', admin.registryId, { sku: { name: 'Premium' } });
    home = tempDir('wharf-home-diagnose');
    await ok(['login', '--data', w.dataDir, '--server', w.baseUrl]);
  });

  after(async () => {
    for (const agent of agents) await agent.close().catch(() => {});
    await w?.stop();
  });

  it('a pull the firewall refused, by correlation id: NETWORK_DENIED, rule defaultAction:Deny, the network-rule command; after it, allowed', async () => {
    await admin.patchNetwork(
      { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.1' }] }, networkRuleBypassOptions: 'None' },
      { force: true },
    );
    const { res, id } = await eventually(async () => {
      const attempt = await pull('127.0.0.2', '/v2/hello/manifests/latest');
      assert.equal(attempt.res.status, 403, attempt.res.text());
      return attempt;
    });
    assert.equal(res.json().errors[0].code, 'DENIED');

    const text = await diagnose(['diagnose', id, '-n', REGISTRY], 1);
    const out = text.stdout;
    assert.match(out, new RegExp(`^Recorded at .* \\(correlation id ${escape(id)}\\): Network, Failed \\(403\\)`, 'm'));
    assert.match(out, /^An error occurred: NETWORK_DENIED$/m);
    assert.match(out, /^The network gate of registry wharf refuses 127\.0\.0\.2 \(rule defaultAction:Deny\)$/m);
    assert.match(
      out,
      /Cause: The default action of the firewall rules of registry wharf is Deny and no IP rule or virtual network rule matches 127\.0\.0\.2\./,
    );
    assert.match(
      out,
      /Fix: allow the address with an IP rule: wharf network-rule add -n wharf --ip-address 127\.0\.0\.2 \(az: az acr network-rule add -n wharf --ip-address 127\.0\.0\.2\)/,
    );
    assert.match(out, /^Authentication: not evaluated, the audit record names no identity/m);
    assert.match(out, /^Authorization: not evaluated, who made the request is not known$/m);
    assert.match(
      out,
      /^Request replayed: from 127\.0\.0\.2 through the public endpoint as an unrecorded identity \(the audit record names no repository and action\)$/m,
    );
    assert.match(out, /^Outcome now: NETWORK_DENIED \(decided by the network gate, rule defaultAction:Deny\)$/m);
    assert.match(out, /^Same outcome as when the request was recorded\.$/m);

    // The same in French, by --lang.
    const fr = (await diagnose(['--lang', 'fr', 'diagnose', id, '-n', REGISTRY], 1)).stdout;
    assert.match(fr, /^Une erreur s’est produite : NETWORK_DENIED$/m);
    assert.match(fr, /^La passerelle réseau du registre wharf refuse 127\.0\.0\.2 \(règle defaultAction:Deny\)$/m);
    assert.match(
      fr,
      /Cause : L’action par défaut des règles de pare-feu du registre wharf est Deny et aucune règle IP ni règle de réseau virtuel ne correspond à 127\.0\.0\.2\./,
    );
    assert.match(
      fr,
      /Solution : autorisez l’adresse par une règle IP : wharf network-rule add -n wharf --ip-address 127\.0\.0\.2 \(az : az acr network-rule add -n wharf --ip-address 127\.0\.0\.2\)/,
    );

    // The structured answer, as --output json prints the report.
    const report = await diagnoseJson(['diagnose', id, '-n', REGISTRY], 1);
    assert.equal(report.command, 'diagnose');
    assert.equal(report.ok, false);
    const network = report.findings.find((f: { check: string }) => f.check === 'network');
    assert.equal(network.code, 'NETWORK_DENIED');
    assert.equal(network.details.rule, 'defaultAction:Deny');
    assert.deepEqual(network.details.fix, { kind: 'addIpRule', params: { registry: REGISTRY, ipAddress: '127.0.0.2' } });

    // Run the fix it printed: the recorded request would now pass the network gate.
    await ok(['network-rule', 'add', '-n', REGISTRY, '--ip-address', '127.0.0.2']);
    const now = (await diagnose(['diagnose', id, '-n', REGISTRY], 0)).stdout;
    assert.match(now, /^Network gate: 127\.0\.0\.2 through the public endpoint \(rule ipRule:127\.0\.0\.2\) : OK$/m);
    assert.match(now, /^The outcome has changed since the request was recorded\.$/m);
    assert.equal((await pull('127.0.0.2', '/v2/')).res.status, 401);
  });

  it('public network access disabled, by parameters, in Swedish from LANG: the update command', async () => {
    await admin.patchNetwork({ publicNetworkAccess: 'Disabled' }, { force: true });
    try {
      const args = ['diagnose', '-n', REGISTRY, '--ip', '127.0.0.2', '--repository', 'hello', '--action', 'pull'];
      const en = (await diagnose(args, 1)).stdout;
      assert.match(en, /^An error occurred: NETWORK_DENIED$/m);
      assert.match(en, /\(rule publicNetworkAccess:Disabled\)$/m);
      assert.match(
        en,
        /Fix: enable public network access: wharf update -n wharf --public-network-enabled true \(az: az acr update -n wharf --public-network-enabled true\)/,
      );
      const sv = (await diagnose(args, 1, { LANG: 'sv_SE.UTF-8' })).stdout;
      assert.match(sv, /^Ett fel uppstod: NETWORK_DENIED$/m);
      assert.match(sv, /^Nätverksgrinden för registret wharf nekar 127\.0\.0\.2 \(regel publicNetworkAccess:Disabled\)$/m);
      assert.match(sv, /Orsak: Offentlig nätverksåtkomst till registret wharf är inaktiverad: bara dess privata slutpunkter släpper igenom trafik\./);
      assert.match(
        sv,
        /Lösning: aktivera offentlig nätverksåtkomst: wharf update -n wharf --public-network-enabled true \(az: az acr update -n wharf --public-network-enabled true\)/,
      );
      assert.match(sv, /^Utfallet nu: NETWORK_DENIED \(avgjort av nätverksgrinden, regel publicNetworkAccess:Disabled\)$/m);
    } finally {
      await admin.patchNetwork({ publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow', ipRules: [] } }, { force: true });
    }
  });

  it('a service principal without a role, by correlation id: AUTHORIZATION_DENIED and the role assignment; after it, allowed', async () => {
    const sp = await admin.createServicePrincipal('no-role');
    const { res, id } = await eventually(async () => {
      const attempt = await pull('127.0.0.2', '/v2/hello/manifests/latest', basic(sp.appId, sp.secret));
      assert.equal(attempt.res.status, 403, attempt.res.text());
      return attempt;
    });
    assert.equal(res.json().errors[0].code, 'DENIED');

    const out = (await diagnose(['diagnose', id, '-n', REGISTRY], 1)).stdout;
    assert.match(out, /Pull, Failed \(403\), identity /);
    assert.match(out, new RegExp(`^Authentication: ${escape(sp.appId)} \\(rule servicePrincipal:secretValid\\) : OK$`, 'm'));
    assert.match(out, /^An error occurred: AUTHORIZATION_DENIED$/m);
    assert.match(out, new RegExp(`^${escape(sp.appId)} may not pull on repository hello \\(rule noGrant\\)$`, 'm'));
    assert.match(out, new RegExp(`Cause: ${escape(sp.appId)} has no role and no scope map on registry wharf\\.`));
    const wharfFix = `wharf role assignment create --assignee ${sp.appId} --role AcrPull -r wharf`;
    const azFix = `az role assignment create --assignee ${sp.appId} --role AcrPull --scope ${admin.registryId}`;
    assert.ok(out.includes(`Fix: assign a role that allows it: ${wharfFix} (az: ${azFix})`), out);

    const fr = (await diagnose(['--lang', 'fr', 'diagnose', id, '-n', REGISTRY], 1)).stdout;
    assert.match(fr, /^Une erreur s’est produite : AUTHORIZATION_DENIED$/m);
    assert.ok(fr.includes(`Solution : attribuez un rôle qui le permet : ${wharfFix} (az : ${azFix})`), fr);

    await ok(wharfFix.split(' ').slice(1));
    // Grants are cached for a few seconds on the request path, and so in its replay.
    const now = (await diagnose(['diagnose', id, '-n', REGISTRY], 0)).stdout;
    assert.match(now, /^Authorization: pull on repository hello \(granted by role AcrPull at the registry\) : OK$/m);
    assert.match(now, /^Outcome now: allowed \(decided by authorization, rule role AcrPull at the registry\)$/m);
    assert.match(now, /^The outcome has changed since the request was recorded\.$/m);
    await eventually(async () => {
      const again = await pull('127.0.0.2', '/v2/hello/manifests/latest', basic(sp.appId, sp.secret));
      assert.equal(again.res.status, 404, again.res.text());
    });
  });

  it('a token whose scope map lacks the repository, then the same token disabled: the scope-map and token commands', async () => {
    await admin.createToken('ci-bot', ['repositories/other/content/read']);
    const args = ['diagnose', '-n', REGISTRY, '--ip', '127.0.0.1', '--identity', 'ci-bot', '--repository', 'hello', '--action', 'pull'];
    const out = (await diagnose(args, 1)).stdout;
    assert.match(out, /^Authentication: ci-bot \(rule token:enabled\) : OK$/m);
    assert.match(out, /^An error occurred: AUTHORIZATION_DENIED$/m);
    assert.match(out, /Cause: None of the grants of ci-bot \(scope map ci-bot-scope-map\) allows pull on repository hello\./);
    assert.match(
      out,
      /Fix: add the repository to the token's scope map: wharf scope-map update -n ci-bot-scope-map -r wharf --add-repository hello content\/read \(az: az acr scope-map update -n ci-bot-scope-map -r wharf --add-repository hello content\/read\)/,
    );

    // The printed fix works: run it, and the grant is there.
    await ok(['scope-map', 'update', '-n', 'ci-bot-scope-map', '-r', 'wharf', '--add-repository', 'hello', 'content/read']);
    const extended = (await diagnose(args, 0)).stdout;
    assert.match(extended, /^Authorization: pull on repository hello \(granted by scope map ci-bot-scope-map\) : OK$/m);

    await admin.setTokenStatus('ci-bot', 'disabled');
    const disabled = (await diagnose(args, 1)).stdout;
    assert.match(disabled, /^An error occurred: AUTHENTICATION_FAILED$/m);
    assert.match(disabled, /^Authentication fails for ci-bot \(rule token:disabled\)$/m);
    assert.match(disabled, /Cause: The token ci-bot is disabled\./);
    assert.match(
      disabled,
      /Fix: enable the token: wharf token update -n ci-bot -r wharf --status enabled \(az: az acr token update -n ci-bot -r wharf --status enabled\)/,
    );
    assert.match(disabled, /^Authorization: not evaluated, authentication does not pass$/m);
    const sv = (await diagnose(args, 1, { LANG: 'sv_SE.UTF-8' })).stdout;
    assert.match(sv, /^Ett fel uppstod: AUTHENTICATION_FAILED$/m);
    assert.match(sv, /Orsak: Token ci-bot är inaktiverad\./);
    assert.match(sv, /Lösning: aktivera token: wharf token update -n ci-bot -r wharf --status enabled/);
    await ok(['token', 'update', '-n', 'ci-bot', '-r', 'wharf', '--status', 'enabled']);
    assert.match((await diagnose(args, 0)).stdout, /^Outcome now: allowed/m);
  });

  it('an expired token password, by correlation id of the refused login: the credential generate command', async () => {
    const password = await admin.createToken('shortlived', ['repositories/hello/content/read'], new Date(Date.now() + 1500).toISOString());
    await sleep(1600);
    const { res, id } = await pull('127.0.0.2', '/v2/hello/manifests/latest', basic('shortlived', password));
    assert.equal(res.status, 401, res.text());
    const out = (await diagnose(['diagnose', id, '-n', REGISTRY], 1)).stdout;
    assert.match(out, /Login, Failed \(401\), identity shortlived/);
    assert.match(out, /^An error occurred: AUTHENTICATION_FAILED$/m);
    assert.match(out, /\(rule token:passwordExpired\)$/m);
    assert.match(out, /Cause: Every password of the token shortlived has expired\./);
    assert.match(
      out,
      /Fix: generate a new password for the token: wharf token credential generate -n shortlived -r wharf --password1 \(az: az acr token credential generate -n shortlived -r wharf --password1\)/,
    );

    // A wrong password is not replayable (it is not kept): the recorded refusal stands, never "changed".
    const wrong = await pull('127.0.0.2', '/v2/hello/manifests/latest', basic('shortlived', 'not-the-password'));
    assert.equal(wrong.res.status, 401);
    await ok(['token', 'credential', 'generate', '-n', 'shortlived', '-r', 'wharf', '--password1']);
    const replay = (await diagnose(['diagnose', wrong.id, '-n', REGISTRY], 1)).stdout;
    assert.match(replay, /^Reason recorded then: wrong password for the token 'shortlived'/m);
    assert.match(replay, /^Authentication failed for shortlived when recorded \(rule credential:wrongPassword; not replayed\)$/m);
    assert.match(replay, /Cause: The password given for the token shortlived matched neither of its passwords\./);
    assert.match(replay, /^Outcome recorded: AUTHENTICATION_FAILED \(decided by authentication, rule credential:wrongPassword\); it is not replayed$/m);
    assert.match(replay, /^This refusal cannot be replayed: the audit log keeps no password, secret or token/m);
    assert.doesNotMatch(replay, /Outcome now|The outcome has changed/);
    const fr = (await diagnose(['--lang', 'fr', 'diagnose', wrong.id, '-n', REGISTRY], 1)).stdout;
    assert.match(fr, /Cause : Le mot de passe fourni pour le jeton shortlived ne correspondait à aucun de ses deux mots de passe\./);
    assert.match(fr, /^Ce refus ne peut pas être rejoué/m);
  });

  it("a trusted service's managed identity passes the firewall (bypass AzureServices); another identity does not", async () => {
    const identityPath = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/${admin.owner.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;
    const trusted = await admin.ok<{ properties: { clientId: string; principalId: string } }>('PUT', `${identityPath}/diag-tasks`, { location: 'local' });
    const stranger = await admin.ok<{ properties: { clientId: string; principalId: string } }>('PUT', `${identityPath}/diag-other`, { location: 'local' });
    await admin.assignRole(trusted.properties.principalId, ROLE.AcrPull);
    await admin.ok('PUT', `/subscriptions/${admin.owner.subscriptionId}/providers/Wharf.Network/trustedServices/diag-tasks`, {
      properties: { principalId: trusted.properties.principalId, serviceType: 'Tasks' },
    });
    await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Deny', ipRules: [] }, networkRuleBypassOptions: 'AzureServices' }, { force: true });
    try {
      const args = (identity: string) => ['diagnose', '-n', REGISTRY, '--ip', '127.0.0.2', '--identity', identity, '--repository', 'hello', '--action', 'pull'];
      const passes = (await diagnose(args(trusted.properties.clientId), 0)).stdout;
      assert.match(passes, /^Network gate: 127\.0\.0\.2 through the public endpoint \(rule trustedService:diag-tasks\) : OK$/m);
      assert.match(passes, /^Authentication: .* \(rule managedIdentity:exists\) : OK$/m);
      assert.match(passes, /^Outcome now: allowed/m);
      const refused = (await diagnose(args(stranger.properties.clientId), 1)).stdout;
      assert.match(refused, /^The network gate of registry wharf refuses 127\.0\.0\.2 \(rule defaultAction:Deny\)$/m);
    } finally {
      await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [] } }, { force: true });
    }
  });

  it('a request at a private endpoint whose connection is Pending, by correlation id: the recorded listener is replayed; approving it allows', async () => {
    const group = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/${admin.owner.resourceGroup}`;
    const vnetId = await admin.putVirtualNetwork('diag-net', ['127.0.9.0/24'], [{ name: 'endpoints', addressPrefix: '127.0.9.0/24' }]);
    const endpointPath = `${group}/providers/Microsoft.Network/privateEndpoints/pe-pending`;
    await admin.ok('PUT', endpointPath, admin.privateEndpointBody(`${vnetId}/subnets/endpoints`, { manual: true }));
    const endpoint = await admin.ok<{ properties: { customDnsConfigs: { ipAddresses: string[] }[] } }>('GET', endpointPath);
    const address = endpoint.properties.customDnsConfigs[0]!.ipAddresses[0]!;
    const connections = (
      await admin.ok<{ value: { name: string; properties: { privateEndpoint: { id: string } } }[] }>('GET', `${admin.registryId}/privateEndpointConnections`)
    ).value;
    const connection = connections.find((c) => /\/pe-pending$/i.test(c.properties.privateEndpoint.id))!.name;

    const dispatcher = agentFrom('127.0.0.1');
    // The listener opens within a reconcile, with a certificate naming its address.
    const res = await eventually(() => request(`https://${address}:${w.port}/v2/hello/manifests/latest`, { dispatcher }), 15_000);
    assert.equal(res.status, 403, res.text());
    const id = res.headers['x-ms-correlation-request-id']!;

    const out = (await diagnose(['diagnose', id, '-n', REGISTRY], 1)).stdout;
    assert.match(out, /^An error occurred: NETWORK_DENIED$/m);
    assert.match(out, new RegExp(`^Request replayed: from 127\\.0\\.0\\.1 through ${escape(address)}:${w.port} as`, 'm'));
    assert.match(out, /\(rule privateEndpoint:pe-pending\)$/m);
    assert.match(out, /Cause: The connection of private endpoint pe-pending to registry wharf is not approved\./);
    const fix = `wharf private-endpoint-connection approve -r wharf -n ${connection}`;
    assert.ok(
      out.includes(`Fix: approve the private endpoint connection: ${fix} (az: az acr private-endpoint-connection approve -r wharf -n ${connection})`),
      out,
    );
    const pl = (await diagnose(['--lang', 'pl', 'diagnose', id, '-n', REGISTRY], 1)).stdout;
    assert.match(pl, /^Wystąpił błąd: NETWORK_DENIED$/m);
    assert.match(pl, /Przyczyna: Połączenie prywatnego punktu końcowego pe-pending z rejestrem wharf nie jest zatwierdzone\./);

    await ok(fix.split(' ').slice(1));
    const now = (await diagnose(['diagnose', id, '-n', REGISTRY], 0)).stdout;
    assert.match(now, /^Network gate: 127\.0\.0\.1 through .* \(rule privateEndpoint:pe-pending\) : OK$/m);
    assert.match(now, /^The outcome has changed since the request was recorded\.$/m);
  });

  it('a service principal whose secret expired, an unknown identity, an anonymous pull: reset, check the name, anonymous pull', async () => {
    const sp = await admin.createServicePrincipal('expiring', new Date(Date.now() + 1500).toISOString());
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    await sleep(1600);
    const args = (identity?: string) => [
      'diagnose',
      '-n',
      REGISTRY,
      '--ip',
      '127.0.0.1',
      ...(identity ? ['--identity', identity] : []),
      '--repository',
      'hello',
      '--action',
      'pull',
    ];
    const expired = (await diagnose(args(sp.appId), 1)).stdout;
    assert.match(expired, /^An error occurred: AUTHENTICATION_FAILED$/m);
    assert.match(expired, /\(rule servicePrincipal:secretExpired\)$/m);
    assert.ok(expired.includes(`Cause: Every client secret of the service principal ${sp.appId} has expired.`), expired);
    assert.ok(expired.includes(`wharf sp credential reset --id ${sp.appId} (az: az ad sp credential reset --id ${sp.appId})`), expired);
    await ok(['sp', 'credential', 'reset', '--id', sp.appId]);
    assert.match((await diagnose(args(sp.appId), 0)).stdout, /\(rule servicePrincipal:secretValid\) : OK$/m);

    const unknown = (await diagnose(args('nobody-here'), 1)).stdout;
    assert.match(unknown, /\(rule identity:unknown\)$/m);
    assert.match(unknown, /Fix: check the name; the registry knows these: wharf token list -r wharf; wharf sp list/);

    const anonymous = (await diagnose(args(), 1)).stdout;
    assert.match(anonymous, /^Authentication: anonymous \(rule anonymous\) : OK$/m);
    assert.match(anonymous, /^An error occurred: AUTHORIZATION_DENIED$/m);
    assert.match(anonymous, /Cause: The request has no credentials, and anonymous clients of registry wharf may at most pull/);
    assert.match(
      anonymous,
      /Fix: enable anonymous pull: wharf update -n wharf --anonymous-pull-enabled true \(az: az acr update -n wharf --anonymous-pull-enabled true\), or sign in first: az acr login -n wharf/,
    );
  });

  it('an allowed request: every stage OK, exit 0', async () => {
    const password = await admin.enableAdmin();
    const { res, id } = await eventually(async () => {
      const attempt = await pull('127.0.0.2', '/v2/hello/manifests/latest', basic(REGISTRY, password));
      assert.equal(attempt.res.status, 404, attempt.res.text());
      return attempt;
    });
    assert.equal(res.json().errors[0].code, 'MANIFEST_UNKNOWN');
    const out = (await diagnose(['--lang', 'fr', 'diagnose', id, '-n', REGISTRY], 0)).stdout;
    assert.match(out, /^Passerelle réseau : 127\.0\.0\.2 par le point de terminaison public \(règle defaultAction:Allow\) : OK$/m);
    assert.match(out, /^Authentification : wharf \(règle adminUser:enabled\) : OK$/m);
    assert.match(out, /^Autorisation : pull sur le dépôt hello \(accordée par l’utilisateur administrateur\) : OK$/m);
    assert.match(out, /^Résultat actuel : autorisé/m);
    assert.doesNotMatch(out, /Une erreur s’est produite/);
  });

  it('the endpoint authorizes: no role on the registry is 403 AuthorizationFailed; Reader may; bad input is a 400, an unknown id a 404', async () => {
    const outsider = await admin.createServicePrincipal('outsider');
    const token = await identityToken(w, { tenantId: admin.owner.tenantId, clientId: outsider.appId, clientSecret: outsider.secret });
    const call = (body: unknown) =>
      w.request(`${admin.registryId}/diagnose?api-version=${API_VERSION}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await call({ ipAddress: '127.0.0.1' });
    assert.equal(refused.status, 403, refused.text());
    assert.equal(refused.json().error.code, 'AuthorizationFailed');
    assert.match(refused.json().error.message, /Microsoft\.ContainerRegistry\/registries\/diagnose\/action/);

    await admin.assignRole(outsider.objectId, ROLE.Reader);
    const allowed = await eventually(async () => {
      const answer = await call({ ipAddress: '127.0.0.1', identity: outsider.appId, repository: 'hello', action: 'pull' });
      assert.equal(answer.status, 200, answer.text());
      return answer.json();
    });
    assert.equal(allowed.outcome, 'allowed');
    assert.deepEqual(allowed.decidedBy, { stage: 'authorization', rule: 'role Reader at the registry' });

    const badIp = await call({ ipAddress: 'not-an-ip' });
    assert.equal(badIp.status, 400);
    assert.equal(badIp.json().error.code, 'InvalidParameter');
    const badAction = await call({ ipAddress: '127.0.0.1', repository: 'hello', action: 'steal' });
    assert.equal(badAction.status, 400);
    assert.match(badAction.json().error.message, /'steal' is not a repository action/);
    const unknown = await call({ correlationId: '00000000-0000-0000-0000-000000000000' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, 'CorrelationIdNotFound');
    const cliUnknown = await cli(['diagnose', '00000000-0000-0000-0000-000000000000', '-n', REGISTRY]);
    assert.equal(cliUnknown.code, 1);
    assert.match(cliUnknown.stderr, /CorrelationIdNotFound|No login or repository event/);
  });
});
