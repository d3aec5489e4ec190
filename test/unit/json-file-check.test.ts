/**
 * The CLI's checks of the JSON files it reads (its profile, a server's bootstrap-owner file):
 * what is wrong is a catalog key, never zod's English message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkJsonFile, type SchemaOf } from '../../src/cli/json-file-check.js';

interface Owner {
  tenantId: string;
  server?: string;
}
const schema: SchemaOf<Owner> = (z) => z.object({ tenantId: z.string().min(1), server: z.string().min(1).optional() });

test('a file that matches gives its value', () => {
  assert.deepEqual(checkJsonFile(schema, { tenantId: 't', server: 'https://x' }), { ok: true, value: { tenantId: 't', server: 'https://x' } });
});

test('each kind of wrong field is named with its cause as a message key', () => {
  const cases: [unknown, string, string][] = [
    [{}, 'tenantId', 'fileCauseMissing'],
    [{ tenantId: null }, 'tenantId', 'fileCauseMissing'],
    [{ tenantId: 42 }, 'tenantId', 'fileCauseNotText'],
    [{ tenantId: '' }, 'tenantId', 'fileCauseEmpty'],
    [{ tenantId: 't', server: '' }, 'server', 'fileCauseEmpty'],
    [[], 'root', 'fileCauseNotObject'],
    ['text', 'root', 'fileCauseNotObject'],
    [null, 'root', 'fileCauseNotObject'],
  ];
  for (const [raw, field, cause] of cases) {
    assert.deepEqual(checkJsonFile(schema, raw), { ok: false, field, cause }, JSON.stringify(raw));
  }
});
