/**
 * The seed guides' failure scenarios as one table (seeds 000/002–004: network; 001: login),
 * each row end to end against one real Wharf: the broken state set up through the management
 * API, the real client (skopeo, docker, the Azure SDKs) failing with its own text, `wharf
 * check-health` / `check-pull` (-o json) naming the code and the cause, then every command of
 * the printed fix run exactly as printed through a shell (placeholders such as `<token>` filled
 * in, nothing else), and the same client succeeding. Rows run in order on one server; each puts
 * back what it changed. The table (name, client text, code, cause, fix, fix worked) is printed at
 * the end and written to <tmpdir>/wharf-seed-scenarios.{md,json}.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ContainerRegistryContentClient, KnownContainerRegistryAudience } from '@azure/container-registry';
import type { TokenCredential } from '@azure/identity';
import type { Finding, Report } from '../../src/cli/checks/report.js';
import { managedIdentityCredential, sdkClientOptions, servicePrincipalCredential } from '../helpers/azure-sdk.js';
import { ClientSandbox, ok, type ClientResult } from '../helpers/clients.js';
import { eventually } from '../helpers/eventually.js';
import { startSilentServer, type FaultServer } from '../helpers/fault-servers.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import {
  clientLine,
  fillPlaceholders,
  markdownTable,
  runCheck,
  runShell,
  scenarioSandbox,
  writeTable,
  type ScenarioRow,
  type ScenarioSandbox,
} from '../helpers/seed-scenario.js';
import { tempDir } from '../helpers/tmp.js';
import { identityToken, ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli } from '../helpers/wharf-cli.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const DOMAIN = 'wharf.test';
const LOGIN_HOST = `wharf.${DOMAIN}`;
const NULL_GUID = '00000000-0000-0000-0000-000000000000';
const AUDIENCE = KnownContainerRegistryAudience.AzureResourceManagerPublicCloud;

let w: WharfServer;
let admin: WharfAdmin;
/** WHARF_HOME of the owner's CLI. */
let home: string;
let adminPassword: string;
let loginServer: string;
const table: ScenarioRow[] = [];
const closers: { close(): Promise<void> }[] = [];

/** What one row does; see the file comment. */
interface Scenario {
  name: string;
  /** /etc/hosts of the row's clients, CLI and fixes. */
  hosts?: string;
  /** The client, broken (`fixOutput` undefined) or after the fix (the fix commands' stdout). */
  client: (sandbox: ScenarioSandbox, fixOutput?: string) => Promise<ClientResult | { message: string } | undefined>;
  /** What the client says when broken. */
  clientText: string | RegExp;
  /** `wharf …` arguments (check-health or check-pull). */
  check: string[];
  /** The finding expected: its code (null: no error, the check passes), its check, its cause. */
  code: string | null;
  findingCheck?: string;
  cause?: RegExp;
  /** What else the finding must say. */
  inspect?: (finding: Finding, report: Report) => void;
  /** Placeholders of the fix the user fills in. */
  fill?: Record<string, string>;
  /** The WHARF_HOME the fix runs with (an owner's, when the fix is the owner's to run). */
  fixHome?: () => string;
  /** What the user does beyond the printed commands (e.g. stop the program the fix names). */
  afterFix?: () => Promise<void>;
  /** A second round: after the first fix, check again; that finding's fix completes it. */
  then?: { code: string; cause?: RegExp; inspect?: (finding: Finding, report: Report) => void };
}

const clients = () => new ClientSandbox();

/** skopeo inspect of app:v1 through the login server name, with these credentials. */
function inspect(sandbox: ScenarioSandbox, creds: string | null, extra: string[] = []): Promise<ClientResult> {
  return clients().skopeo(['inspect', '--cert-dir', w.caDir!, ...(creds === null ? [] : ['--creds', creds]), ...extra, `docker://${loginServer}/app:v1`], {
    env: sandbox.env,
    timeoutMs: 30_000,
  });
}

/** skopeo copy of app:v1 (every blob) into a new OCI layout. */
function copyOut(sandbox: ScenarioSandbox, creds: string): Promise<ClientResult> {
  const layout = `${tempDir('seed-pull')}/layout`;
  return clients().skopeo(['copy', '--src-cert-dir', w.caDir!, '--src-creds', creds, `docker://${loginServer}/app:v1`, `oci:${layout}:v1`], {
    env: sandbox.env,
    timeoutMs: 30_000,
  });
}

