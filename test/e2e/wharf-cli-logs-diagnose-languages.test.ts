/**
 * `wharf logs` and `wharf diagnose` show a recorded refusal entirely in the reader's language:
 * a real Wharf refuses a login with a wrong token password and a pull from an address its
 * firewall denies; the audit row keeps the decision's reason as a message key with values
 * (its English text unchanged), and the CLI, run with --lang fr and --lang pl, prints that
 * reason in French and Polish, with no English sentence left, and diagnose classifies the
 * recorded refusal from its key. Where a grant came from ("scope map …") and the note of a row
 * that counts a flood of similar failures ("[N similar failures …]") are keyed too: French and
 * Polish readers see them in their language.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { eventually } from '../helpers/eventually.js';
import { request } from '../helpers/http.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const REGISTRY = 'wharf';
const WRONG_PASSWORD_EN = "wrong password for the token 'ci-bot' (neither password1 nor password2 matches)";
const WRONG_PASSWORD = {
  fr: "mot de passe incorrect pour le jeton 'ci-bot' (ni password1 ni password2 ne correspondent)",
  pl: "nieprawidłowe hasło tokenu 'ci-bot' (nie pasuje ani password1, ani password2)",
};
/** Words of the English reasons; none may be left in a French or Polish reason. */
const ENGLISH = /\b(wrong|password for|neither|matches|denied by|network rules|no rule|public endpoint|default action)\b/;

interface LogRow {
  Identity: string;
  Count: number;
  CorrelationId: string;
  OperationName: string;
  ResultDescription: string;
  Reason: string;
}

