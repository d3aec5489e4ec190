/**
 * `wharf check-health` against a real Wharf, each cause of the seeds reproduced for real and the
 * reported code, cause and fix asserted in at least two languages (LANG=fr_FR.UTF-8 and --lang
 * pl, some in English or the others): wrong registry name, provider not registered, DNS failure,
 * refused connection, a server that never answers, untrusted TLS (another CA), proxies that
 * refuse or intercept CONNECT, expiring and expired credentials, a missing permission, blocked
 * data endpoints, firewall deny, public access disabled, private endpoint DNS pointing elsewhere;
 * plus all-OK runs. The CLI runs as a child process with its own /etc/hosts (unshare -m), so
 * the login server `wharf.wharf.test` resolves only as each test says. One server for the file;
 * network changes come last.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Finding, Report } from '../../src/cli/checks/report.js';
import { sudoPrefix } from '../../src/cli/checks/privilege.js';
import { startClientProxy, type ClientProxy } from '../helpers/client-proxies.js';
import { ClientSandbox, ok } from '../helpers/clients.js';
import { eventually } from '../helpers/eventually.js';
import { otherCaCertificate, runWharfCliWithHosts, startFaultProxy, startOtherCaServer, startSilentServer } from '../helpers/fault-servers.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli } from '../helpers/wharf-cli.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const DOMAIN = 'wharf.test';
const LOGIN_HOST = `wharf.${DOMAIN}`;
const HOSTS = `127.0.0.1 ${LOGIN_HOST}`;
const FR = { LANG: 'fr_FR.UTF-8' };
/** Fixes that need root say `sudo ` only to a user who is not root and has sudo (as root here: nothing). */
const SUDO = process.getuid?.() === 0 ? '' : sudoPrefix(process.env);
/** Preloaded into the CLI to move its clock (test/helpers/clock-shift.ts). */
const CLOCK_SHIFT = fileURLToPath(new URL('../helpers/clock-shift.js', import.meta.url));

let w: WharfServer;
let admin: WharfAdmin;
/** WHARF_HOME of the CLI, logged in as the bootstrap owner. */
let home: string;
let login: string;
const closers: { close(): Promise<void> }[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Report;
}

/** `wharf check-health -n wharf … -o json` with `hosts` as /etc/hosts; the Report it printed. */
async function health(args: string[], opts: { hosts?: string; env?: Record<string, string>; home?: string } = {}): Promise<Run> {
  const result = await runWharfCliWithHosts(opts.home ?? home, ['check-health', '--skip-environment', ...args, '--output', 'json'], {
    hosts: opts.hosts ?? HOSTS,
    env: opts.env,
  });
  let report: Report;
  try {
    report = JSON.parse(result.stdout) as Report;
  } catch {
    assert.fail(`check-health printed no report (exit ${result.code})\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`);
  }
  return { ...result, report };
}

/** The one error finding of `run`, which must have failed with exactly `code`. */
function failedWith(run: Run, code: string): Finding {
  const errors = run.report.findings.filter((f) => f.level === 'error');
  assert.deepEqual(
    errors.map((f) => f.code),
    [code],
    JSON.stringify(run.report.findings, null, 2),
  );
  assert.equal(run.code, 1);
  assert.equal(run.report.ok, false);
  return errors[0]!;
}

function includes(text: string | undefined, part: string): void {
  assert.ok(text?.includes(part), `expected\n  ${text}\nto contain\n  ${part}`);
}

function passed(run: Run): void {
  assert.equal(run.code, 0, JSON.stringify(run.report.findings, null, 2) + run.stderr);
  assert.equal(run.report.ok, true);
}