function sdkPull(credential: TokenCredential): Promise<unknown> {
  return new ContainerRegistryContentClient(w.baseUrl, 'app', credential, { audience: AUDIENCE, ...sdkClientOptions(w) }).getManifest('v1');
}

/** An SDK call's error as a client text, or undefined on success. */
async function sdkResult(call: () => Promise<unknown>): Promise<{ message: string } | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return { message: (error as Error).message };
  }
}

function succeeded(result: ClientResult | { message: string } | undefined): boolean {
  if (result === undefined) return true;
  return 'code' in result && result.code === 0;
}

function textOf(result: ClientResult | { message: string } | undefined): string {
  if (result === undefined) return '(succeeded)';
  return 'message' in result ? result.message : `${result.stderr}\n${result.stdout}`;
}

/** The error finding a row looks at. */
function pick(report: Report, code: string, check?: string): Finding {
  const found = report.findings.find((f) => f.level === 'error' && f.code === code && (check === undefined || f.check === check));
  if (!found) assert.fail(`no ${code}${check ? ` (${check})` : ''} in\n${JSON.stringify(report.findings, null, 2)}`);
  return found;
}

/** Runs every command of `finding`'s fix as printed; their stdout, joined. */
async function runFix(sandbox: ScenarioSandbox, finding: Finding, scenario: Scenario, ran: string[]): Promise<string> {
  assert.ok(finding.commands && finding.commands.length > 0, `the fix of ${finding.code} names no command: ${finding.fix}`);
  // A fix that is the owner's to run runs with the owner's profile (the names it resolves are the same).
  const where = scenario.fixHome ? scenarioSandbox(scenario.hosts ?? `127.0.0.1 ${LOGIN_HOST}`, scenario.fixHome()) : sandbox;
  let output = '';
  for (const printed of finding.commands) {
    assert.ok(finding.fix!.includes(printed), `command not in the fix as printed: ${printed}\n${finding.fix}`);
    const command = fillPlaceholders(printed, scenario.fill ?? {});
    ran.push(command);
    const result = await runShell(where, command, { ...clients().env, SSL_CERT_FILE: w.caFile! });
    assert.equal(result.code, 0, `the printed fix failed: ${command}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`);
    output += result.stdout;
  }
  return output;
}

/** One row, end to end; its line goes into the table whatever happens. */
async function play(scenario: Scenario): Promise<void> {
  const row: ScenarioRow = { name: scenario.name, clientText: '', code: '', cause: '', fix: '', ran: [], fixWorked: 'no' };
  table.push(row);
  const sandbox = scenarioSandbox(scenario.hosts ?? `127.0.0.1 ${LOGIN_HOST}`, home);
  // The client and the check are independent: they run side by side.
  const [broken, checked] = await Promise.all([scenario.client(sandbox), runCheck(sandbox, scenario.check)]);
  row.clientText = broken === undefined || (scenario.code === null && succeeded(broken)) ? '(succeeds)' : clientLine(broken);
  if (scenario.code !== null) {
    assert.ok(!succeeded(broken), `the client should fail in the broken state: ${textOf(broken)}`);
    const text = textOf(broken);
    if (typeof scenario.clientText === 'string') assert.ok(text.includes(scenario.clientText), `client text:\n${text}`);
    else assert.match(text, scenario.clientText);
  }
  if (scenario.code === null) {
    row.code = '(none)';
    row.cause = checked.report.findings.at(-1)?.message ?? '';
    row.fix = '-';
    row.fixWorked = 'no command';
    assert.equal(checked.code, 0, JSON.stringify(checked.report.findings, null, 2));
    assert.equal(checked.report.ok, true);
    return;
  }
  const finding = pick(checked.report, scenario.code, scenario.findingCheck);
  row.code = finding.code!;
  row.cause = finding.cause ?? '';
  row.fix = finding.fix ?? '';
  if (scenario.cause) assert.match(finding.cause ?? '', scenario.cause);
  scenario.inspect?.(finding, checked.report);
  let output = await runFix(sandbox, finding, scenario, row.ran);
  await scenario.afterFix?.();
  if (scenario.then) {
    const again = await runCheck(sandbox, scenario.check);
    const next = pick(again.report, scenario.then.code);
    row.code += ` → ${next.code}`;
    row.cause += ` → ${next.cause ?? ''}`;
    row.fix += ` → ${next.fix ?? ''}`;
    if (scenario.then.cause) assert.match(next.cause ?? '', scenario.then.cause);
    scenario.then.inspect?.(next, again.report);
    output += await runFix(sandbox, next, scenario, row.ran);
  }
  const fixed = await eventually(async () => {
    const result = await scenario.client(sandbox, output);
    assert.ok(succeeded(result), `after the fix the client still fails: ${textOf(result)}`);
    return result;
  }, 12_000);
  assert.ok(succeeded(fixed));
  row.fixWorked = 'yes';
}

