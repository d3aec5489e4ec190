/**
 * `wharf check-pull` (the job of `az aks check-acr`) against a real Wharf: a service principal,
 * a managed identity (Wharf's IMDS-compatible endpoint) and a repository-scoped token each
 * sign in for real, run the real exchange and `/oauth2/token` for `repository:REPO:pull`, and
 * the verdict is read from the granted access — without pulling a layer. Causes reproduced:
 * a missing role (then fixed with the printed command), an expired client secret, a wrong
 * token password, a repository that does not exist, an address that does not resolve; and
 * the success line, in English, French, Polish, Swedish and Portuguese.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Finding, Report } from '../../src/cli/checks/report.js';
import { ClientSandbox, ok } from '../helpers/clients.js';
import { eventually } from '../helpers/eventually.js';
import { runWharfCliWithHosts } from '../helpers/fault-servers.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { tempDir } from '../helpers/tmp.js';
import { ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli } from '../helpers/wharf-cli.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const DOMAIN = 'wharf.test';
const LOGIN_HOST = `wharf.${DOMAIN}`;
const HOSTS = `127.0.0.1 ${LOGIN_HOST}`;

let w: WharfServer;
let admin: WharfAdmin;
let home: string;
let login: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function checkPull(args: string[], env: Record<string, string> = {}, hosts = HOSTS): Promise<Run> {
  return runWharfCliWithHosts(home, ['check-pull', '-n', 'wharf', ...args], { hosts, env });
}

async function report(args: string[], env: Record<string, string> = {}, hosts = HOSTS): Promise<{ run: Run; report: Report }> {
  const run = await checkPull([...args, '--output', 'json'], env, hosts);
  try {
    return { run, report: JSON.parse(run.stdout) as Report };
  } catch {
    return assert.fail(`no report (exit ${run.code})\n${run.stdout}\n${run.stderr}`);
  }
}

async function failedWith(args: string[], code: string, env: Record<string, string> = {}, hosts = HOSTS): Promise<Finding> {
  const { run, report: r } = await report(args, env, hosts);
  const errors = r.findings.filter((f) => f.level === 'error');
  assert.deepEqual(
    errors.map((f) => f.code),
    [code],
    JSON.stringify(r.findings, null, 2),
  );
  assert.equal(run.code, 1);
  return errors[0]!;
}

function includes(text: string | undefined, part: string): void {
  assert.ok(text?.includes(part), `expected\n  ${text}\nto contain\n  ${part}`);
}

before(async () => {
  w = await startWharf({ secure: true, domain: DOMAIN });
  admin = new WharfAdmin(w);
  const password = await admin.enableAdmin();
  const image = buildImageLayout({ layers: 1, layerSize: 512 });
  ok(await new ClientSandbox().skopeo(['copy', '--dest-cert-dir', w.caDir!, '--dest-creds', `wharf:${password}`, image.ref, `docker://${w.host}/app:v1`]));
  home = tempDir('pull-home');
  const loggedIn = await runWharfCli(home, ['login', '--data', w.dataDir, '--server', w.baseUrl]);
  assert.equal(loggedIn.code, 0, loggedIn.stderr);
  login = `${LOGIN_HOST}:${w.port}`;
});

after(async () => {
  await w?.stop();
});

describe('service principals', () => {
  test('no role: PERMISSION_DENIED_ERROR with the role assignment to run (pl); after running it the identity can pull (en, fr)', async () => {
    const sp = await admin.createServicePrincipal('puller-sp');
    const args = ['--repository', 'app', '--service-principal', sp.appId, '--secret', sp.secret];

    const denied = await failedWith([...args, '--lang', 'pl'], 'PERMISSION_DENIED_ERROR');
    assert.equal(denied.message, 'Token dostępu nie daje żadnych uprawnień do repository:app:pull.');
    includes(denied.cause, `„${sp.appId}” nie ma roli, która pozwala na pull dla app w rejestrze „wharf”`);
    includes(denied.fix, `wharf role assignment create --assignee ${sp.appId} --role AcrPull -r wharf --repository app`);

    const assigned = await runWharfCli(home, [
      'role',
      'assignment',
      'create',
      '--assignee',
      sp.appId,
      '--role',
      'AcrPull',
      '-r',
      'wharf',
      '--repository',
      'app',
    ]);
    assert.equal(assigned.code, 0, assigned.stderr);
    const english = await eventually(async () => {
      const run = await checkPull(args);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      return run;
    }, 6000);
    for (const line of [
      `DNS lookup to ${LOGIN_HOST} at IP 127.0.0.1 : OK`,
      `Sign-in of ${sp.appId} at the identity plane : OK`,
      `Fetch refresh token for registry '${login}' : OK`,
      'Access token for repository:app:pull grants pull : OK',
      `Your identity can pull app from ${login}`,
    ]) {
      assert.ok(english.stdout.includes(line), `missing: ${line}\n${english.stdout}`);
    }
    assert.match(english.stdout, /^Access token for repository:app:pull grants pull(,metadata_read)? : OK$/m);
    const french = await checkPull(args, { LANG: 'fr_FR.UTF-8' });
    assert.equal(french.code, 0, french.stdout);
    assert.ok(french.stdout.includes(`Votre identité peut tirer app depuis ${login}`), french.stdout);

    // A repository the identity may read but that does not exist.
    const missing = await failedWith(
      ['--repository', 'nothere', '--service-principal', sp.appId, '--secret', sp.secret, '--lang', 'sv'],
      'PERMISSION_DENIED_ERROR',
    );
    includes(missing.fix, '--repository nothere');
  });

  test('expired client secret: CREDENTIALS_EXPIRED_ERROR with the reset command (fr, en)', async () => {
    const sp = await admin.createServicePrincipal('expired-sp');
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    // A secret that was valid yesterday and the day before.
    const day = 86_400_000;
    const expired = await admin.ok<{ secretText: string }>('POST', `/v1.0/servicePrincipals/${sp.objectId}/addPassword`, {
      passwordCredential: {
        displayName: 'old',
        startDateTime: new Date(Date.now() - 2 * day).toISOString(),
        endDateTime: new Date(Date.now() - day).toISOString(),
      },
    });
    const args = ['--repository', 'app', '--service-principal', sp.appId, '--secret', expired.secretText];
    const fr = await failedWith(args, 'CREDENTIALS_EXPIRED_ERROR', { LANG: 'fr_FR.UTF-8' });
    assert.equal(fr.message, `Les informations d’identification de « ${sp.appId} » ont expiré.`);
    includes(fr.cause, 'AADSTS7000222');
    includes(fr.fix, `wharf sp credential reset --id ${sp.appId} --append`);
    const en = await failedWith(args, 'CREDENTIALS_EXPIRED_ERROR');
    includes(en.fix, `Issue a new client secret and give it to the workload: wharf sp credential reset --id ${sp.appId} --append`);
  });

  test('registry-wide AcrPull and a repository that does not exist: IMAGE_NOT_FOUND_ERROR (fr)', async () => {
    const sp = await admin.createServicePrincipal('wide-sp');
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    const missing = await eventually(
      () => failedWith(['--repository', 'nothere', '--service-principal', sp.appId, '--secret', sp.secret], 'IMAGE_NOT_FOUND_ERROR', { LANG: 'fr_FR.UTF-8' }),
      6000,
    );
    assert.equal(missing.message, `Le dépôt « nothere » est introuvable dans le registre « ${login} ».`);
    includes(missing.fix, 'wharf repository list -n wharf');
  });
});

describe('managed identities and tokens', () => {
  test("a user-assigned managed identity from Wharf's IMDS endpoint: denied without a role (en), can pull with AcrPull (pt-BR)", async () => {
    const path = admin.resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'puller-mi');
    const mi = await admin.ok<{ properties: { clientId: string; principalId: string } }>('PUT', path, { location: 'local' });
    const args = ['--repository', 'app', '--managed-identity', '--client-id', mi.properties.clientId];

    const denied = await failedWith(args, 'PERMISSION_DENIED_ERROR');
    includes(denied.cause, `'${mi.properties.clientId}' has no role that allows pull on app in registry 'wharf'`);
    includes(denied.fix, `wharf role assignment create --assignee ${mi.properties.principalId} --role AcrPull -r wharf --repository app`);

    await admin.assignRole(mi.properties.principalId, ROLE.AcrPull);
    const pt = await eventually(async () => {
      const run = await checkPull([...args, '--lang', 'pt-BR']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      return run;
    }, 6000);
    assert.ok(pt.stdout.includes(`Sua identidade pode baixar app de ${login}`), pt.stdout);
  });

  test('a repository-scoped token: can pull its repository (sv); a wrong password is CONNECTIVITY_ACCESS_TOKEN_ERROR (pl)', async () => {
    const password = await admin.createToken('ci-token', ['repositories/app/content/read']);
    const allowed = await checkPull(['--repository', 'app', '--username', 'ci-token', '--password', password, '--lang', 'sv']);
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.ok(allowed.stdout.includes(`Din identitet kan hämta app från ${login}`), allowed.stdout);

    const wrong = await failedWith(
      ['--repository', 'app', '--username', 'ci-token', '--password', 'not-the-password', '--lang', 'pl'],
      'CONNECTIVITY_ACCESS_TOKEN_ERROR',
    );
    includes(wrong.message, `Odmówiono dostępu do rejestru „${login}”. Kod odpowiedzi: 401.`);
    includes(wrong.cause, 'invalid username or password');
    includes(wrong.fix, 'wharf token credential generate -n ci-token -r wharf');
  });

  test('--address that does not resolve, then one whose certificate is for another name: DNS and SSL errors before any credential is sent (fr, pl)', async () => {
    const dns = await failedWith(['--repository', 'app', '--address', `registry.internal.test:${w.port}`], 'CONNECTIVITY_DNS_ERROR', { LANG: 'fr_FR.UTF-8' });
    includes(dns.cause, 'Le nom registry.internal.test ne se résout pas');

    // The name resolves to the registry, but its certificate does not list it.
    const mismatch = await failedWith(
      ['--repository', 'app', '--address', `registry.internal.test:${w.port}`, '--lang', 'pl'],
      'CONNECTIVITY_SSL_ERROR',
      {},
      `${HOSTS}\n127.0.0.1 registry.internal.test`,
    );
    assert.match(mismatch.cause!, /^Certyfikat \(wystawiony przez „Wharf local CA[^”]*”\) dotyczy .*wharf\.wharf\.test.*, a nie registry\.internal\.test\.$/);
    includes(mismatch.fix, 'serwerem logowania registry.internal.test');
  });
});

describe('throttling (last: it shuts this identity out at this address for the window)', () => {
  test('too many failed sign-ins from the address: CONNECTIVITY_TOOMANYREQUESTS_ERROR with the wait (fr, en)', async () => {
    // Failed logins from 127.0.0.1, as a script with a stale password would make them.
    let last = 0;
    for (let i = 0; i < 12 && last !== 429; i++) {
      const refused = await w.request('/oauth2/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          service: LOGIN_HOST,
          scope: 'repository:app:pull',
          username: 'ci-token',
          password: `stale-${i}`,
        }).toString(),
      });
      last = refused.status;
    }
    assert.equal(last, 429);
    const args = ['--repository', 'app', '--username', 'ci-token', '--password', 'stale'];
    // The identity is locked for this address only: the registry's token server refuses it (and nothing else).
    const fr = await failedWith(args, 'CONNECTIVITY_TOOMANYREQUESTS_ERROR', { LANG: 'fr_FR.UTF-8' });
    assert.match(fr.message!, /^Le registre « [^»]+ » limite vos demandes de jetons \(HTTP 429\)\.$/);
    assert.match(fr.cause!, /identity 'ci-token' from address 127\.0\.0\.1/);
    assert.match(fr.cause!, /^Trop de connexions échouées sont venues de votre adresse ; réessayez dans \d+ s/);
    const en = await failedWith(args, 'CONNECTIVITY_TOOMANYREQUESTS_ERROR');
    assert.match(en.fix!, /^Wait \d+ s, then fix the clients at your address that sign in with wrong credentials \(wharf logs -r wharf --failures/);
  });
});
