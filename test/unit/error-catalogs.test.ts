/**
 * The errors render English by default and the asked language on demand, nested values
 * included. (Every catalog's translations, placeholders and plural forms are checked by
 * catalog-languages.test.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acrErrors } from '../../src/distribution/acr-errors.js';
import { entraErrors } from '../../src/identity/entra-errors.js';
import { armErrors } from '../../src/kernel/arm-errors.js';
import { NetworkDenied } from '../../src/network/denial.js';
import { errors } from '../../src/kernel/errors.js';

test('errors keep English as message and in bodies by default, and render the asked language', () => {
  const manifest = errors.manifestUnknown('hello/world', 'v1');
  assert.equal(manifest.message, "manifest unknown: 'v1' is not in repository 'hello/world'");
  assert.deepEqual(manifest.toBody(), {
    errors: [{ code: 'MANIFEST_UNKNOWN', message: manifest.message, detail: { name: 'hello/world', reference: 'v1' } }],
  });
  assert.equal(manifest.toBody('fr').errors[0]!.message, "manifeste inconnu : 'v1' ne se trouve pas dans le dépôt 'hello/world'");

  // A caller's free text stays as given in English, framed in the other languages.
  const free = errors.denied('requested access is denied');
  assert.equal(free.message, 'requested access is denied');
  assert.equal(free.messageIn('sv'), 'åtkomst nekad: requested access is denied');

  const arm = armErrors.resourceGroupNotFound('rg1');
  assert.equal(arm.message, "Resource group 'rg1' could not be found.");
  assert.deepEqual(arm.toBody('pl'), { error: { code: 'ResourceGroupNotFound', message: "Nie można odnaleźć grupy zasobów 'rg1'." } });

  const entra = entraErrors.unknownTenant('t1');
  assert.match(entra.message, /^AADSTS90002: Tenant 't1' not found\./);
  assert.match(entra.toBody({ traceId: 'a', correlationId: 'b' }, new Date(0), 'pt-BR').error_description, /^AADSTS90002: Locatário 't1' não encontrado\./);

  const denied = new NetworkDenied('::ffff:127.0.0.9', 'https://aka.ms/acr/firewall');
  assert.equal(denied.message, "client with IP '127.0.0.9' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.");
  assert.deepEqual(Object.keys(denied.toBody('fr').errors[0]!), ['code', 'message']);
});

test('values that are messages themselves follow the language (the /acr/v1 refusal names its target)', () => {
  const error = acrErrors.disallowed('delete', { level: 'tag', registry: 'r', repository: 'hello', tag: 'v1' }, 'deleteEnabled');
  assert.equal(
    error.message,
    "The operation is disallowed: deleting is disabled on tag 'hello:v1' (deleteEnabled=false); enable it with 'az acr repository update --name r --image hello:v1 --delete-enabled true'",
  );
  assert.equal(
    error.messageIn('fr'),
    "Opération interdite : la suppression est désactivée sur l’étiquette 'hello:v1' (deleteEnabled=false) ; activez-la avec 'az acr repository update --name r --image hello:v1 --delete-enabled true'",
  );
  const locked = acrErrors.disallowed('write', { level: 'repository', registry: 'r', repository: 'hello' }, 'writeEnabled');
  assert.equal(
    locked.message,
    "The operation is disallowed: writing is disabled on repository 'hello' (writeEnabled=false, the image is locked); unlock it with 'az acr repository update --name r --repository hello --write-enabled true'",
  );
});
