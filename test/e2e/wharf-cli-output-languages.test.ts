/**
 * What `wharf` prints as results reads in the reader's language: a real Wharf answers list
 * commands run with --lang pl and --lang fr, and their tables carry the catalog's Polish and
 * French headers (and words in cells), while `-o json` keeps the API's English field names and
 * `-o tsv` prints no header; `wharf import` run with --lang fr and --lang pl shows its progress
 * line with the language's typography and the server's steps in that language. The rows an
 * import writes for its pushes ("imported from …") are read back by `wharf logs` in Polish, from
 * the key and values each row keeps.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import en from '../../src/i18n/locales/en/cli-output.json' with { type: 'json' };
import fr from '../../src/i18n/locales/fr/cli-output.json' with { type: 'json' };
import pl from '../../src/i18n/locales/pl/cli-output.json' with { type: 'json' };
import frSteps from '../../src/i18n/locales/fr/operation-progress.json' with { type: 'json' };
import plSteps from '../../src/i18n/locales/pl/operation-progress.json' with { type: 'json' };
import { eventually } from '../helpers/eventually.js';
import { putManifest, uploadImage } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

type Word = keyof typeof en;

interface LogRow {
  CorrelationId: string;
  OperationName: string;
  ResultDescription: string;
  Reason: string;
}

/** The English words of the step messages; none may be left in a French or Polish progress line. */
const ENGLISH_STEP = /\b(starting|reading|copying|storing|manifests|from)\b/;