before(async () => {
  w = await startWharf({ secure: true, domain: DOMAIN });
  admin = new WharfAdmin(w);
  await admin.ok('PATCH', admin.registryId, { sku: { name: 'Premium' } });
  const password = await admin.enableAdmin();
  const image = buildImageLayout({ layers: 2, layerSize: 1024 });
  ok(await new ClientSandbox().skopeo(['copy', '--dest-cert-dir', w.caDir!, '--dest-creds', `wharf:${password}`, image.ref, `docker://${w.host}/app:v1`]));
  home = tempDir('health-home');
  const loggedIn = await runWharfCli(home, ['login', '--data', w.dataDir, '--server', w.baseUrl]);
  assert.equal(loggedIn.code, 0, loggedIn.stderr);
  login = `${LOGIN_HOST}:${w.port}`;
});

after(async () => {
  for (const closer of closers) await closer.close();
  await w?.stop();
});

describe('all checks pass', () => {
  test('text like az: every step OK, in English and in French, the smallest blob pulled, the guide named', async () => {
    const english = await runWharfCliWithHosts(home, ['check-health', '-n', 'wharf', '--repository', 'app', '--image', 'v1'], { hosts: HOSTS });
    assert.equal(english.code, 0, english.stdout + english.stderr);
    for (const line of [
      `Registry 'wharf' found, login server ${login} : OK`,
      `DNS lookup to ${LOGIN_HOST} at IP 127.0.0.1 : OK`,
      `TCP connection to 127.0.0.1:${w.port} : OK`,
      `Challenge endpoint https://${login}/v2/ : OK`,
      `Fetch refresh token for registry '${login}' : OK`,
      `Fetch access token for registry '${login}' : OK`,
      `Blobs referenced by tag 'v1' can be pulled from registry '${login}' : OK`,
      'Please refer to docs/en/troubleshoot-network.md and docs/en/troubleshoot-login.md for more information.',
    ]) {
      assert.ok(english.stdout.includes(line), `missing line: ${line}\n${english.stdout}`);
    }
    assert.match(english.stdout, /^TLS handshake with wharf\.wharf\.test \(certificate issued by Wharf local CA[^)]*\) : OK$/m);
    assert.match(english.stdout, /^(docker|podman|skopeo) version: /m, 'the environment is reported');

    const french = await runWharfCliWithHosts(home, ['check-health', '-n', 'wharf', '--repository', 'app', '--image', 'v1', '--skip-environment'], {
      hosts: HOSTS,
      env: FR,
    });
    assert.equal(french.code, 0, french.stdout);
    assert.ok(french.stdout.includes(`Recherche DNS de ${LOGIN_HOST} à l’adresse IP 127.0.0.1 : OK`), french.stdout);
    assert.ok(french.stdout.includes(`Les blobs référencés par l’étiquette « v1 » peuvent être tirés du registre « ${login} » : OK`), french.stdout);
    assert.ok(french.stdout.includes('docs/fr/troubleshoot-network.md'), french.stdout);
  });
});

