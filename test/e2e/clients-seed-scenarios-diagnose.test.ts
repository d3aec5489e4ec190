/**
 * The seed guides' login and network failures, table-driven, end to end: each row sets up the
 * broken state on a real Wharf, runs the real client (docker CLI, skopeo, az 2.45) and keeps its
 * error text, asks `wharf diagnose` (the CLI, as a child process) for the code, cause and fix,
 * then runs the printed fix exactly as printed through a shell and sees the client succeed.
 * Rows: a wrong admin password, a wrong token password and a wrong client secret (recorded,
 * not replayable, never "changed"), the firewall and a disabled admin user (the seeds' login and
 * network guides), an expired ACR refresh token (named by the identity it was issued to), a trusted service refused because the registry has virtual network rules, the
 * lock-out refusal followed with az alone, and `wharf az-setup --run` giving az the Microsoft
 * Graph endpoint its `az ad sp`/`az role` commands need. The summary table is printed at the end.
 *
 * One server; the registry `diag` has the login server `diag.wharf.test:<port>`, which every
 * client resolves through a private hosts file (`unshare -m`, as test/helpers/az.ts does), and
 * refresh tokens live 3 s so that expiry is seen at once.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { AzSandbox } from '../helpers/az.js';
import { ClientSandbox, run, type ClientResult } from '../helpers/clients.js';
import { eventually } from '../helpers/eventually.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { tempDir } from '../helpers/tmp.js';
import { ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { freePort, startWharf, type WharfServer } from '../helpers/wharf-server.js';

const DOMAIN = 'wharf.test';
const REGISTRY = 'diag';
const NULL_GUID = '00000000-0000-0000-0000-000000000000';
/** The gate caches registry settings (and trusted services) for up to 2 s. */
const SETTLE_MS = 2100;

interface TableRow {
  row: string;
  clientText: string;
  code: string;
  cause: string;
  fix: string;
  fixWorked: boolean;
}

const table: TableRow[] = [];

/** The client's own error: docker's `error="…"` of its https attempt (it then retries plain http), else the first line. */
function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^WARNING/i.test(l));
  const docker = lines.map((l) => /error="(.*)"$/.exec(l)?.[1]).find((e) => e !== undefined && /unauthorized|denied|forbidden/i.test(e));
  return (docker ?? lines[0] ?? '').replace(/\\"/g, '"');
}