describe('wharf: tables and progress in the reader language', () => {
  let w: WharfServer;
  let admin: WharfAdmin;
  let home: string;
  let digest: string;

  const cli = (args: string[]): Promise<CliResult> =>
    runWharfCli(home, args, { timeoutMs: 120_000, env: { LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '', LANG: 'C.UTF-8' } });

  async function ok(args: string[]): Promise<CliResult> {
    const result = await cli(args);
    assert.equal(result.code, 0, `wharf ${args.join(' ')} → exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  /** The header line's cells: a table separates its columns by two spaces or more. */
  function headerOf(result: CliResult): string[] {
    return result.stdout.split('\n')[0]!.trim().split(/ {2,}/);
  }

  before(async () => {
    w = await startWharf();
    admin = new WharfAdmin(w);
    home = tempDir('wharf-home-output-languages');
    await ok(['login', '--data', w.dataDir, '--server', w.baseUrl]);
    const image = await uploadImage(w, 'lang/app', { layers: 1 });
    assert.equal((await putManifest(w, 'lang/app', 'v1', image.manifest)).status, 201);
    digest = image.digest;
  });

  after(async () => {
    await w?.stop();
  });

  it('wharf list: the headers are the catalog’s, in Polish and in French; English stays as it was', async () => {
    const columns: Word[] = ['name', 'resourceGroup', 'location', 'sku', 'loginServer', 'creationDate', 'adminEnabled'];
    assert.deepEqual(headerOf(await ok(['list'])), ['Name', 'ResourceGroup', 'Location', 'Sku', 'LoginServer', 'CreationDate', 'AdminEnabled']);
    const polish = headerOf(await ok(['--lang', 'pl', 'list']));
    assert.deepEqual(
      polish,
      columns.map((c) => pl[c]),
    );
    assert.ok(polish.includes('Serwer logowania'), polish.join(' | '));
    const french = headerOf(await ok(['--lang', 'fr', 'list', '-o', 'table']));
    assert.deepEqual(
      french,
      columns.map((c) => fr[c]),
    );
    // Scripts read the same in every language: JSON keeps the API's names, tsv has no header.
    const json = JSON.parse((await ok(['--lang', 'fr', 'list', '-o', 'json'])).stdout) as { name: string; properties: { loginServer: string } }[];
    assert.ok(json.some((r) => r.name === 'wharf' && typeof r.properties.loginServer === 'string'));
    const tsv = await ok(['--lang', 'fr', 'list', '-o', 'tsv']);
    assert.ok(!tsv.stdout.includes(fr.loginServer) && !tsv.stdout.includes('LoginServer'), tsv.stdout);
  });

  it('repository show-manifests and keys list: headers and cell words in the reader language', async () => {
    const manifests = await ok(['--lang', 'fr', 'repository', 'show-manifests', '--repository', 'lang/app']);
    assert.deepEqual(headerOf(manifests), [fr.digest, fr.tags, fr.timestamp]);
    assert.ok(manifests.stdout.includes(digest), manifests.stdout);
    const polish = await ok(['--lang', 'pl', 'repository', 'show-manifests', '--repository', 'lang/app']);
    assert.deepEqual(headerOf(polish), ['Skrót', 'Tagi', 'Znacznik czasu']);

    const keys = await ok(['--lang', 'pl', 'keys', 'list']);
    assert.deepEqual(headerOf(keys), [pl.keyId, pl.algorithm, pl.created, pl.retired, pl.signs]);
    assert.match(keys.stdout, new RegExp(`\\s${pl.signsYes}$`, 'm'), keys.stdout);
    assert.doesNotMatch(keys.stdout, /\byes\b|verifies only/);
  });

  it('an object shown as a table names its fields under headers in the reader language', async () => {
    const shown = await ok(['--lang', 'fr', 'show', '-o', 'table']);
    assert.deepEqual(headerOf(shown), [fr.field, fr.value]);
    assert.match(shown.stdout, /^loginServer\s+/m, 'field names are the API’s');
  });

  it('wharf import: the progress line and the steps are in French and in Polish', async () => {
    const prod = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/${admin.owner.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/langreg`;
    await admin.ok('PUT', prod, { location: 'local', sku: { name: 'Premium' } });

    const french = await ok(['--lang', 'fr', 'import', '-n', 'langreg', '--registry', 'wharf', '--source', 'lang/app:v1', '--image', 'copied:v1']);
    assert.equal(french.stdout.trim(), digest);
    // Not a terminal: one plain line per step or tens of percent; the last one at 100 %.
    const frLines = french.stderr.split('\n').filter((l) => l.startsWith('import'));
    assert.ok(frLines.length > 0, french.stderr);
    for (const line of frLines) {
      assert.match(line, /^import : \d+ % \d/, line);
      assert.doesNotMatch(line, ENGLISH_STEP, line);
    }
    assert.match(frLines.at(-1)!, new RegExp(`^import : 100 % .* ${frSteps.storingManifests}$`), french.stderr);

    const polish = await ok(['--lang', 'pl', 'import', '-n', 'langreg', '--registry', 'wharf', '--source', 'lang/app:v1', '--image', 'again:v1']);
    const plLines = polish.stderr.split('\n').filter((l) => l.startsWith('import'));
    for (const line of plLines) assert.doesNotMatch(line, ENGLISH_STEP, line);
    assert.match(plLines.at(-1)!, new RegExp(`^import: 100% .* ${plSteps.storingManifests}$`), polish.stderr);
  });

  /** The repository events `wharf logs -o json` prints in `lang` for `registry`, once `ready` holds for them. */
  async function repositoryRows(lang: string, registry: string, ready: (rows: LogRow[]) => boolean, extra: string[] = []): Promise<LogRow[]> {
    return eventually(async () => {
      const args = ['--lang', lang, 'logs', '-r', registry, '--category', 'repository', '-o', 'json', ...extra];
      const rows = JSON.parse((await ok(args)).stdout) as LogRow[];
      assert.ok(ready(rows), JSON.stringify(rows));
      return rows;
    });
  }

  it('the rows an import writes say where the image came from in the reader language', async () => {
    const pushes = (rows: LogRow[]) => rows.filter((r) => r.OperationName === 'Push');
    const polish = pushes(await repositoryRows('pl', 'langreg', (rows) => pushes(rows).length >= 2));
    for (const row of polish) assert.match(row.Reason, /^zaimportowano z \S+\/lang\/app$/, row.Reason);
    const english = pushes(await repositoryRows('en', 'langreg', (rows) => pushes(rows).length >= 2));
    for (const row of english) assert.match(row.Reason, /^imported from \S+\/lang\/app$/, row.Reason);
  });
});