before(async () => {
  w = await startWharf({ secure: true, domain: DOMAIN });
  admin = new WharfAdmin(w);
  await admin.ok('PATCH', admin.registryId, { sku: { name: 'Premium' } });
  adminPassword = await admin.enableAdmin();
  const image = buildImageLayout({ layers: 1, layerSize: 1024 });
  ok(await clients().skopeo(['copy', '--dest-cert-dir', w.caDir!, '--dest-creds', `wharf:${adminPassword}`, image.ref, `docker://${w.host}/app:v1`]));
  home = tempDir('seed-home');
  const loggedIn = await runWharfCli(home, ['login', '--data', w.dataDir, '--server', w.baseUrl]);
  assert.equal(loggedIn.code, 0, loggedIn.stderr);
  loginServer = `${LOGIN_HOST}:${w.port}`;
  await admin.putVirtualNetwork('clients-vnet', ['127.0.0.0/16'], [{ name: 'endpoints', addressPrefix: '127.0.9.0/24' }]);
  await admin.putVirtualNetwork('branch-vnet', ['127.1.0.0/16'], [{ name: 'endpoints', addressPrefix: '127.1.9.0/24' }]);
});

after(async () => {
  for (const closer of closers) await closer.close().catch(() => {});
  await w?.stop();
  if (table.length > 0) {
    const file = writeTable(table);
    console.log(`\nSeed scenarios (${file}):\n\n${markdownTable(table)}\n`);
  }
});

/** Network rules saved whatever they do to the caller (force skips the lock-out check). */
async function setRules(properties: Record<string, unknown>): Promise<void> {
  await admin.ok('PATCH', `${admin.registryId}?force=true`, { properties });
}