function cell(text: string, max = 240): string {
  const flat = text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function shown(r: { code: number | null; stdout: string; stderr: string }, what: string): string {
  return `${what} → exit ${r.code}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;
}

describe('seed scenarios: wharf diagnose names the cause, and its printed fix works when run', () => {
  let server: WharfServer;
  let admin: WharfAdmin;
  let az: AzSandbox;
  let clients: ClientSandbox;
  let home: string;
  let hostsFile: string;
  let loginServer: string;
  let adminPassword: string;

  /** A shell line run as a user would, with az's and the clients' settings and the private hosts file. */
  function sh(line: string): Promise<ClientResult> {
    const env = { ...clients.env, ...az.env, SSL_CERT_FILE: server.caFile! };
    return run('unshare', ['-m', 'sh', '-c', 'mount --bind "$1" /etc/hosts && exec sh -c "$2"', 'sh', hostsFile, line], env, { timeoutMs: 90_000 });
  }

  async function cli(args: string[]): Promise<CliResult> {
    return runWharfCli(home, args, { env: { LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '', LANG: 'C.UTF-8' } });
  }

  /** The newest failed login row whose identity is `identity`, after `since` (rows land in batches). */
  async function failedLogin(identity: string, since: string, status = '401'): Promise<{ CorrelationId: string; Reason: string }> {
    return eventually(async () => {
      const rows = (
        await admin.ok<{ value: { Identity: string; TimeGenerated: string; CorrelationId: string; Reason: string; ResultDescription: string }[] }>(
          'GET',
          `${admin.registryId}/loginEvents?failuresOnly=true`,
        )
      ).value.filter((r) => r.Identity === identity && r.TimeGenerated >= since && r.ResultDescription === status);
      assert.ok(rows.length > 0, `no failed login of ${identity} since ${since}`);
      return rows.sort((a, b) => b.TimeGenerated.localeCompare(a.TimeGenerated))[0]!;
    });
  }

  /** `wharf diagnose …`: its text, the error's code, cause and fix lines. */
  async function diagnose(args: string[]): Promise<{ out: string; code: string; cause: string; fix: string }> {
    const result = await cli(['diagnose', ...args]);
    assert.equal(result.code, 1, shown(result, `wharf diagnose ${args.join(' ')}`));
    const out = result.stdout;
    return {
      out,
      code: /^An error occurred: (\S+)$/m.exec(out)?.[1] ?? '',
      cause: /^\s*Cause: (.*)$/m.exec(out)?.[1] ?? '',
      fix: /^\s*Fix: (.*)$/m.exec(out)?.[1] ?? '',
    };
  }

  /** The command in a printed fix, between `before` and `after` (exactly as printed). */
  function commandIn(fix: string, start: string, end: string | null): string {
    const from = fix.indexOf(start);
    assert.ok(from >= 0, `'${start}' not in the fix: ${fix}`);
    const rest = fix.slice(from + start.length);
    if (end === null) return rest.trim();
    const to = rest.indexOf(end);
    assert.ok(to >= 0, `'${end}' not after '${start}' in the fix: ${fix}`);
    return rest.slice(0, to).trim();
  }

  before(async () => {
    const port = await freePort();
    loginServer = `${REGISTRY}.${DOMAIN}:${port}`;
    server = await startWharf({
      secure: true,
      port,
      domain: DOMAIN,
      config: { registries: [{ name: REGISTRY, loginServer }], auth: { refreshTokenMinutes: 0.05 } },
    });
    admin = new WharfAdmin(server, REGISTRY);
    await admin.ok('PATCH', admin.registryId, { sku: { name: 'Premium' } });
    adminPassword = await admin.enableAdmin();
    clients = new ClientSandbox();
    home = tempDir('wharf-home-seed-diagnose');
    const login = await cli(['login', '--data', server.dataDir, '--server', server.baseUrl]);
    assert.equal(login.code, 0, shown(login, 'wharf login'));
    az = new AzSandbox({ origin: `https://localhost:${port}`, domain: DOMAIN, caFile: server.caFile! });
    hostsFile = az.hostsFile(`127.0.0.1 ${REGISTRY}.${DOMAIN}`);
    const image = buildImageLayout({ layers: 1, layerSize: 1024 });
    const pushed = await sh(
      `skopeo copy --dest-creds '${REGISTRY}:${adminPassword}' --dest-cert-dir '${server.caDir}' '${image.ref}' docker://${loginServer}/app:v1`,
    );
    assert.equal(pushed.code, 0, shown(pushed, 'skopeo copy'));
  });

  after(async () => {
    await server?.stop();
    if (table.length > 0) {
      const lines = [
        '| row | client text | code | cause | fix | fix worked |',
        '|---|---|---|---|---|---|',
        ...table.map((r) => `| ${cell(r.row)} | ${cell(r.clientText)} | ${cell(r.code)} | ${cell(r.cause)} | ${cell(r.fix)} | ${r.fixWorked ? 'yes' : 'NO'} |`),
      ];
      console.log(`\n${lines.join('\n')}\n`);
    }
  });

  it('wharf az-setup --run sets the Microsoft Graph endpoint: az ad sp list and az role assignment list work', async () => {
    const setup = await runWharfCli(
      home,
      ['az-setup', '--run', '--server', `https://localhost:${server.port}`, '--ca-file', server.caFile!, '--domain', DOMAIN],
      {
        env: { AZURE_CONFIG_DIR: az.env.AZURE_CONFIG_DIR!, AZURE_CORE_COLLECT_TELEMETRY: 'no', REQUESTS_CA_BUNDLE: server.caFile! },
      },
    );
    assert.equal(setup.code, 0, shown(setup, 'wharf az-setup --run'));
    const cloud = await az.ok(['cloud', 'show']);
    assert.equal(cloud.json?.endpoints?.microsoftGraphResourceId, `https://localhost:${server.port}/`, cloud.stdout);
    await az.login({ appId: admin.owner.clientId, secret: admin.owner.clientSecret, tenantId: admin.owner.tenantId });
    const sps = await az.run(['ad', 'sp', 'list', '--all', '--query', '[].appId']);
    assert.equal(sps.code, 0, shown(sps, 'az ad sp list'));
    assert.ok((sps.json as string[]).includes(admin.owner.clientId), sps.stdout);
    // az resolves --assignee through Graph. (Debian's az 2.45 with its newer azure-mgmt-authorization
    // fails on any listing that has rows, or has --scope: "'RoleDefinitionsOperations' object has no
    // attribute 'config'"; a principal without roles lists [] before that.)
    const lonely = await admin.createServicePrincipal('seed-no-roles');
    const roles = await az.run(['role', 'assignment', 'list', '--all', '--assignee', lonely.appId]);
    assert.equal(roles.code, 0, shown(roles, 'az role assignment list'));
    assert.deepEqual(roles.json, [], roles.stdout);
    table.push({
      row: 'az-setup, then az ad sp list / az role assignment list',
      clientText: "before: The endpoint 'microsoft_graph_resource_id' for this cloud is not set.",
      code: '-',
      cause: 'az cloud without microsoftGraphResourceId',
      fix: 'wharf az-setup --run',
      fixWorked: true,
    });
  });

  it('docker login with a wrong admin password: recorded, not replayed, and the admin password sign-in works', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const refused = await sh(`docker login ${loginServer} -u ${REGISTRY} -p wrong-password`);
    assert.notEqual(refused.code, 0, shown(refused, 'docker login'));
    const event = await failedLogin(REGISTRY, since);
    const d = await diagnose([event.CorrelationId, '-n', REGISTRY]);
    assert.equal(d.code, 'AUTHENTICATION_FAILED', d.out);
    assert.match(d.out, /\(rule credential:wrongPassword; not replayed\)$/m);
    assert.doesNotMatch(d.out, /Outcome now|outcome has changed/);
    assert.match(d.out, /^Outcome recorded: AUTHENTICATION_FAILED .*it is not replayed$/m);
    assert.match(d.out, /This refusal cannot be replayed: the audit log keeps no password/);
    assert.equal(d.cause, `The password given for the admin user ${REGISTRY} matched neither of its passwords.`);
    const fix = commandIn(d.fix, 'shows it): ', '; if it may have leaked');
    assert.equal(
      fix,
      `az acr credential show -n ${REGISTRY} --query 'passwords[0].value' -o tsv | docker login ${loginServer} -u ${REGISTRY} --password-stdin`,
    );
    const fixed = await sh(fix);
    assert.equal(fixed.code, 0, shown(fixed, fix));
    assert.match(fixed.stdout, /Login Succeeded/);
    table.push({ row: 'docker login, wrong admin password', clientText: firstLine(refused.stderr), code: d.code, cause: d.cause, fix, fixWorked: true });
  });

  it('docker login from an address the firewall denies: NETWORK_DENIED, and the IP rule it prints lets docker in', async () => {
    const denied = await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] } }, { force: true });
    assert.equal(denied.status, 200, denied.text());
    try {
      await sleep(SETTLE_MS);
      const since = new Date(Date.now() - 1000).toISOString();
      const login = `docker login ${loginServer} -u ${REGISTRY} --password-stdin <<'EOF'\n${adminPassword}\nEOF`;
      const refused = await sh(login);
      assert.notEqual(refused.code, 0, shown(refused, 'docker login'));
      const event = await failedLogin('', since, '403');
      const d = await diagnose([event.CorrelationId, '-n', REGISTRY]);
      assert.equal(d.code, 'NETWORK_DENIED', d.out);
      assert.equal(
        d.cause,
        `The default action of the firewall rules of registry ${REGISTRY} is Deny and no IP rule or virtual network rule matches 127.0.0.1.`,
      );
      const fix = commandIn(d.fix, '(az: ', null).replace(/\)$/, '');
      assert.equal(fix, `az acr network-rule add -n ${REGISTRY} --ip-address 127.0.0.1`);
      const ran = await sh(fix);
      assert.equal(ran.code, 0, shown(ran, fix));
      await sleep(SETTLE_MS);
      const fixed = await sh(login);
      assert.equal(fixed.code, 0, shown(fixed, 'docker login, after the fix'));
      table.push({
        row: 'docker login from a denied address (firewall)',
        clientText: firstLine(refused.stderr),
        code: d.code,
        cause: d.cause,
        fix,
        fixWorked: true,
      });
    } finally {
      await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } }, { force: true });
    }
  });

  it('docker login as the admin user while it is disabled: the update command it prints lets docker in', async () => {
    await admin.updateRegistry({ adminUserEnabled: false });
    const since = new Date(Date.now() - 1000).toISOString();
    const login = `docker login ${loginServer} -u ${REGISTRY} --password-stdin <<'EOF'\n${adminPassword}\nEOF`;
    const refused = await sh(login);
    assert.notEqual(refused.code, 0, shown(refused, 'docker login'));
    const event = await failedLogin(REGISTRY, since);
    const d = await diagnose([event.CorrelationId, '-n', REGISTRY]);
    assert.equal(d.code, 'AUTHENTICATION_FAILED', d.out);
    assert.equal(d.cause, `The admin user of registry ${REGISTRY} is disabled.`);
    const fix = commandIn(d.fix, '(az: ', '), or sign in');
    assert.equal(fix, `az acr update -n ${REGISTRY} --admin-enabled true`);
    const ran = await sh(fix);
    assert.equal(ran.code, 0, shown(ran, fix));
    const fixed = await sh(login);
    assert.equal(fixed.code, 0, shown(fixed, 'docker login, after the fix'));
    table.push({ row: 'docker login as a disabled admin user', clientText: firstLine(refused.stderr), code: d.code, cause: d.cause, fix, fixWorked: true });
  });

  it('docker login with a wrong token password: the token password generated and used at once', async () => {
    await admin.createToken('ci-puller', ['repositories/app/content/read']);
    const since = new Date(Date.now() - 1000).toISOString();
    const refused = await sh(`docker login ${loginServer} -u ci-puller -p wrong-password`);
    assert.notEqual(refused.code, 0, shown(refused, 'docker login'));
    const event = await failedLogin('ci-puller', since);
    const d = await diagnose([event.CorrelationId, '-n', REGISTRY]);
    assert.equal(d.code, 'AUTHENTICATION_FAILED', d.out);
    assert.doesNotMatch(d.out, /Outcome now|outcome has changed/);
    assert.equal(d.cause, 'The password given for the token ci-puller matched neither of its passwords.');
    const fix = commandIn(d.fix, 'sign in with it at once: ', ' (wharf: ');
    assert.equal(
      fix,
      `az acr token credential generate -n ci-puller -r ${REGISTRY} --password1 --query 'passwords[0].value' -o tsv | docker login ${loginServer} -u ci-puller --password-stdin`,
    );
    const fixed = await sh(fix);
    assert.equal(fixed.code, 0, shown(fixed, fix));
    assert.match(fixed.stdout, /Login Succeeded/);
    table.push({ row: 'docker login, wrong token password', clientText: firstLine(refused.stderr), code: d.code, cause: d.cause, fix, fixWorked: true });
  });

  it("docker login with a wrong client secret: az ad sp credential reset (through Wharf's Graph) and the sign-in", async () => {
    const sp = await admin.createServicePrincipal('seed-pusher');
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    const since = new Date(Date.now() - 1000).toISOString();
    const refused = await sh(`docker login ${loginServer} -u ${sp.appId} -p wrong-secret`);
    assert.notEqual(refused.code, 0, shown(refused, 'docker login'));
    const event = await failedLogin(sp.appId, since);
    const d = await diagnose([event.CorrelationId, '-n', REGISTRY]);
    assert.equal(d.code, 'AUTHENTICATION_FAILED', d.out);
    assert.doesNotMatch(d.out, /Outcome now|outcome has changed/);
    assert.equal(d.cause, `The client secret given for the service principal ${sp.appId} was wrong.`);
    const fix = commandIn(d.fix, 'sign in with it at once: ', ' (wharf: ');
    assert.equal(fix, `az ad sp credential reset --id ${sp.appId} --query password -o tsv | docker login ${loginServer} -u ${sp.appId} --password-stdin`);
    const fixed = await sh(fix);
    assert.equal(fixed.code, 0, shown(fixed, fix));
    assert.match(fixed.stdout, /Login Succeeded/);
    table.push({ row: 'docker login, wrong client secret', clientText: firstLine(refused.stderr), code: d.code, cause: d.cause, fix, fixWorked: true });
  });

  it('an expired ACR refresh token (az acr login --expose-token, then docker login): the holder named, the sign-in repeated', async () => {
    const token = await sh(`az acr login -n ${REGISTRY} --expose-token --query accessToken -o tsv`);
    assert.equal(token.code, 0, shown(token, 'az acr login --expose-token'));
    await sleep(5500); // refresh tokens live 3 s here, and their check allows 2 s of clock skew
    const since = new Date(Date.now() - 1000).toISOString();
    const refused = await sh(`docker login ${loginServer} -u ${NULL_GUID} -p '${token.stdout.trim()}'`);
    assert.notEqual(refused.code, 0, shown(refused, 'docker login'));
    const event = await failedLogin(admin.owner.clientId, since);
    assert.match(event.Reason, /refresh token has expired/);
    const d = await diagnose([event.CorrelationId, '-n', REGISTRY]);
    assert.equal(d.code, 'AUTHENTICATION_FAILED', d.out);
    assert.doesNotMatch(d.out, /rule identity:unknown|Outcome now|outcome has changed/);
    assert.equal(
      d.cause,
      `The ACR refresh token presented (user name ${NULL_GUID}) had expired; it was issued to the service principal ${admin.owner.clientId}.`,
    );
    const fix = commandIn(d.fix, 'with az signed in as that identity: ', null);
    assert.equal(fix, `az acr login -n ${REGISTRY} --expose-token --query accessToken -o tsv | docker login ${loginServer} -u ${NULL_GUID} --password-stdin`);
    const fixed = await sh(fix);
    assert.equal(fixed.code, 0, shown(fixed, fix));
    assert.match(fixed.stdout, /Login Succeeded/);
    table.push({ row: 'docker login, expired ACR refresh token', clientText: firstLine(refused.stderr), code: d.code, cause: d.cause, fix, fixWorked: true });
  });

  it('a trusted service refused because the registry has virtual network rules: said so, and the IP rule admits it', async () => {
    const identityPath = admin.resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'seed-builder');
    const mi = await admin.ok<{ properties: { clientId: string; principalId: string } }>('PUT', identityPath, { location: 'local' });
    const principalId = mi.properties.principalId;
    await admin.assignRole(principalId, ROLE.AcrPull);
    await admin.ok('PUT', `/subscriptions/${admin.owner.subscriptionId}/providers/Wharf.Network/trustedServices/seed-builder`, {
      properties: { principalId, serviceType: 'Tasks' },
    });
    // Its registry token, obtained while the network is open (the identity's own sign-in).
    const aad = await server.request(
      `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent('https://management.azure.com/')}&client_id=${mi.properties.clientId}`,
      { headers: { metadata: 'true' } },
    );
    assert.equal(aad.status, 200, aad.text());
    const form = { 'content-type': 'application/x-www-form-urlencoded', host: loginServer };
    const exchanged = await server.request('/oauth2/exchange', {
      method: 'POST',
      headers: form,
      body: `grant_type=access_token&service=${loginServer}&access_token=${aad.json<{ access_token: string }>().access_token}`,
    });
    assert.equal(exchanged.status, 200, exchanged.text());
    const access = await server.request('/oauth2/token', {
      method: 'POST',
      headers: form,
      body: `grant_type=refresh_token&service=${loginServer}&scope=${encodeURIComponent('repository:app:pull')}&refresh_token=${exchanged.json<{ refresh_token: string }>().refresh_token}`,
    });
    assert.equal(access.status, 200, access.text());
    const registryToken = access.json<{ access_token: string }>().access_token;
    const inspect = `skopeo inspect --cert-dir '${server.caDir}' --registry-token '${registryToken}' docker://${loginServer}/app:v1`;

    const vnet = await admin.putVirtualNetwork(
      'seed-vnet',
      ['127.0.12.0/24'],
      [{ name: 'build', addressPrefix: '127.0.12.0/24', serviceEndpoints: ['Microsoft.ContainerRegistry'] }],
    );
    const denied = await admin.patchNetwork(
      {
        networkRuleSet: { defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [{ action: 'Allow', id: `${vnet}/subnets/build` }] },
        networkRuleBypassOptions: 'AzureServices',
      },
      { force: true },
    );
    assert.equal(denied.status, 200, denied.text());
    try {
      await sleep(SETTLE_MS);
      const refused = await sh(inspect);
      assert.notEqual(refused.code, 0, shown(refused, 'skopeo inspect'));
      assert.match(refused.stderr, /403 \(Forbidden\)/, refused.stderr);
      const d = await diagnose(['-n', REGISTRY, '--ip', '127.0.0.1', '--identity', principalId, '--repository', 'app', '--action', 'pull']);
      assert.equal(d.code, 'NETWORK_DENIED', d.out);
      assert.equal(
        d.cause,
        `${principalId} is the trusted service seed-builder, but trusted services do not pass the firewall of a registry that has virtual network rules (as on ACR), and no IP rule matches 127.0.0.1.`,
      );
      const fix = commandIn(d.fix, '(az: ', '), or remove');
      assert.equal(fix, `az acr network-rule add -n ${REGISTRY} --ip-address 127.0.0.1`);
      const ran = await sh(fix);
      assert.equal(ran.code, 0, shown(ran, fix));
      await sleep(SETTLE_MS);
      const fixed = await sh(inspect);
      assert.equal(fixed.code, 0, shown(fixed, 'skopeo inspect'));
      table.push({
        row: 'trusted service, registry with virtual network rules (skopeo)',
        clientText: firstLine(refused.stderr),
        code: d.code,
        cause: d.cause,
        fix,
        fixWorked: true,
      });
    } finally {
      await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } }, { force: true });
    }
  });

  it('the lock-out refusal, followed with az alone: the IP rule first, then the change; and the az rest form saves anyway', async () => {
    try {
      const refused = await sh(`az acr update -n ${REGISTRY} --default-action Deny`);
      assert.notEqual(refused.code, 0, shown(refused, 'az acr update'));
      assert.match(refused.stderr, /\(NetworkAccessLockout\) The new network settings of registry 'diag' would deny your own address '127\.0\.0\.1'/);
      const fix = commandIn(refused.stderr, 'Allow your address first, then repeat the change: ', ' (wharf network-rule add');
      assert.equal(fix, `az acr network-rule add -n ${REGISTRY} --ip-address 127.0.0.1`);
      assert.match(refused.stderr, /wharf: --force; az: az rest --method patch --url '/);
      const ran = await sh(fix);
      assert.equal(ran.code, 0, shown(ran, fix));
      const again = await sh(`az acr update -n ${REGISTRY} --default-action Deny`);
      assert.equal(again.code, 0, shown(again, 'az acr update, again'));
      const cause = commandIn(refused.stderr, "your own address '127.0.0.1': ", '. Allow your address first');
      table.push({
        row: 'lock-out refusal (az acr update --default-action Deny)',
        clientText: firstLine(refused.stderr),
        code: 'NetworkAccessLockout',
        cause,
        fix,
        fixWorked: true,
      });

      // No IP rule can help when public access goes off: the az rest form it prints saves anyway.
      const off = await sh(`az acr update -n ${REGISTRY} --public-network-enabled false`);
      assert.notEqual(off.code, 0, shown(off, 'az acr update --public-network-enabled false'));
      assert.match(off.stderr, /No IP rule can admit it/);
      const rest = /az: (az rest --method patch --url '[^']*' --body '[^']*')\)\.?\s*$/m.exec(off.stderr.replace(/\r/g, ''))?.[1];
      assert.ok(rest, off.stderr);
      const saved = await sh(rest);
      assert.equal(saved.code, 0, shown(saved, rest));
      assert.equal((await admin.ok('GET', admin.registryId)).properties.publicNetworkAccess, 'Disabled');
      const offCause = commandIn(off.stderr, "your own address '127.0.0.1': ", '. No IP rule can admit it');
      table.push({
        row: 'lock-out refusal (az acr update --public-network-enabled false)',
        clientText: firstLine(off.stderr),
        code: 'NetworkAccessLockout',
        cause: offCause,
        fix: rest,
        fixWorked: true,
      });
    } finally {
      await admin.patchNetwork(
        { publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } },
        { force: true },
      );
    }
  });
});