describe('the registry itself', () => {
  test('wrong registry name: LOGIN_SERVER_ERROR naming the close name and the command with it (fr, pl)', async () => {
    const fr = failedWith(await health(['-n', 'wharff'], { env: FR }), 'LOGIN_SERVER_ERROR');
    includes(fr.message, 'Une erreur s’est produite lors de la récupération du serveur de connexion du registre « wharff »');
    includes(fr.cause, 'Aucun registre nommé « wharff »');
    includes(fr.cause, 'noms proches : wharf.');
    assert.equal(fr.fix, 'Utilisez le bon nom : wharf check-health -n wharf');
    assert.equal(fr.details?.docs, 'docs/fr/health-errors.md#login_server_error');

    const pl = failedWith(await health(['-n', 'wharff', '--lang', 'pl']), 'LOGIN_SERVER_ERROR');
    includes(pl.cause, 'nie widzisz rejestru o nazwie „wharff”; podobne nazwy: wharf.');
    assert.equal(pl.fix, 'Użyj poprawnej nazwy: wharf check-health -n wharf');
  });

  test('provider not registered: a profile on a subscription without Microsoft.ContainerRegistry (fr, pl)', async () => {
    const alias = await admin.ok<{ properties: { subscriptionId: string } }>('PUT', '/providers/Microsoft.Subscription/aliases/health-team', {
      properties: { displayName: 'Health team', workload: 'Production' },
    });
    const second = alias.properties.subscriptionId;
    const teamHome = tempDir('health-team-home');
    const loggedIn = await runWharfCli(teamHome, ['login', '--data', w.dataDir, '--server', w.baseUrl, '--subscription', second]);
    assert.equal(loggedIn.code, 0, loggedIn.stderr);
    const first = admin.owner.subscriptionId;

    const fr = failedWith(await health(['-n', 'wharf'], { env: FR, home: teamHome }), 'PROVIDER_NOT_REGISTERED_ERROR');
    assert.equal(fr.message, `Le fournisseur de ressources Microsoft.ContainerRegistry est à l’état NotRegistered dans l’abonnement ${second}.`);
    includes(fr.cause, `Le registre « wharf » se trouve dans l’abonnement ${first}`);
    includes(fr.fix, `wharf login … --subscription ${first}`);
    includes(fr.fix, `wharf provider register --namespace Microsoft.ContainerRegistry --subscription ${second} --wait`);

    const pl = failedWith(await health(['-n', 'wharf', '--lang', 'pl'], { home: teamHome }), 'PROVIDER_NOT_REGISTERED_ERROR');
    includes(pl.cause, `Rejestr „wharf” znajduje się w subskrypcji ${first}`);
  });
});

