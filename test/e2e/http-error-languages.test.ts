/**
 * Error messages in the caller's language, through the wire: the same failures asked with
 * `Accept-Language: fr-FR`, `pl`, `sv`, `pt-BR` and no header, on every plane Wharf answers
 * itself — OCI errors on /v2, the registry's token endpoint, the network gate's 403, ARM, and
 * the identity plane's OAuth errors — keep their status and code, and say the same thing in
 * that language; without the header (or with a language Wharf does not speak) they are exactly
 * today's English. The wharf CLI asks for its --lang language, so ARM errors reach the user
 * translated. WWW-Authenticate challenges stay English (clients parse them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { eventually } from '../helpers/eventually.js';
import type { HttpResponse } from '../helpers/http.js';
import { request } from '../helpers/http.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin, identityToken } from '../helpers/wharf-admin.js';
import { runWharfCli } from '../helpers/wharf-cli.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

type Asked = 'fr-FR' | 'pl' | 'sv' | 'pt-BR' | 'none';
const ASKED: Asked[] = ['fr-FR', 'pl', 'sv', 'pt-BR', 'none'];

/** What each answer must say, per language asked: English is today's text, exactly. */
type Expected = Record<Asked, string | RegExp>;

function headersFor(asked: Asked, extra: Record<string, string> = {}): Record<string, string> {
  return asked === 'none' ? extra : { ...extra, 'accept-language': asked };
}

function assertSays(actual: string, expected: string | RegExp, what: string): void {
  if (typeof expected === 'string') assert.equal(actual, expected, what);
  else assert.match(actual, expected, what);
}

