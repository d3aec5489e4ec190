/**
 * The error catalogs: the type system already makes every key exist in every language; this
 * checks what it cannot — no translation is empty or left in English, each keeps the English
 * placeholders (so no value is lost), and errors render English by default and the asked
 * language on demand, nested values included.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acrErrors } from '../../src/acr/errors.js';
import { acrErrorMessages } from '../../src/acr/error-messages.js';
import { authMessages } from '../../src/auth/auth-messages.js';
import { reasonMessages } from '../../src/auth/reason-messages.js';
import { entraErrors } from '../../src/identity/entra-errors.js';
import { entraErrorMessages } from '../../src/identity/entra-error-messages.js';
import { LANGUAGES, type Catalog, type Messages } from '../../src/i18n/index.js';
import { armErrors } from '../../src/management/arm-errors.js';
import { armErrorMessages } from '../../src/management/arm-error-messages.js';
import { graphErrorMessages } from '../../src/management/graph/graph-error-messages.js';
import { denialMessages } from '../../src/network/denial-messages.js';
import { NetworkDenied } from '../../src/network/denial.js';
import { registryErrorMessages } from '../../src/server/error-messages.js';
import { errors } from '../../src/server/errors.js';
import { imdsErrorMessages } from '../../src/identity/imds-error-messages.js';
import { importErrorMessages } from '../../src/operations/import/import-error-messages.js';
import { timeoutMessages } from '../../src/server/timeout-messages.js';
import { cliMessages } from '../../src/cli/cli-messages.js';
import { metadataMessages } from '../../src/storage/metadata/metadata-messages.js';

const CATALOGS: Catalog<Messages>[] = [
  importErrorMessages,
  imdsErrorMessages,
  registryErrorMessages,
  denialMessages,
  acrErrorMessages,
  authMessages,
  reasonMessages,
  armErrorMessages,
  graphErrorMessages,
  entraErrorMessages,
  timeoutMessages,
  cliMessages,
  metadataMessages,
];

/** Messages that may read the same in a language as in English: proper names and codes only. */
const SAME_AS_ENGLISH = new Set<string>([]);

/** Placeholders a translation may add to a free-text frame (the factory passes them too). */
const FRAME_EXTRAS: Record<string, Record<string, string[]>> = { 'arm-errors': { invalidParameter: ['target'] } };

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1]!).sort();
}

test('catalog namespaces are unique', () => {
  const names = CATALOGS.map((c) => c.namespace);
  assert.equal(new Set(names).size, names.length, names.join(', '));
});

for (const catalog of CATALOGS) {
  test(`${catalog.namespace}: every translation is there, not empty, not English, with the same placeholders`, () => {
    const english = catalog.messages.en;
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      const translated = catalog.messages[language];
      assert.deepEqual(Object.keys(translated).sort(), Object.keys(english).sort(), `${language}: keys`);
      for (const [key, source] of Object.entries(english)) {
        const text = translated[key]!;
        const where = `${catalog.namespace}.${key} (${language})`;
        assert.ok(text.trim() !== '', `${where} is empty`);
        if (!SAME_AS_ENGLISH.has(source)) assert.notEqual(text, source, `${where} is still English`);
        const needed = placeholders(source);
        const used = placeholders(text);
        for (const name of needed) assert.ok(used.includes(name), `${where} loses {{${name}}}`);
        const allowed = new Set([...needed, ...(FRAME_EXTRAS[catalog.namespace]?.[key] ?? [])]);
        for (const name of used) assert.ok(allowed.has(name), `${where} uses {{${name}}}, which the factory does not give`);
        assert.equal(text.split('{{').length, text.split('}}').length, `${where}: unbalanced braces`);
      }
    }
  });
}

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