const OPEN = { publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow', ipRules: [] }, networkRuleBypassOptions: 'AzureServices' };

describe('seed scenarios, login guide (seed 001)', () => {
  test('the login server does not resolve: the hosts line printed (no sudo as root) makes skopeo resolve it', () =>
    play({
      name: 'login server without a DNS record (`dial tcp: lookup`)',
      hosts: '',
      client: (s) => inspect(s, `wharf:${adminPassword}`),
      clientText: `lookup ${LOGIN_HOST}`,
      check: ['check-health', '-n', 'wharf', '--skip-environment'],
      code: 'CONNECTIVITY_DNS_ERROR',
      cause: new RegExp(`The name ${LOGIN_HOST.replace(/\./g, '\\.')} does not resolve`),
      inspect: (f) => {
        const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
        assert.deepEqual(f.commands, [`echo '127.0.0.1 ${LOGIN_HOST}' | ${sudo}tee -a /etc/hosts`]);
      },
    }));

  test('a wrong admin password: the admin user is named, and the printed command shows the passwords', () =>
    play({
      name: 'admin user, wrong password',
      client: (s, out) => inspect(s, `wharf:${out ? (JSON.parse(out) as { passwords: { value: string }[] }).passwords[0]!.value : 'not-the-password'}`),
      clientText: 'invalid username/password',
      check: ['check-health', '-n', 'wharf', '--skip-environment', '--username', 'wharf', '--password', 'not-the-password'],
      code: 'CONNECTIVITY_ACCESS_TOKEN_ERROR',
      cause: /^The admin user 'wharf' was refused: the password is neither of its two passwords/,
      inspect: (f) => {
        assert.deepEqual(f.commands, ['wharf credential show -n wharf']);
        assert.equal(f.details?.credential, 'adminUser');
        assert.doesNotMatch(f.fix!, /wharf token/);
      },
    }));

  test("a service principal's app id with a wrong secret: a new secret from the printed command logs skopeo in", async () => {
    const sp = await admin.createServicePrincipal('seed-wrong-secret');
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    await play({
      name: 'service principal, wrong secret (docker login -u <app id>)',
      client: (s, out) => inspect(s, `${sp.appId}:${out ? (JSON.parse(out) as { password: string }).password : 'not-the-secret'}`),
      clientText: 'unauthorized',
      check: ['check-health', '-n', 'wharf', '--skip-environment', '--username', sp.appId, '--password', 'not-the-secret'],
      code: 'CONNECTIVITY_ACCESS_TOKEN_ERROR',
      cause: new RegExp(`^Service principal '${sp.appId}' was refused: the secret is not one of its client secrets`),
      inspect: (f) => assert.deepEqual(f.commands, [`wharf sp credential reset --id ${sp.appId} --append`]),
    });
  });

  test('an ACR token given with a user name other than the null GUID: the printed docker login with the null GUID works', async () => {
    const sp = await admin.createServicePrincipal('seed-expose-token');
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    const entra = await identityToken(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
    const exchanged = await w.request('/oauth2/exchange', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: loginServer },
      body: new URLSearchParams({ grant_type: 'access_token', service: LOGIN_HOST, tenant: admin.owner.tenantId, access_token: entra }).toString(),
    });
    assert.equal(exchanged.status, 200, exchanged.text());
    const acrToken = exchanged.json<{ refresh_token: string }>().refresh_token;
    await play({
      name: 'ACR token (az acr login --expose-token) with the app id as user name',
      client: async (s, out) => {
        if (out !== undefined) return { command: 'docker login (the fix)', code: 0, signal: null, timedOut: false, stdout: out, stderr: '' };
        return clients().docker(['login', loginServer, '-u', sp.appId, '-p', acrToken], { env: { ...s.env, SSL_CERT_FILE: w.caFile! }, timeoutMs: 30_000 });
      },
      clientText: 'unauthorized',
      check: ['check-health', '-n', 'wharf', '--skip-environment', '--username', sp.appId, '--password', acrToken],
      code: 'CONNECTIVITY_ACCESS_TOKEN_ERROR',
      cause: new RegExp(`is an ACR token .* only with the user name ${NULL_GUID}`),
      fill: { token: acrToken },
      inspect: (f) => assert.deepEqual(f.commands, [`docker login ${loginServer} -u ${NULL_GUID} -p <token>`]),
    });
  });

  test('a disabled repository token: the printed update enables it', async () => {
    const password = await admin.createToken('seed-disabled', ['repositories/app/content/read']);
    await admin.setTokenStatus('seed-disabled', 'disabled');
    await play({
      name: 'repository token disabled',
      client: (s) => inspect(s, `seed-disabled:${password}`),
      clientText: 'unauthorized',
      check: [
        'check-health',
        '-n',
        'wharf',
        '--skip-environment',
        '--username',
        'seed-disabled',
        '--password',
        password,
        '--repository',
        'app',
        '--image',
        'v1',
      ],
      code: 'CONNECTIVITY_ACCESS_TOKEN_ERROR',
      cause: /^Token 'seed-disabled' of registry 'wharf' is disabled/,
      inspect: (f) => assert.deepEqual(f.commands, ['wharf token update -n seed-disabled -r wharf --status enabled']),
    });
  });

  test('a wrong client secret signing in: ENTRA_SIGN_IN_ERROR with the AADSTS lines in order, and a new secret from the printed reset', async () => {
    const sp = await admin.createServicePrincipal('seed-sign-in');
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    const credential = (secret: string) => servicePrincipalCredential(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: secret });
    await play({
      name: 'Entra sign-in refused (check-pull --service-principal, wrong secret)',
      client: (_s, out) => sdkResult(() => sdkPull(credential(out ? (JSON.parse(out) as { password: string }).password : 'not-the-secret'))),
      clientText: 'AADSTS7000215',
      check: ['check-pull', '-n', 'wharf', '--repository', 'app', '--service-principal', sp.appId, '--secret', 'not-the-secret'],
      code: 'ENTRA_SIGN_IN_ERROR',
      cause: /^The identity plane refused the sign-in: AADSTS7000215: [^\r\n]*$/,
      inspect: (f) => {
        assert.equal(f.check, 'sign-in');
        assert.deepEqual(f.commands, [`wharf sp credential reset --id ${sp.appId} --append`]);
        const trace = f.details?.trace as string[];
        assert.match(trace[0]!, /^Trace ID: /);
        assert.match(trace[1]!, /^Correlation ID: /);
        assert.match(trace[2]!, /^Timestamp: /);
      },
    });
  });

  test('a service principal without a role (check-pull): PERMISSION_DENIED_ERROR, and the printed role assignment lets the SDK pull', async () => {
    const sp = await admin.createServicePrincipal('seed-no-role');
    const credential = servicePrincipalCredential(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
    await play({
      name: 'service principal without AcrPull (check-pull)',
      client: () => sdkResult(() => sdkPull(credential)),
      clientText: /unauthorized|authentication required|denied|401/i,
      check: ['check-pull', '-n', 'wharf', '--repository', 'app', '--service-principal', sp.appId, '--secret', sp.secret],
      code: 'PERMISSION_DENIED_ERROR',
      cause: new RegExp(`'${sp.appId}' has no role that allows pull on app in registry 'wharf'`),
      inspect: (f) => assert.deepEqual(f.commands, [`wharf role assignment create --assignee ${sp.appId} --role AcrPull -r wharf --repository app`]),
    });
  });

  test('an expired client secret (check-pull): CREDENTIALS_EXPIRED_ERROR, and the printed reset gives a secret that works', async () => {
    const sp = await admin.createServicePrincipal('seed-expired-secret');
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    const day = 86_400_000;
    const expired = await admin.ok<{ secretText: string }>('POST', `/v1.0/servicePrincipals/${sp.objectId}/addPassword`, {
      passwordCredential: {
        displayName: 'old',
        startDateTime: new Date(Date.now() - 2 * day).toISOString(),
        endDateTime: new Date(Date.now() - day).toISOString(),
      },
    });
    const credential = (secret: string) => servicePrincipalCredential(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: secret });
    await play({
      name: 'service principal secret expired (check-pull)',
      client: (_s, out) => sdkResult(() => sdkPull(credential(out ? (JSON.parse(out) as { password: string }).password : expired.secretText))),
      clientText: 'AADSTS7000222',
      check: ['check-pull', '-n', 'wharf', '--repository', 'app', '--service-principal', sp.appId, '--secret', expired.secretText],
      code: 'CREDENTIALS_EXPIRED_ERROR',
      cause: /AADSTS7000222/,
      inspect: (f) => assert.deepEqual(f.commands, [`wharf sp credential reset --id ${sp.appId} --append`]),
    });
  });

  test('a repository token with a wrong password (check-pull): its token is named, and the printed new password1 logs skopeo in', async () => {
    await admin.createToken('seed-ci', ['repositories/app/content/read']);
    await play({
      name: 'repository token, wrong password (check-pull)',
      client: (s, out) =>
        inspect(
          s,
          `seed-ci:${out ? (JSON.parse(out) as { passwords: { name: string; value: string }[] }).passwords.find((p) => p.name === 'password1')!.value : 'not-the-password'}`,
        ),
      clientText: 'invalid username/password',
      check: ['check-pull', '-n', 'wharf', '--repository', 'app', '--username', 'seed-ci', '--password', 'not-the-password'],
      code: 'CONNECTIVITY_ACCESS_TOKEN_ERROR',
      cause: /^Token 'seed-ci' of registry 'wharf' was refused: the password is neither its password1 nor its password2/,
      inspect: (f) => assert.deepEqual(f.commands, ['wharf token credential generate -n seed-ci -r wharf --password1']),
    });
  });

  test('an expired token password: CREDENTIALS_EXPIRED_ERROR, and the printed generate gives one that works', async () => {
    const password = await admin.createToken('seed-old', ['repositories/app/content/read'], new Date(Date.now() + 1500).toISOString());
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await play({
      name: 'repository token password expired',
      client: (s, out) =>
        inspect(
          s,
          `seed-old:${out ? (JSON.parse(out) as { passwords: { name: string; value: string }[] }).passwords.find((p) => p.name === 'password1')!.value : password}`,
        ),
      clientText: 'unauthorized',
      check: ['check-health', '-n', 'wharf', '--skip-environment', '--username', 'seed-old', '--password', password, '--repository', 'app', '--image', 'v1'],
      code: 'CREDENTIALS_EXPIRED_ERROR',
      cause: /expired/,
      inspect: (f) => assert.deepEqual(f.commands, ['wharf token credential generate -n seed-old -r wharf --password1 --expiration-in-days 90']),
    });
  });

  test('an identity without Reader on the registry: the cause says it may exist, and the printed grant (by an owner) makes it visible', async () => {
    const sp = await admin.createServicePrincipal('seed-no-reader');
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    const spHome = tempDir('seed-sp-home');
    const loggedIn = await runWharfCli(
      spHome,
      [
        'login',
        '--server',
        w.baseUrl,
        '--ca-file',
        w.caFile!,
        '--tenant',
        admin.owner.tenantId,
        '--client-id',
        sp.appId,
        '--client-secret-stdin',
        '--subscription',
        admin.owner.subscriptionId,
      ],
      { input: sp.secret },
    );
    assert.equal(loggedIn.code, 0, loggedIn.stdout + loggedIn.stderr);
    const arm = new ContainerRegistryManagementClient(
      servicePrincipalCredential(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret }),
      admin.owner.subscriptionId,
      {
        endpoint: w.baseUrl,
        ...sdkClientOptions(w),
      },
    );
    const sandboxHome = home;
    home = spHome;
    try {
      await play({
        name: 'no Reader role on the registry (az acr show / the management SDK)',
        client: () => sdkResult(() => arm.registries.get(admin.owner.resourceGroup, 'wharf')),
        clientText: /wharf/,
        check: ['check-health', '-n', 'wharf', '--skip-environment'],
        code: 'LOGIN_SERVER_ERROR',
        cause: new RegExp(`either none has that name, or your identity has no role on it that lets it read the registry \\(Reader`),
        fixHome: () => sandboxHome,
        inspect: (f) => assert.deepEqual(f.commands, [`wharf role assignment create --assignee ${sp.appId} --role Reader -r wharf`]),
      });
    } finally {
      home = sandboxHome;
    }
  });
});