describe('wharf logs and wharf diagnose: a recorded refusal in the reader language', () => {
  let w: WharfServer;
  let admin: WharfAdmin;
  let home: string;
  const agents: Agent[] = [];

  const cli = (args: string[]): Promise<CliResult> => runWharfCli(home, args, { env: { LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '', LANG: 'C.UTF-8' } });

  async function ok(args: string[]): Promise<CliResult> {
    const result = await cli(args);
    assert.equal(result.code, 0, `wharf ${args.join(' ')} → exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  /** The login event of a correlation id, as `wharf logs -o json` prints it in `lang`, once it has landed. */
  async function logged(id: string, lang: string): Promise<LogRow> {
    return eventually(async () => {
      const rows = JSON.parse((await ok(['--lang', lang, 'logs', '--correlation-id', id, '--category', 'login', '-o', 'json'])).stdout) as LogRow[];
      assert.equal(rows.length, 1, JSON.stringify(rows));
      return rows[0]!;
    });
  }

  async function pull(from: string, authorization?: string): Promise<{ status: number; id: string }> {
    const agent = new Agent({ localAddress: from, connect: { ca: readFileSync(w.caFile!, 'utf8') }, keepAliveTimeout: 500 });
    agents.push(agent);
    const res = await request(`${w.baseUrl}/v2/hello/manifests/latest`, { dispatcher: agent, ...(authorization ? { headers: { authorization } } : {}) });
    const id = res.headers['x-ms-correlation-request-id'] ?? '';
    assert.ok(id, 'a correlation id');
    return { status: res.status, id };
  }

  before(async () => {
    w = await startWharf({ secure: true });
    admin = new WharfAdmin(w, REGISTRY);
    home = tempDir('wharf-home-reason-languages');
    await ok(['login', '--data', w.dataDir, '--server', w.baseUrl]);
  });

  after(async () => {
    for (const agent of agents) await agent.close().catch(() => {});
    await w?.stop();
  });

  it('a refused login: recorded with its key, shown in French and Polish by logs and diagnose', async () => {
    await admin.createToken('ci-bot', ['repositories/hello/content/read']);
    const { status, id } = await pull('127.0.0.1', `Basic ${Buffer.from('ci-bot:not-the-password').toString('base64')}`);
    assert.equal(status, 401);

    // The row as written: ACR-style, its English reason as before.
    const english = await logged(id, 'en');
    assert.deepEqual([english.OperationName, english.ResultDescription], ['Login', '401']);
    assert.equal(english.Reason, WRONG_PASSWORD_EN);

    for (const lang of ['fr', 'pl'] as const) {
      const row = await logged(id, lang);
      assert.equal(row.Reason, WRONG_PASSWORD[lang]);
      assert.doesNotMatch(row.Reason, ENGLISH);
      const table = (await ok(['--lang', lang, 'logs', '--correlation-id', id, '--category', 'login'])).stdout;
      assert.ok(table.includes(WRONG_PASSWORD[lang]), table);
      assert.ok(!table.includes(WRONG_PASSWORD_EN), table);
    }

    // diagnose: the stored key says what failed (not replayable: no password is kept), in the reader's language.
    const json = JSON.parse((await cli(['diagnose', id, '-n', REGISTRY, '-o', 'json'])).stdout) as {
      findings: { check: string; details?: Record<string, unknown> }[];
    };
    const recorded = json.findings.find((f) => f.check === 'recorded' && f.details?.reasonKey !== undefined);
    assert.equal(recorded?.details?.reasonKey, 'tokenWrongPassword');
    const fr = await cli(['--lang', 'fr', 'diagnose', id, '-n', REGISTRY]);
    assert.equal(fr.code, 1, fr.stdout + fr.stderr);
    assert.ok(fr.stdout.includes(`Raison enregistrée alors : ${WRONG_PASSWORD.fr}`), fr.stdout);
    assert.match(fr.stdout, /règle credential:wrongPassword/);
    assert.ok(!fr.stdout.includes(WRONG_PASSWORD_EN), fr.stdout);
    const pl = await cli(['--lang', 'pl', 'diagnose', id, '-n', REGISTRY]);
    assert.equal(pl.code, 1, pl.stdout + pl.stderr);
    assert.ok(pl.stdout.includes(`Przyczyna zarejestrowana wtedy: ${WRONG_PASSWORD.pl}`), pl.stdout);
    assert.ok(!pl.stdout.includes(WRONG_PASSWORD_EN), pl.stdout);
  });

  it('a pull the scope map does not allow: where the grants come from, in French and Polish', async () => {
    const password = await admin.createToken('other-bot', ['repositories/other/content/read']);
    const { status, id } = await pull('127.0.0.1', `Basic ${Buffer.from(`other-bot:${password}`).toString('base64')}`);
    assert.equal(status, 403);
    const byLanguage = async (lang: string): Promise<LogRow> =>
      eventually(async () => {
        const rows = JSON.parse((await ok(['--lang', lang, 'logs', '--correlation-id', id, '--failures', '-o', 'json'])).stdout) as LogRow[];
        const row = rows.find((r) => r.ResultDescription === '403');
        assert.ok(row, JSON.stringify(rows));
        return row;
      });
    assert.equal((await byLanguage('en')).Reason, "the token 'other-bot' may not pull on repository 'hello' (its grants: scope map other-bot-scope-map)");
    const fr = await byLanguage('fr');
    assert.equal(
      fr.Reason,
      "le jeton 'other-bot' n’est pas autorisé à pull sur le dépôt 'hello' (ses autorisations : le mappage d’étendue other-bot-scope-map)",
    );
    const pl = await byLanguage('pl');
    assert.equal(pl.Reason, "token 'other-bot' nie może: pull w repozytorium 'hello' (jego uprawnienia: mapa zakresów other-bot-scope-map)");
    for (const row of [fr, pl]) assert.doesNotMatch(row.Reason, /\b(scope map|its grants|may not)\b/);

    // diagnose: the recorded reason, and the grants the replay finds, in the reader's language.
    const diagnosed = await cli(['--lang', 'fr', 'diagnose', id, '-n', REGISTRY]);
    assert.equal(diagnosed.code, 1, diagnosed.stdout + diagnosed.stderr);
    assert.ok(diagnosed.stdout.includes(`Raison enregistrée alors : ${fr.Reason}`), diagnosed.stdout);
    assert.ok(diagnosed.stdout.includes('(le mappage d’étendue other-bot-scope-map)'), diagnosed.stdout);
    assert.doesNotMatch(diagnosed.stdout, /scope map/);
  });

  it('a flood of refused logins: the row that counts them says so in French and Polish', async () => {
    const basic = `Basic ${Buffer.from('ghost-bot:not-a-password').toString('base64')}`;
    // From an address of its own; more than the failures of one kind stored in full per window (10).
    for (let i = 0; i < 25; i++) assert.ok([401, 429].includes((await pull('127.0.0.3', basic)).status));
    const counted = async (lang: string): Promise<LogRow> =>
      eventually(async () => {
        const rows = JSON.parse((await ok(['--lang', lang, 'logs', '--failures', '--category', 'login', '--top', '1000', '-o', 'json'])).stdout) as LogRow[];
        const row = rows.find((r) => r.Identity === 'ghost-bot' && Number(r.Count) > 1);
        assert.ok(row, JSON.stringify(rows.filter((r) => r.Identity === 'ghost-bot')));
        return row;
      });
    const english = await counted('en');
    assert.match(english.Reason, /\[\d+ similar failures from \S+ to \S+, counted in this row\]$/);
    const fr = await counted('fr');
    assert.equal(fr.CorrelationId, english.CorrelationId);
    assert.match(fr.Reason, /\[échecs similaires : \d+, du \S+ au \S+, comptés dans cette ligne\]$/);
    const pl = await counted('pl');
    assert.match(pl.Reason, /\[podobne niepowodzenia: \d+, od \S+ do \S+, zliczone w tym wierszu\]$/);
    // The failure it counts is in the reader's language too.
    for (const row of [fr, pl]) assert.doesNotMatch(row.Reason, /\b(similar failures|counted in|no admin user|too many failed|exists for)\b/);
  });

  it("a pull the firewall refused: the network gate's reason in French and Polish", async () => {
    await admin.patchNetwork(
      { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.1' }] }, networkRuleBypassOptions: 'None' },
      { force: true },
    );
    const { id } = await eventually(async () => {
      const attempt = await pull('127.0.0.2');
      assert.equal(attempt.status, 403);
      return attempt;
    });
    const english = await logged(id, 'en');
    assert.equal(english.OperationName, 'Network');
    assert.equal(
      english.Reason,
      "denied by the network rules of registry 'wharf': public network access Enabled, default action Deny, 1 IP rule, 0 virtual network rules; no rule matches 127.0.0.2 (public endpoint)",
    );
    const fr = await logged(id, 'fr');
    assert.equal(
      fr.Reason,
      "refusé par les règles réseau du registre 'wharf' : accès au réseau public Enabled, action par défaut Deny, 1 règle IP, règles de réseau virtuel : 0 ; aucune règle ne correspond à 127.0.0.2 (point de terminaison public)",
    );
    const pl = await logged(id, 'pl');
    assert.equal(
      pl.Reason,
      "odrzucone przez reguły sieciowe rejestru 'wharf': dostęp z sieci publicznej Enabled, akcja domyślna Deny, 1 reguła IP, reguły sieci wirtualnej: 0; żadna reguła nie pasuje do 127.0.0.2 (publiczny punkt końcowy)",
    );
    for (const row of [fr, pl]) assert.doesNotMatch(row.Reason, ENGLISH);
  });
});