describe('the path to the login server', () => {
  test('DNS failure: the login server has no record (fr, pl); the hosts line the fix prints makes it pass', async () => {
    const fr = failedWith(await health(['-n', 'wharf'], { hosts: '', env: FR }), 'CONNECTIVITY_DNS_ERROR');
    includes(fr.message, `Impossible d’atteindre le DNS pour le registre « ${LOGIN_HOST} »`);
    includes(fr.cause, `Le nom ${LOGIN_HOST} ne se résout pas`);
    includes(fr.fix, `echo '127.0.0.1 ${LOGIN_HOST}' | ${SUDO}tee -a /etc/hosts`);

    const pl = failedWith(await health(['-n', 'wharf', '--lang', 'pl'], { hosts: '' }), 'CONNECTIVITY_DNS_ERROR');
    includes(pl.cause, `Nazwa ${LOGIN_HOST} nie daje się rozwiązać`);

    passed(await health(['-n', 'wharf'], { hosts: `127.0.0.1 ${LOGIN_HOST}` }));
  });

  test('refused, never answering, another CA: TCP, TIMEOUT and SSL errors that name what answered (pl, fr)', async () => {
    // Nothing listens at 127.0.0.7.
    const refused = failedWith(await health(['-n', 'wharf', '--lang', 'pl'], { hosts: `127.0.0.7 ${LOGIN_HOST}` }), 'CONNECTIVITY_TCP_ERROR');
    includes(refused.cause, `Połączenie z 127.0.0.7:${w.port} zostało odrzucone`);
    includes(refused.fix, `wharf show-endpoints -n wharf`);

    // A server that accepts and never answers, where the name points.
    const silent = await startSilentServer('127.0.0.8', w.port);
    closers.push(silent);
    const hung = await health(['-n', 'wharf', '--timeout', '1'], { hosts: `127.0.0.8 ${LOGIN_HOST}`, env: FR });
    const timeout = failedWith(hung, 'CONNECTIVITY_TIMEOUT_ERROR');
    assert.equal(timeout.check, 'tls');
    includes(timeout.message, `Aucune réponse de ${LOGIN_HOST}`);
    includes(timeout.cause, 'La connexion a été acceptée mais personne n’a répondu à la négociation TLS');
    assert.ok(
      hung.report.findings.some((f) => f.check === 'tcp' && f.level === 'ok'),
      'the TCP connection itself worked',
    );
    assert.ok(silent.accepted() >= 1);

    // Another CA's certificate for the registry's name (a wrong DNS answer, a middlebox).
    const other = otherCaCertificate([LOGIN_HOST]);
    const impostor = await startOtherCaServer(other, '127.0.0.9', w.port);
    closers.push(impostor);
    const fr = failedWith(await health(['-n', 'wharf'], { hosts: `127.0.0.9 ${LOGIN_HOST}`, env: FR }), 'CONNECTIVITY_SSL_ERROR');
    includes(fr.message, `Impossible d’établir une connexion sécurisée avec le registre « ${LOGIN_HOST} »`);
    includes(fr.cause, `Le certificat présenté est émis par « ${other.issuer} »`);
    includes(fr.fix, 'wharf ca');
    const pl = failedWith(await health(['-n', 'wharf', '--lang', 'pl'], { hosts: `127.0.0.9 ${LOGIN_HOST}` }), 'CONNECTIVITY_SSL_ERROR');
    includes(pl.cause, `Przedstawiony certyfikat wystawił „${other.issuer}”`);
  });

  test('a client clock 10 minutes ahead: CLOCK_SKEW_ERROR from the Date of the challenge (fr, pl)', async () => {
    const env = { NODE_OPTIONS: `--import=${CLOCK_SHIFT}`, WHARF_TEST_CLOCK_SHIFT_MS: String(10 * 60_000) };
    const fr = failedWith(await health(['-n', 'wharf'], { env: { ...env, ...FR } }), 'CLOCK_SKEW_ERROR');
    assert.match(fr.message, new RegExp(`^Votre horloge diffère de celle de ${login.replace(/\./g, '\\.')} de 60[01] s\\.$`));
    includes(fr.cause, 'un écart de plus de 300 s');
    assert.equal(fr.fix, `Synchronisez votre horloge : ${SUDO}timedatectl set-ntp true (ou chronyc makestep)`);
    assert.deepEqual(fr.commands, [`${SUDO}timedatectl set-ntp true`]);
    const pl = failedWith(await health(['-n', 'wharf', '--lang', 'pl'], { env }), 'CLOCK_SKEW_ERROR');
    includes(pl.fix, `Zsynchronizuj zegar: ${SUDO}timedatectl set-ntp true`);
  });

  test('proxies: a refused CONNECT, a proxy that closes, an intercepting proxy; a working tunnel and NO_PROXY pass (fr, pl, en)', async () => {
    const refusing = await startFaultProxy({ refuse: '403 Forbidden' });
    const closing = await startClientProxy('closing');
    const tunnel = await startClientProxy('tunnel');
    const other = otherCaCertificate([LOGIN_HOST], 'Corporate Inspection CA');
    const inspector = await startOtherCaServer(other, '127.0.0.1');
    const intercepting = await startFaultProxy({ interceptTo: inspector.port });
    closers.push(refusing, closing as ClientProxy, tunnel as ClientProxy, inspector, intercepting);

    // Behind a proxy the client does not resolve the registry: no hosts entry at all.
    const fr = failedWith(await health(['-n', 'wharf'], { hosts: '', env: { ...FR, HTTPS_PROXY: refusing.url } }), 'PROXY_CONNECT_ERROR');
    assert.equal(fr.message, `Le proxy ${refusing.url} n’a pas ouvert de tunnel vers ${login}.`);
    includes(fr.cause, 'a répondu au CONNECT par 403 Forbidden');
    includes(fr.fix, `export NO_PROXY=${LOGIN_HOST},$NO_PROXY`);
    assert.ok(refusing.connects.includes(login), refusing.connects.join(', '));

    const pl = failedWith(await health(['-n', 'wharf', '--lang', 'pl'], { hosts: '', env: { https_proxy: closing.url() } }), 'PROXY_CONNECT_ERROR');
    includes(pl.cause, 'zamknął połączenie bez odpowiedzi na CONNECT');

    const intercepted = failedWith(await health(['-n', 'wharf'], { hosts: '', env: { HTTPS_PROXY: intercepting.url } }), 'CONNECTIVITY_SSL_ERROR');
    assert.equal(
      intercepted.cause,
      `The certificate presented through the proxy ${intercepting.url} is issued by 'Corporate Inspection CA', not by the registry's CA: the proxy intercepts TLS.`,
    );

    const through = await health(['-n', 'wharf'], { hosts: '', env: { HTTPS_PROXY: tunnel.url() } });
    passed(through);
    assert.ok(through.report.findings.some((f) => f.check === 'proxy' && f.level === 'ok'));
    assert.ok(tunnel.connects.includes(login), tunnel.connects.join(', '));

    // NO_PROXY exempts the registry: the refusing proxy is never asked.
    const asked = refusing.connects.length;
    passed(await health(['-n', 'wharf'], { env: { HTTPS_PROXY: refusing.url, NO_PROXY: `.${DOMAIN}` } }));
    assert.equal(refusing.connects.length, asked);
  });
});