describe('seed scenarios, network guide (seeds 000, 002–004)', () => {
  test('the login server resolves to an address where something else never answers: the timeout names that address', async () => {
    const silent = await startSilentServer('127.0.0.9', w.port);
    closers.push(silent);
    const sandbox = scenarioSandbox(`127.0.0.9 ${LOGIN_HOST}`, home);
    const broken = await inspect(sandbox, `wharf:${adminPassword}`, ['--command-timeout', '3s']);
    assert.notEqual(broken.code, 0);
    const checked = await runCheck(sandbox, ['check-health', '-n', 'wharf', '--skip-environment', '--timeout', '2']);
    const finding = pick(checked.report, 'CONNECTIVITY_TIMEOUT_ERROR');
    assert.equal(finding.message, `No answer from ${LOGIN_HOST} (127.0.0.9:${w.port}) within 2 s.`);
    assert.ok(finding.fix!.includes(`Check what answers at 127.0.0.9:${w.port}`), finding.fix);
    table.push({
      name: 'login server resolves to a wrong address (silent)',
      clientText: clientLine(broken),
      code: finding.code!,
      cause: finding.cause!,
      fix: finding.fix!,
      ran: [],
      fixWorked: 'no command',
    });
    await silent.close();
  });

  test('firewall: the client address is not allowed; the printed network rule lets skopeo in', async () => {
    await setRules({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] } });
    try {
      await play({
        name: 'client IP not in the firewall rules (403)',
        client: (s) => inspect(s, `wharf:${adminPassword}`),
        clientText: '403',
        check: ['check-health', '-n', 'wharf', '--skip-environment'],
        code: 'CONNECTIVITY_FORBIDDEN_ERROR',
        cause: /firewall of registry 'wharf' denies your address 127\.0\.0\.1/,
        inspect: (f) => {
          assert.equal(f.details?.decision, 'defaultAction:Deny');
          assert.deepEqual(f.commands, ['wharf network-rule add -n wharf --ip-address 127.0.0.1']);
        },
      });
    } finally {
      await setRules(OPEN);
    }
  });

  test('public network access disabled, clients on the public endpoint: the printed update reopens it', async () => {
    await setRules({ publicNetworkAccess: 'Disabled' });
    try {
      await play({
        name: 'public network access disabled (403 on the public endpoint)',
        client: (s) => inspect(s, `wharf:${adminPassword}`),
        clientText: '403',
        check: ['check-health', '-n', 'wharf', '--skip-environment'],
        code: 'CONNECTIVITY_FORBIDDEN_ERROR',
        cause: /Public network access of registry 'wharf' is disabled/,
        inspect: (f) => {
          assert.equal(f.details?.decision, 'publicNetworkAccess:Disabled');
          assert.deepEqual(f.commands, ['wharf update -n wharf --public-network-enabled true']);
        },
      });
    } finally {
      await setRules(OPEN);
    }
  });

  test('data endpoints on, their name without a record: DATA_ENDPOINT_DNS_ERROR, and the printed hosts line lets skopeo fetch blobs', async () => {
    await admin.updateRegistry({ dataEndpointEnabled: true });
    const dataHost = `wharf.local.data.${DOMAIN}`;
    try {
      await play({
        name: 'data endpoint without a DNS record (client firewall/DNS allows the login server only)',
        client: (s) => copyOut(s, `wharf:${adminPassword}`),
        clientText: `lookup ${dataHost}`,
        check: ['check-health', '-n', 'wharf', '--skip-environment', '--repository', 'app', '--image', 'v1'],
        code: 'DATA_ENDPOINT_DNS_ERROR',
        cause: new RegExp(`dedicated data endpoint ${dataHost.replace(/\./g, '\\.')}`),
        inspect: (f) => {
          const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
          assert.deepEqual(f.commands, [`echo '127.0.0.1 ${dataHost}' | ${sudo}tee -a /etc/hosts`]);
        },
      });
    } finally {
      await admin.updateRegistry({ dataEndpointEnabled: false });
    }
  });

  test('a trusted service pulling with its managed identity through the firewall: check-pull agrees with the SDK', async () => {
    const mi = await admin.ok<{ properties: { clientId: string; principalId: string } }>(
      'PUT',
      admin.resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'seed-tasks'),
      { location: 'local' },
    );
    await admin.assignRole(mi.properties.principalId, ROLE.AcrPull);
    await admin.ok('PUT', `/subscriptions/${admin.owner.subscriptionId}/providers/Wharf.Network/trustedServices/seed-tasks`, {
      properties: { principalId: mi.properties.principalId, serviceType: 'Tasks' },
    });
    await setRules({
      networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] },
      networkRuleBypassOptions: 'AzureServices',
    });
    try {
      await play({
        name: 'trusted service, managed identity, firewall on (the SDK pulls)',
        client: () =>
          eventually(
            () =>
              sdkResult(() => sdkPull(managedIdentityCredential(w, { clientId: mi.properties.clientId }))).then((r) => {
                if (r) throw new Error(r.message);
                return r;
              }),
            6000,
          ),
        clientText: '',
        check: ['check-pull', '-n', 'wharf', '--repository', 'app', '--managed-identity', '--client-id', mi.properties.clientId],
        code: null,
      });
    } finally {
      await setRules(OPEN);
    }
  });

  test('a managed identity that is not a trusted service, firewall on: FORBIDDEN only after the identity is presented; the rule fixes it', async () => {
    const mi = await admin.ok<{ properties: { clientId: string; principalId: string } }>(
      'PUT',
      admin.resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'seed-stranger'),
      { location: 'local' },
    );
    await admin.assignRole(mi.properties.principalId, ROLE.AcrPull);
    await setRules({
      networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] },
      networkRuleBypassOptions: 'AzureServices',
    });
    try {
      await play({
        name: 'managed identity not a trusted service, firewall on',
        client: () => sdkResult(() => sdkPull(managedIdentityCredential(w, { clientId: mi.properties.clientId }))),
        clientText: "client with IP '127.0.0.1' is not allowed access",
        check: ['check-pull', '-n', 'wharf', '--repository', 'app', '--managed-identity', '--client-id', mi.properties.clientId],
        code: 'CONNECTIVITY_FORBIDDEN_ERROR',
        findingCheck: 'token-exchange',
        cause: /denies your address 127\.0\.0\.1/,
        inspect: (f, report) => {
          assert.ok(
            report.findings.some((x) => x.check === 'sign-in' && x.level === 'ok'),
            'the identity signed in before the refusal',
          );
          assert.deepEqual(f.commands, ['wharf network-rule add -n wharf --ip-address 127.0.0.1']);
        },
      });
    } finally {
      await setRules(OPEN);
    }
  });

  test('a Pending private endpoint connection: named as such (not the public endpoint), and the printed approval lets skopeo in', async () => {
    await setRules({ publicNetworkAccess: 'Disabled' });
    const id = admin.resourceId('Microsoft.Network/privateEndpoints', 'seed-pending');
    const subnet = `${admin.resourceId('Microsoft.Network/virtualNetworks', 'clients-vnet')}/subnets/endpoints`;
    await admin.ok('PUT', id, admin.privateEndpointBody(subnet, { manual: true, address: '127.0.9.5' }));
    try {
      await play({
        name: 'private endpoint connection Pending',
        hosts: `127.0.9.5 ${LOGIN_HOST}`,
        client: (s) => inspect(s, `wharf:${adminPassword}`),
        clientText: '403',
        check: ['check-health', '-n', 'wharf', '--skip-environment'],
        code: 'PRIVATE_ENDPOINT_CONNECTION_ERROR',
        cause: /through private endpoint 'seed-pending' \(127\.0\.9\.5:\d+\), whose connection is Pending/,
        inspect: (f) => {
          assert.doesNotMatch(f.fix!, /public-network-enabled/);
          assert.equal(f.details?.decision, 'privateEndpoint');
          assert.match(f.commands![0]!, /^wharf private-endpoint-connection approve -r wharf -n seed-pending\.[0-9a-f]+$/);
        },
      });
    } finally {
      await admin.ok('DELETE', id).catch(() => {});
      await setRules(OPEN);
    }
  });

  test('--vnet while the connection is Pending: approve first (not the DNS records), then the printed records; no data endpoint error with data endpoints off', async () => {
    await setRules({ publicNetworkAccess: 'Disabled' });
    const id = admin.resourceId('Microsoft.Network/privateEndpoints', 'seed-branch');
    const subnet = `${admin.resourceId('Microsoft.Network/virtualNetworks', 'branch-vnet')}/subnets/endpoints`;
    await admin.ok('PUT', id, admin.privateEndpointBody(subnet, { manual: true, address: '127.1.9.4' }));
    try {
      await play({
        name: '--vnet, private endpoint connection Pending, no DNS records yet',
        hosts: '',
        client: (s) => inspect(s, `wharf:${adminPassword}`),
        clientText: `lookup ${LOGIN_HOST}`,
        check: ['check-health', '-n', 'wharf', '--skip-environment', '--vnet', 'branch-vnet', '--ignore-errors'],
        code: 'PRIVATE_ENDPOINT_CONNECTION_ERROR',
        findingCheck: 'private-endpoint',
        cause: /connection of private endpoint 'seed-branch' in branch-vnet to registry 'wharf' is Pending/,
        inspect: (f) => assert.match(f.commands![0]!, /^wharf private-endpoint-connection approve -r wharf -n seed-branch\.[0-9a-f]+$/),
        then: {
          code: 'PRIVATE_ENDPOINT_DNS_ERROR',
          inspect: (f, report) => {
            assert.deepEqual(
              (f.details?.mismatches as { fqdn: string }[]).map((m) => m.fqdn),
              [LOGIN_HOST],
            );
            assert.ok(!report.findings.some((x) => x.code === 'DATA_ENDPOINT_DNS_ERROR'), 'data endpoints are off');
            const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
            assert.deepEqual(f.commands, [`wharf private-dns -n wharf --format hosts | ${sudo}tee -a /etc/hosts`]);
          },
        },
      });
    } finally {
      await admin.ok('DELETE', id).catch(() => {});
      await setRules(OPEN);
    }
  });

  test("a private endpoint whose listener failed (address in use): named with the server's cause; freeing the address lets skopeo in", async () => {
    const occupier: FaultServer = await startSilentServer('127.0.9.7', w.port);
    closers.push(occupier);
    const id = admin.resourceId('Microsoft.Network/privateEndpoints', 'seed-busy');
    const subnet = `${admin.resourceId('Microsoft.Network/virtualNetworks', 'clients-vnet')}/subnets/endpoints`;
    await admin.ok('PUT', id, admin.privateEndpointBody(subnet, { address: '127.0.9.7' }));
    try {
      await play({
        name: 'private endpoint listener failed (address in use)',
        hosts: `127.0.9.7 ${LOGIN_HOST}`,
        client: (s, out) => inspect(s, `wharf:${adminPassword}`, out === undefined ? ['--command-timeout', '3s'] : []),
        clientText: /deadline|timeout|EOF/i,
        check: ['check-health', '-n', 'wharf', '--skip-environment', '--timeout', '2'],
        code: 'PRIVATE_ENDPOINT_LISTENER_ERROR',
        cause: /listener of private endpoint 'seed-busy' failed: .*EADDRINUSE/,
        inspect: (f) => assert.deepEqual(f.commands, [`ss -ltnp 'src 127.0.9.7:${w.port}'`]),
        // The user stops what the printed command showed holding the address.
        afterFix: () => occupier.close(),
      });
    } finally {
      await admin.ok('DELETE', id).catch(() => {});
    }
  });
});