/** What every 401 adds: the registry it resolved to (the default, 'wharf') and its login server. */
function atRegistry(loginServer: string): Record<Asked, string> {
  return {
    none: ` (registry 'wharf', login server ${loginServer})`,
    'fr-FR': ` (registre 'wharf', serveur de connexion ${loginServer})`,
    pl: ` (rejestr 'wharf', serwer logowania ${loginServer})`,
    sv: ` (registret 'wharf', inloggningsserver ${loginServer})`,
    'pt-BR': ` (registro 'wharf', servidor de logon ${loginServer})`,
  };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function ociError(res: HttpResponse): { code: string; message: string } {
  const body = res.json<{ errors: { code: string; message: string }[] }>();
  assert.ok(Array.isArray(body?.errors) && body.errors.length === 1, res.text());
  return body.errors[0]!;
}

function armError(res: HttpResponse): { code: string; message: string; target?: string } {
  const body = res.json<{ error: { code: string; message: string; target?: string } }>();
  assert.ok(body?.error, res.text());
  return body.error;
}

describe('error messages in the language of Accept-Language', () => {
  let w: WharfServer;
  let admin: WharfAdmin;
  let password: string;
  let service: string;
  let home: string;
  /** Five wrong secrets trip the identity plane's sign-in throttle for an address: this test's own. */
  let from3: Agent;

  before(async () => {
    w = await startWharf({ secure: true });
    admin = new WharfAdmin(w);
    password = await admin.enableAdmin();
    const challenge = (await w.request('/v2/')).headers['www-authenticate'] ?? '';
    service = /service="([^"]+)"/.exec(challenge)?.[1] ?? '';
    assert.ok(service, challenge);
    home = tempDir('wharf-cli-lang-');
    from3 = new Agent({ localAddress: '127.0.0.3', connect: { ca: readFileSync(w.caFile!, 'utf8') }, keepAliveTimeout: 500 });
  });
  after(async () => {
    await from3?.close();
    await w?.stop();
  });

  /** Asks `path` once per language; `check` sees each answer. */
  async function inEveryLanguage(
    path: string,
    options: { method?: string; headers?: Record<string, string>; body?: string; dispatcher?: Agent },
    check: (res: HttpResponse, asked: Asked) => void,
  ): Promise<void> {
    for (const asked of ASKED) {
      const res = await request(`${w.baseUrl}${path}`, { dispatcher: w.agent, ...options, headers: headersFor(asked, options.headers) });
      check(res, asked);
    }
  }

  it('OCI errors: manifest unknown, name invalid, unauthorized — same status and code, translated message', async () => {
    const auth = { authorization: basic('wharf', password) };
    const manifestUnknown: Expected = {
      none: "manifest unknown: 'v9' is not in repository 'hello/world'",
      'fr-FR': "manifeste inconnu : 'v9' ne se trouve pas dans le dépôt 'hello/world'",
      pl: "nieznany manifest: 'v9' nie istnieje w repozytorium 'hello/world'",
      sv: "okänt manifest: 'v9' finns inte i lagringsplatsen 'hello/world'",
      'pt-BR': "manifesto desconhecido: 'v9' não está no repositório 'hello/world'",
    };
    await inEveryLanguage('/v2/hello/world/manifests/v9', { headers: auth }, (res, asked) => {
      assert.equal(res.status, 404, `${asked}: ${res.text()}`);
      const error = ociError(res);
      assert.equal(error.code, 'MANIFEST_UNKNOWN', asked);
      assertSays(error.message, manifestUnknown[asked], asked);
    });

    const nameInvalid: Expected = {
      none: /^invalid repository name 'Hello\/World': /,
      'fr-FR': /^nom de dépôt 'Hello\/World' non valide : /,
      pl: /^nieprawidłowa nazwa repozytorium 'Hello\/World': /,
      sv: /^ogiltigt namn på lagringsplats 'Hello\/World': /,
      'pt-BR': /^nome de repositório 'Hello\/World' inválido: /,
    };
    await inEveryLanguage('/v2/Hello/World/tags/list', { headers: auth }, (res, asked) => {
      assert.equal(res.status, 400, `${asked}: ${res.text()}`);
      const error = ociError(res);
      assert.equal(error.code, 'NAME_INVALID', asked);
      assertSays(error.message, nameInvalid[asked], asked);
    });

    // A 401 names the registry the request resolved to, in the same language.
    const at = atRegistry(service);
    const unauthorized: Expected = {
      none: `authentication required${at.none}`,
      'fr-FR': `authentification requise${at['fr-FR']}`,
      pl: `wymagane uwierzytelnienie${at.pl}`,
      sv: `autentisering krävs${at.sv}`,
      'pt-BR': `autenticação necessária${at['pt-BR']}`,
    };
    const challenges = new Set<string>();
    await inEveryLanguage('/v2/hello/world/manifests/v9', {}, (res, asked) => {
      assert.equal(res.status, 401, `${asked}: ${res.text()}`);
      const error = ociError(res);
      assert.equal(error.code, 'UNAUTHORIZED', asked);
      assertSays(error.message, unauthorized[asked], asked);
      challenges.add(res.headers['www-authenticate'] ?? '');
    });
    // The challenge is for clients to parse: the same, in English, whatever the language.
    assert.equal(challenges.size, 1, [...challenges].join('\n'));
    assert.match([...challenges][0]!, /^Bearer realm="[^"]+",service="[^"]+",scope="repository:hello\/world:pull"/);
  });

  it('a language Wharf does not speak, or q=0, answers in English', async () => {
    for (const header of ['de-DE', 'ja, zh;q=0.9', 'fr;q=0, de']) {
      const res = await w.request('/v2/hello/world/manifests/v9', { headers: { 'accept-language': header } });
      assert.equal(res.status, 401);
      assert.equal(ociError(res).message, `authentication required${atRegistry(service).none}`, header);
    }
    // The highest-weighted language Wharf speaks wins.
    const res = await w.request('/v2/hello/world/manifests/v9', { headers: { 'accept-language': 'de-DE, pl;q=0.8, fr;q=0.5' } });
    assert.equal(ociError(res).message, `wymagane uwierzytelnienie${atRegistry(service).pl}`);
  });

  it('the registry token endpoint: a wrong password and a bad grant type, in the registry error shape', async () => {
    const form = (grant: string, user: string, secret: string) =>
      `grant_type=${grant}&service=${encodeURIComponent(service)}&scope=${encodeURIComponent('repository:hello/world:pull')}&username=${user}&password=${encodeURIComponent(secret)}`;
    const at = atRegistry(service);
    const invalid: Expected = {
      none: `authentication required, visit https://aka.ms/acr/authorization for more information. invalid username or password${at.none}`,
      'fr-FR': `authentification requise, consultez https://aka.ms/acr/authorization pour plus d’informations. Nom d’utilisateur ou mot de passe non valide${at['fr-FR']}`,
      pl: `wymagane uwierzytelnienie, więcej informacji: https://aka.ms/acr/authorization. Nieprawidłowa nazwa użytkownika lub hasło${at.pl}`,
      sv: `autentisering krävs, mer information finns på https://aka.ms/acr/authorization. Ogiltigt användarnamn eller lösenord${at.sv}`,
      'pt-BR': `autenticação necessária, acesse https://aka.ms/acr/authorization para obter mais informações. Nome de usuário ou senha inválidos${at['pt-BR']}`,
    };
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    await inEveryLanguage('/oauth2/token', { method: 'POST', headers, body: form('password', 'wharf', 'not-the-password') }, (res, asked) => {
      assert.equal(res.status, 401, `${asked}: ${res.text()}`);
      const error = ociError(res);
      assert.equal(error.code, 'UNAUTHORIZED', asked);
      assertSays(error.message, invalid[asked], asked);
    });

    const badGrant: Expected = {
      none: "invalid token request: unsupported grant_type 'magic': use refresh_token or password",
      // The reason is a message key of the decision: translated with the sentence around it.
      'fr-FR': "demande de jeton non valide : grant_type 'magic' non pris en charge : utilisez refresh_token ou password",
      pl: "nieprawidłowe żądanie tokenu: nieobsługiwany grant_type 'magic': użyj refresh_token lub password",
      sv: "ogiltig tokenbegäran: grant_type 'magic' stöds inte: använd refresh_token eller password",
      'pt-BR': "solicitação de token inválida: grant_type 'magic' sem suporte: use refresh_token ou password",
    };
    await inEveryLanguage('/oauth2/token', { method: 'POST', headers, body: form('magic', 'wharf', password) }, (res, asked) => {
      assert.equal(res.status, 400, `${asked}: ${res.text()}`);
      const error = ociError(res);
      assert.equal(error.code, 'UNSUPPORTED', asked);
      assertSays(error.message, badGrant[asked], asked);
    });
  });

  it('ARM errors: ResourceNotFound, InvalidParameter, AuthorizationFailed', async () => {
    const owner = admin.owner;
    const token = await identityToken(w, owner);
    const arm = (path: string) => `${path}${path.includes('?') ? '&' : '?'}api-version=2023-07-01`;
    const bearer = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
    const missing = admin.registryId.replace(/\/wharf$/, '/nosuch');
    const rg = owner.resourceGroup;

    const notFound: Expected = {
      none: `The Resource 'Microsoft.ContainerRegistry/registries/nosuch' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      'fr-FR': `La ressource 'Microsoft.ContainerRegistry/registries/nosuch' du groupe de ressources '${rg}' est introuvable. Pour plus d’informations, consultez https://aka.ms/ARMResourceNotFoundFix`,
      pl: `Nie odnaleziono zasobu 'Microsoft.ContainerRegistry/registries/nosuch' w grupie zasobów '${rg}'. Więcej informacji: https://aka.ms/ARMResourceNotFoundFix`,
      sv: `Resursen 'Microsoft.ContainerRegistry/registries/nosuch' i resursgruppen '${rg}' hittades inte. Mer information finns på https://aka.ms/ARMResourceNotFoundFix`,
      'pt-BR': `O recurso 'Microsoft.ContainerRegistry/registries/nosuch' no grupo de recursos '${rg}' não foi encontrado. Para obter mais detalhes, acesse https://aka.ms/ARMResourceNotFoundFix`,
    };
    await inEveryLanguage(arm(missing), { headers: bearer(token) }, (res, asked) => {
      assert.equal(res.status, 404, `${asked}: ${res.text()}`);
      const error = armError(res);
      assert.equal(error.code, 'ResourceNotFound', asked);
      assertSays(error.message, notFound[asked], asked);
    });

    const longDescription = { properties: { actions: ['repositories/hello/content/read'], description: 'x'.repeat(300) } };
    const invalidParameter: Expected = {
      none: 'The description is longer than 256 characters.',
      'fr-FR': 'La description dépasse 256 caractères.',
      pl: 'Opis jest dłuższy niż 256 znaków.',
      sv: 'Beskrivningen är längre än 256 tecken.',
      'pt-BR': 'A descrição passa de 256 caracteres.',
    };
    await inEveryLanguage(
      arm(`${admin.registryId}/scopeMaps/too-long`),
      { method: 'PUT', headers: bearer(token), body: JSON.stringify(longDescription) },
      (res, asked) => {
        assert.equal(res.status, 400, `${asked}: ${res.text()}`);
        const error = armError(res);
        assert.equal(error.code, 'InvalidParameter', asked);
        assert.equal(error.target, 'properties.description', asked);
        assertSays(error.message, invalidParameter[asked], asked);
      },
    );

    // A service principal with no role anywhere.
    const sp = await admin.createServicePrincipal('no-roles');
    const spToken = await identityToken(w, { tenantId: owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
    const action = 'Microsoft.ContainerRegistry/registries/read';
    const who = `'${sp.appId}' with object id '${sp.objectId}'`;
    const scope = admin.registryId;
    const authorization: Expected = {
      none: `The client ${who} does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      'fr-FR': `Le client '${sp.appId}' avec l’ID d’objet '${sp.objectId}' n’est pas autorisé à effectuer l’action '${action}' sur l’étendue '${scope}', ou l’étendue n’est pas valide. Si l’accès a été accordé récemment, actualisez vos informations d’identification.`,
      pl: `Klient '${sp.appId}' o identyfikatorze obiektu '${sp.objectId}' nie ma autoryzacji do wykonania akcji '${action}' w zakresie '${scope}' lub zakres jest nieprawidłowy. Jeśli dostęp został przyznany niedawno, odśwież poświadczenia.`,
      sv: `Klienten '${sp.appId}' med objekt-ID '${sp.objectId}' har inte behörighet att utföra åtgärden '${action}' i omfånget '${scope}', eller så är omfånget ogiltigt. Om åtkomst nyligen har beviljats uppdaterar du dina autentiseringsuppgifter.`,
      'pt-BR': `O cliente '${sp.appId}' com a ID de objeto '${sp.objectId}' não tem autorização para executar a ação '${action}' no escopo '${scope}' ou o escopo é inválido. Se o acesso foi concedido recentemente, atualize suas credenciais.`,
    };
    await inEveryLanguage(arm(scope), { headers: bearer(spToken) }, (res, asked) => {
      assert.equal(res.status, 403, `${asked}: ${res.text()}`);
      const error = armError(res);
      assert.equal(error.code, 'AuthorizationFailed', asked);
      assertSays(error.message, authorization[asked], asked);
    });
  });

  it('registry network settings: an invalid IP rule, a Premium-only change on a Basic registry, an unknown SKU', async () => {
    const token = await identityToken(w, admin.owner);
    const arm = (path: string) => `${path}?api-version=2023-07-01`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const premium = new WharfAdmin(w, 'langprem');
    const basicReg = new WharfAdmin(w, 'langbasic');
    assert.equal((await premium.call('PUT', premium.registryId, { location: 'local', sku: { name: 'Premium' } })).status, 201);
    assert.equal((await basicReg.call('PUT', basicReg.registryId, { location: 'local', sku: { name: 'Basic' } })).status, 201);
    const patch = (properties: unknown) => ({ method: 'PATCH', headers, body: JSON.stringify({ properties }) });

    const ipRule: Expected = {
      none: "Failed to save firewall and virtual network settings for container registry 'langprem'. Error: '300.1.2.3' is not a valid IPv4 IP rule: expected four numbers 0-255 separated by dots (1.2.3.4), optionally with a prefix length (/0 to /32).",
      'fr-FR':
        "Impossible d’enregistrer les paramètres de pare-feu et de réseau virtuel du registre de conteneurs 'langprem'. Erreur : '300.1.2.3' n’est pas une règle IP IPv4 valide : quatre nombres de 0 à 255 séparés par des points sont attendus (1.2.3.4), éventuellement suivis d’une longueur de préfixe (/0 à /32).",
      pl: "Nie można zapisać ustawień zapory i sieci wirtualnej dla rejestru kontenerów 'langprem'. Błąd: '300.1.2.3' nie jest prawidłową regułą IP IPv4: oczekiwano czterech liczb 0–255 oddzielonych kropkami (1.2.3.4), opcjonalnie z długością prefiksu (/0 do /32).",
      sv: /^Det gick inte att spara inställningarna för brandvägg .* '300\.1\.2\.3' är ingen giltig IPv4-IP-regel: /,
      'pt-BR': /^Falha ao salvar as configurações de firewall .* '300\.1\.2\.3' não é uma regra de IP IPv4 válida: /,
    };
    await inEveryLanguage(
      arm(premium.registryId),
      patch({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '300.1.2.3' }] } }),
      (res, asked) => {
        assert.equal(res.status, 400, `${asked}: ${res.text()}`);
        const error = armError(res);
        assert.equal(error.code, 'BadRequest', asked);
        assert.equal(error.target, 'properties.networkRuleSet', asked);
        assertSays(error.message, ipRule[asked], asked);
      },
    );

    const premiumOnly: Expected = {
      none: 'Network rules are only supported for managed registries in Premium SKU.',
      'fr-FR': 'Les règles réseau ne sont prises en charge que pour les registres managés de la référence SKU Premium.',
      pl: 'Reguły sieciowe są obsługiwane tylko w rejestrach zarządzanych w jednostce SKU Premium.',
      sv: 'Nätverksregler stöds endast för hanterade register med SKU:n Premium.',
      'pt-BR': 'As regras de rede só têm suporte em registros gerenciados no SKU Premium.',
    };
    await inEveryLanguage(arm(basicReg.registryId), patch({ networkRuleSet: { defaultAction: 'Deny' } }), (res, asked) => {
      assert.equal(res.status, 400, `${asked}: ${res.text()}`);
      const error = armError(res);
      assert.equal(error.code, 'FeatureNotSupported', asked);
      assert.equal(error.target, 'properties.networkRuleSet', asked);
      assertSays(error.message, premiumOnly[asked], asked);
    });

    const sku: Expected = {
      none: "'Gold' is not a registry SKU: use Basic, Standard or Premium.",
      'fr-FR': "'Gold' n’est pas une référence SKU de registre : utilisez Basic, Standard ou Premium.",
      pl: "'Gold' nie jest jednostką SKU rejestru: użyj Basic, Standard lub Premium.",
      sv: "'Gold' är ingen register-SKU: använd Basic, Standard eller Premium.",
      'pt-BR': "'Gold' não é um SKU de registro: use Basic, Standard ou Premium.",
    };
    await inEveryLanguage(arm(basicReg.registryId), { method: 'PATCH', headers, body: JSON.stringify({ sku: { name: 'Gold' } }) }, (res, asked) => {
      assert.equal(res.status, 400, `${asked}: ${res.text()}`);
      const error = armError(res);
      assert.equal(error.code, 'InvalidParameter', asked);
      assertSays(error.message, sku[asked], asked);
    });
  });

  it('the managed identity endpoint (IMDS): a request without Metadata: true, described in the language asked', async () => {
    const noMetadata: Expected = {
      none: 'Required metadata header not specified: send the header Metadata: true.',
      'fr-FR': 'En-tête de métadonnées obligatoire non spécifié : envoyez l’en-tête Metadata: true.',
      pl: 'Nie określono wymaganego nagłówka metadanych: wyślij nagłówek Metadata: true.',
      sv: 'Obligatoriskt metadatahuvud har inte angetts: skicka huvudet Metadata: true.',
      'pt-BR': 'Cabeçalho de metadados obrigatório não especificado: envie o cabeçalho Metadata: true.',
    };
    await inEveryLanguage('/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com', {}, (res, asked) => {
      assert.equal(res.status, 400, `${asked}: ${res.text()}`);
      const body = res.json<{ error: string; error_description: string }>();
      assert.equal(body?.error, 'invalid_request', asked);
      assertSays(body!.error_description, noMetadata[asked], asked);
    });
  });

  it('OCI 405: a method the path does not support keeps its Allow header, the message is translated', async () => {
    const methodNotAllowed: Expected = {
      none: 'POST is not supported on /v2/hello/world/tags/list',
      'fr-FR': 'la méthode POST n’est pas prise en charge sur /v2/hello/world/tags/list',
      pl: 'metoda POST nie jest obsługiwana dla /v2/hello/world/tags/list',
      sv: 'POST stöds inte för /v2/hello/world/tags/list',
      'pt-BR': 'o método POST não tem suporte em /v2/hello/world/tags/list',
    };
    await inEveryLanguage('/v2/hello/world/tags/list', { method: 'POST', headers: { authorization: basic('wharf', password) } }, (res, asked) => {
      assert.equal(res.status, 405, `${asked}: ${res.text()}`);
      assert.match(res.headers['allow'] ?? '', /GET/, asked);
      const error = ociError(res);
      assert.equal(error.code, 'UNSUPPORTED', asked);
      assertSays(error.message, methodNotAllowed[asked], asked);
    });
  });

  it('identity plane: OAuth errors keep error and AADSTS code, the description is translated', async () => {
    const owner = admin.owner;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: owner.clientId,
      client_secret: 'not-the-secret',
      scope: 'https://management.azure.com/.default',
    }).toString();
    const app = `'${owner.clientId}'`;
    const invalidSecret: Expected = {
      none: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app ${app}.`,
      'fr-FR': `AADSTS7000215: Le secret client fourni n’est pas valide. Vérifiez que le secret envoyé dans la requête est la valeur du secret client, et non l’ID du secret client, d’un secret ajouté à l’application ${app}.`,
      pl: `AADSTS7000215: Podano nieprawidłowy wpis tajny klienta. Upewnij się, że wpis tajny wysyłany w żądaniu to wartość wpisu tajnego klienta, a nie jego identyfikator, dla wpisu tajnego dodanego do aplikacji ${app}.`,
      sv: `AADSTS7000215: Ogiltig klienthemlighet angavs. Kontrollera att hemligheten som skickas i begäran är klienthemlighetens värde, inte klienthemlighetens ID, för en hemlighet som lagts till i appen ${app}.`,
      'pt-BR': `AADSTS7000215: Segredo do cliente inválido. Verifique se o segredo enviado na solicitação é o valor do segredo do cliente, e não a ID do segredo do cliente, de um segredo adicionado ao aplicativo ${app}.`,
    };
    await inEveryLanguage(
      `/${owner.tenantId}/oauth2/v2.0/token`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, dispatcher: from3 },
      (res, asked) => {
        assert.equal(res.status, 401, `${asked}: ${res.text()}`);
        const error = res.json<{ error: string; error_description: string; error_codes: number[] }>();
        assert.equal(error.error, 'invalid_client', asked);
        assert.deepEqual(error.error_codes, [7000215], asked);
        const [first, ...rest] = error.error_description.split('\r\n');
        assertSays(first!, invalidSecret[asked], asked);
        // Trace and correlation ids follow, in Entra's fixed (English) form that tools parse.
        assert.match(rest.join('\n'), /^Trace ID: \S+\nCorrelation ID: \S+\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/, asked);
      },
    );

    const grant: Expected = {
      none: "AADSTS70003: The app requested an unsupported grant type 'magic'. Wharf supports client_credentials, password and refresh_token.",
      'fr-FR':
        "AADSTS70003: L’application a demandé un type d’octroi non pris en charge : 'magic'. Wharf prend en charge client_credentials, password et refresh_token.",
      pl: "AADSTS70003: Aplikacja zażądała nieobsługiwanego typu udzielenia: 'magic'. Wharf obsługuje client_credentials, password i refresh_token.",
      sv: "AADSTS70003: Appen begärde en beviljandetyp som inte stöds: 'magic'. Wharf stöder client_credentials, password och refresh_token.",
      'pt-BR':
        "AADSTS70003: O aplicativo solicitou um tipo de concessão sem suporte: 'magic'. O Wharf oferece suporte a client_credentials, password e refresh_token.",
    };
    await inEveryLanguage(
      `/${owner.tenantId}/oauth2/v2.0/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=magic&client_id=${owner.clientId}`,
        dispatcher: from3,
      },
      (res, asked) => {
        assert.equal(res.status, 400, `${asked}: ${res.text()}`);
        const error = res.json<{ error: string; error_description: string }>();
        assert.equal(error.error, 'unsupported_grant_type', asked);
        assertSays(error.error_description.split('\r\n')[0]!, grant[asked], asked);
      },
    );
  });

  it('the wharf CLI asks for its --lang language: an ARM error printed in French, English without', async () => {
    const login = await runWharfCli(home, ['login', '--data', w.dataDir, '--server', w.baseUrl]);
    assert.equal(login.code, 0, login.stderr);
    const french = await runWharfCli(home, ['show', '-n', 'nosuch', '--lang', 'fr'], { env: { LANG: 'C.UTF-8' } });
    assert.equal(french.code, 1, french.stdout);
    assert.match(
      french.stderr,
      /^wharf: ResourceNotFound: La ressource 'Microsoft\.ContainerRegistry\/registries\/nosuch' du groupe de ressources '[^']+' est introuvable\./m,
    );
    // LANG chooses the language when --lang is not given.
    const polish = await runWharfCli(home, ['show', '-n', 'nosuch'], { env: { LANG: 'pl_PL.UTF-8' } });
    assert.match(polish.stderr, /^wharf: ResourceNotFound: Nie odnaleziono zasobu 'Microsoft\.ContainerRegistry\/registries\/nosuch'/m);
    const english = await runWharfCli(home, ['show', '-n', 'nosuch'], { env: { LANG: 'C.UTF-8' } });
    assert.match(
      english.stderr,
      /^wharf: ResourceNotFound: The Resource 'Microsoft\.ContainerRegistry\/registries\/nosuch' under resource group '[^']+' was not found\./m,
    );
  });

  it("the network gate's 403 from a denied address is translated; the audit keeps English", async () => {
    await admin.ok('PATCH', `${admin.registryId}?force=true`, {
      sku: { name: 'Premium' },
      properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.1' }] }, networkRuleBypassOptions: 'None' },
    });
    const from2 = new Agent({ localAddress: '127.0.0.2', connect: { ca: readFileSync(w.caFile!, 'utf8') }, keepAliveTimeout: 500 });
    try {
      await eventually(async () => assert.equal((await request(`${w.baseUrl}/v2/`, { dispatcher: from2 })).status, 403));
      const denied: Expected = {
        none: "client with IP '127.0.0.2' is not allowed access. Refer docs/network-access.md#firewall to grant access.",
        'fr-FR':
          "le client avec l’adresse IP '127.0.0.2' n’est pas autorisé à accéder au registre. Consultez docs/network-access.md#firewall pour accorder l’accès.",
        pl: "klient z adresem IP '127.0.0.2' nie ma dostępu do rejestru. Zobacz docs/network-access.md#firewall, aby przyznać dostęp.",
        sv: "klienten med IP-adressen '127.0.0.2' har inte åtkomst till registret. Se docs/network-access.md#firewall för att bevilja åtkomst.",
        'pt-BR': "o cliente com o IP '127.0.0.2' não tem permissão de acesso ao registro. Consulte docs/network-access.md#firewall para conceder acesso.",
      };
      for (const path of ['/v2/', `/oauth2/token?service=${encodeURIComponent(service)}&scope=repository:hello/world:pull`]) {
        await inEveryLanguage(path, { dispatcher: from2 }, (res, asked) => {
          assert.equal(res.status, 403, `${asked} ${path}: ${res.text()}`);
          // ACR's body: one error, code DENIED, no detail.
          assert.deepEqual(Object.keys(res.json<{ errors: object[] }>().errors[0]!), ['code', 'message'], asked);
          const error = ociError(res);
          assert.equal(error.code, 'DENIED', asked);
          assertSays(error.message, denied[asked], `${asked} ${path}`);
        });
      }
      // The audit (what diagnose reads) stays English whatever the client asked for.
      const rows = await eventually(async () => {
        const found = (
          await admin.ok<{ value: { CallerIpAddress: string; Reason: string }[] }>('GET', `${admin.registryId}/loginEvents?operationName=Network`)
        ).value.filter((row) => row.CallerIpAddress === '127.0.0.2');
        assert.ok(found.length >= 10, `network events so far: ${found.length}`);
        return found;
      });
      for (const row of rows) assert.match(row.Reason, /^denied by the network rules of registry 'wharf'/, row.Reason);
    } finally {
      await from2.close();
    }
  });
});