describe('credentials and permissions', () => {
  test('a token password about to expire warns, once expired it is CREDENTIALS_EXPIRED_ERROR with the command that renews it (en, fr)', async () => {
    const expiry = new Date(Date.now() + 8000).toISOString();
    const password = await admin.createToken('puller', ['repositories/app/content/read'], expiry);
    const args = ['-n', 'wharf', '--username', 'puller', '--password', password, '--repository', 'app', '--image', 'v1'];

    const warned = await health(args);
    passed(warned);
    const warning = warned.report.findings.find((f) => f.code === 'CREDENTIALS_EXPIRING_WARNING');
    assert.ok(warning, JSON.stringify(warned.report.findings, null, 2));
    includes(warning.message, "The password1 of token 'puller' expires on");
    includes(warning.fix, 'wharf token credential generate -n puller -r wharf --password1');

    await sleep(Math.max(0, Date.parse(expiry) - Date.now() + 500));
    const fr = failedWith(await health(args, { env: FR }), 'CREDENTIALS_EXPIRED_ERROR');
    assert.equal(fr.message, 'Un mot de passe du jeton « puller » a expiré.');
    includes(fr.cause, 'Le serveur a refusé la connexion, car ces informations d’identification ont expiré : ');
    includes(fr.cause, "Password1 of token 'puller' expired at");
    includes(fr.fix, 'wharf token credential generate -n puller -r wharf --password1 --expiration-in-days 90');
  });

  test("the profile's own client secret expiring in 10 days: CREDENTIALS_EXPIRING_WARNING, the checks still pass (sv)", async () => {
    const sp = await admin.createServicePrincipal('ci-reader', new Date(Date.now() + 10 * 86_400_000 + 3_600_000).toISOString());
    // Reader on the subscription: the registry through ARM, pulls, and its own secrets in the directory.
    const subscription = `/subscriptions/${admin.owner.subscriptionId}`;
    await admin.assignRole(sp.objectId, 'acdd72a7-3385-48ef-bd42-f606fba81ae7', subscription);
    const readerHome = tempDir('health-reader-home');
    const args = [
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
    ];
    const loggedIn = await eventually(async () => {
      const r = await runWharfCli(readerHome, args, { input: sp.secret });
      assert.equal(r.code, 0, r.stderr);
      return r;
    }, 5000);
    assert.equal(loggedIn.code, 0);
    const run = await health(['-n', 'wharf', '--lang', 'sv'], { home: readerHome });
    passed(run);
    const warning = run.report.findings.find((f) => f.code === 'CREDENTIALS_EXPIRING_WARNING');
    assert.equal(warning?.level, 'warning', JSON.stringify(run.report.findings, null, 2));
    assert.match(warning!.message, new RegExp(`^Klienthemligheten för ${sp.appId} går ut .* \\(om 10 dagar\\)\\.$`));
    assert.equal(warning!.fix, `Lägg till en ny hemlighet nu och rulla ut den: wharf sp credential reset --id ${sp.appId} --append`);
  });

  test('missing permission: a token whose scope map leaves out the repository gets PERMISSION_DENIED_ERROR naming the scope map (pl, fr)', async () => {
    const password = await admin.createToken('other-reader', ['repositories/other/content/read']);
    const args = ['-n', 'wharf', '--username', 'other-reader', '--password', password, '--repository', 'app', '--image', 'v1'];
    const pl = failedWith(await health([...args, '--lang', 'pl']), 'PERMISSION_DENIED_ERROR');
    assert.equal(pl.message, 'Token dostępu nie daje żadnych uprawnień do repository:app:pull.');
    includes(pl.cause, 'Mapa zakresów tokenu „other-reader” nie pozwala na pull dla app');
    includes(pl.fix, 'wharf scope-map update -n other-reader-scope-map -r wharf --add-repository app content/read');
    const fr = failedWith(await health(args, { env: FR }), 'PERMISSION_DENIED_ERROR');
    includes(fr.cause, 'Le mappage d’étendue du jeton « other-reader » n’autorise pas pull sur app');
  });
});

describe('data endpoints', () => {
  test('blocked data endpoint: no DNS record, then an address that refuses; both endpoints reachable passes (fr, pl)', async () => {
    await admin.updateRegistry({ dataEndpointEnabled: true });
    const registry = await admin.ok<{ properties: { dataEndpointHostNames: string[] } }>('GET', admin.registryId);
    const dataHost = registry.properties.dataEndpointHostNames[0]!.replace(/:\d+$/, '');
    const args = ['-n', 'wharf', '--repository', 'app', '--image', 'v1'];

    const fr = failedWith(await health(args, { env: FR }), 'DATA_ENDPOINT_DNS_ERROR');
    assert.equal(fr.message, `Le point de terminaison de données ${dataHost} ne se résout pas.`);
    includes(fr.cause, `point de terminaison de données dédié ${dataHost}`);
    includes(fr.fix, `echo '127.0.0.1 ${dataHost}' | ${SUDO}tee -a /etc/hosts`);

    // A client firewall that lets only the login server through: the data endpoint's address refuses.
    const pl = failedWith(await health([...args, '--lang', 'pl'], { hosts: `${HOSTS}\n127.0.0.10 ${dataHost}` }), 'DATA_ENDPOINT_ERROR');
    assert.equal(pl.message, `Punkt końcowy danych ${dataHost} jest nieosiągalny na porcie ${w.port}.`);
    includes(pl.cause, `Serwer logowania ${login} odpowiada, ale jego punkt końcowy danych nie`);
    includes(pl.fix, `Zezwól na ${dataHost}:${w.port}`);

    const reachable = await health(args, { hosts: `${HOSTS}\n127.0.0.1 ${dataHost}` });
    passed(reachable);
    assert.ok(reachable.report.findings.some((f) => f.check === 'data-endpoint' && f.level === 'ok' && f.message.includes(dataHost)));
    await admin.updateRegistry({ dataEndpointEnabled: false });
  });
});

describe('network rules (last: they change who may connect)', () => {
  test('firewall deny: CONNECTIVITY_FORBIDDEN_ERROR names your address and the rule to add; running it fixes the registry (fr, pl)', async () => {
    await admin.ok('PATCH', `${admin.registryId}?force=true`, {
      properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] } },
    });
    const fr = await eventually(async () => failedWith(await health(['-n', 'wharf'], { env: FR }), 'CONNECTIVITY_FORBIDDEN_ERROR'), 5000);
    includes(fr.message, `Il semble que vous n’ayez pas accès au registre « ${login} »`);
    includes(fr.cause, 'Les règles de pare-feu du registre « wharf » refusent votre adresse 127.0.0.1');
    assert.equal(fr.fix, 'wharf network-rule add -n wharf --ip-address 127.0.0.1 (az acr network-rule add --name wharf --ip-address 127.0.0.1)');
    const pl = failedWith(await health(['-n', 'wharf', '--lang', 'pl']), 'CONNECTIVITY_FORBIDDEN_ERROR');
    includes(pl.cause, 'Reguły zapory rejestru „wharf” blokują Twój adres 127.0.0.1');

    const fixed = await runWharfCli(home, ['network-rule', 'add', '-n', 'wharf', '--ip-address', '127.0.0.1']);
    assert.equal(fixed.code, 0, fixed.stderr);
    await eventually(async () => passed(await health(['-n', 'wharf'])), 5000);
  });

  test('public access disabled and private endpoint DNS pointing to the public address: both errors with --ignore-errors (pl, fr); the private record passes', async () => {
    const vnet = await admin.putVirtualNetwork('clients-vnet', ['127.0.0.0/16'], [{ name: 'endpoints', addressPrefix: '127.0.9.0/24' }]);
    await admin.ok('PUT', admin.resourceId('Microsoft.Network/privateEndpoints', 'registry-pe'), admin.privateEndpointBody(`${vnet}/subnets/endpoints`));
    await admin.ok('PATCH', `${admin.registryId}?force=true`, { properties: { publicNetworkAccess: 'Disabled' } });
    const args = ['-n', 'wharf', '--vnet', 'clients-vnet', '--ignore-errors'];

    const run = await eventually(async () => {
      const r = await health([...args, '--lang', 'pl']);
      assert.deepEqual(
        r.report.findings.filter((f) => f.level === 'error').map((f) => f.code),
        ['CONNECTIVITY_FORBIDDEN_ERROR', 'PRIVATE_ENDPOINT_DNS_ERROR'],
        JSON.stringify(r.report.findings, null, 2),
      );
      return r;
    }, 5000);
    assert.equal(run.code, 0, '--ignore-errors exits 0');
    const [forbidden, privateDns] = run.report.findings.filter((f) => f.level === 'error');
    includes(forbidden!.cause, 'Dostęp do sieci publicznej rejestru „wharf” jest wyłączony');
    includes(forbidden!.fix, 'wharf update -n wharf --public-network-enabled true');
    includes(privateDns!.cause, `${LOGIN_HOST} wskazuje 127.0.0.1, a nie adres prywatnego punktu końcowego registry-pe (127.0.9.4)`);
    includes(privateDns!.fix, 'wharf private-dns -n wharf --format hosts');

    const fr = await health(args, { env: FR });
    const peFr = fr.report.findings.find((f) => f.code === 'PRIVATE_ENDPOINT_DNS_ERROR');
    includes(peFr?.cause, `${LOGIN_HOST} se résout en 127.0.0.1, et non vers l’adresse du point de terminaison privé registry-pe (127.0.9.4)`);
    assert.ok(fr.report.findings.some((f) => f.level === 'info' && f.message.includes('Attendu : 127.0.9.4, obtenu : 127.0.0.1')));

    // The fix: the records `wharf private-dns` prints (login server and data endpoint at the
    // endpoint's address); everything then passes through the private endpoint.
    const records = await runWharfCli(home, ['private-dns', '-n', 'wharf', '--format', 'hosts']);
    assert.equal(records.code, 0, records.stderr);
    assert.match(records.stdout, new RegExp(`^127\\.0\\.9\\.4 ${LOGIN_HOST.replace(/\./g, '\\.')} `, 'm'));
    const viaEndpoint = await eventually(async () => {
      const r = await health(['-n', 'wharf', '--vnet', 'clients-vnet'], { hosts: records.stdout });
      passed(r);
      return r;
    }, 8000);
    assert.ok(viaEndpoint.report.findings.some((f) => f.check === 'private-endpoint' && f.level === 'ok' && f.message.includes('127.0.9.4')));
  });
});
