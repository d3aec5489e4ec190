/**
 * The `wharf` command line speaks the user's language, chosen as check-health chooses it
 * (--lang, else LC_ALL/LANG): its help, commander's parse errors and its own errors. English
 * stays the default.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/tmp.js';
import { runWharfCli } from '../helpers/wharf-cli.js';

const home = tempDir('wharf-cli-language-');
const locale = (lang: string) => ({ env: { LANG: lang, LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' } });

describe("wharf in the user's language", () => {
  it('prints its help in French under a French locale', async () => {
    const result = await runWharfCli(home, ['--help'], locale('fr_FR.UTF-8'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Utilisation : wharf \[options\] \[commande\]$/m);
    assert.match(result.stdout, /^Commandes :$/m);
    assert.match(result.stdout, /^ {2}serve \[options\] +démarrer le serveur de registre$/m);
    assert.match(result.stdout, /^ {2}-h, --help +afficher l’aide de la commande$/m);
    assert.doesNotMatch(result.stdout, /run the registry server|display help for command|Usage:|Options:/);
  });

  it("prints a command's help in the language --lang names", async () => {
    const result = await runWharfCli(home, ['--lang', 'pl', 'check-health', '--help'], locale('C.UTF-8'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Użycie: wharf check-health \[opcje\]$/m);
    assert.match(result.stdout, /^sprawdź środowisko klienta i drogę do rejestru/m);
    assert.match(result.stdout, /^Przykłady:$/m);
    assert.match(result.stdout, /limit czasu każdego kroku sieciowego \(domyślnie: "5"\)/);
    assert.doesNotMatch(result.stdout, /check the client environment|same as --name|Examples:/);
  });

  it('reports a missing required option in Swedish, with the hint to ask for help', async () => {
    const result = await runWharfCli(home, ['token', 'create', '-r', 'myregistry'], locale('sv_SE.UTF-8'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^fel: den obligatoriska flaggan ”-n, --name <name>” har inte angetts$/m);
    assert.match(result.stderr, /^\(lägg till --help för användning\)$/m);
  });

  it('reports its own errors in the chosen language', async () => {
    const french = await runWharfCli(home, ['delete'], locale('fr_FR.UTF-8'));
    assert.equal(french.code, 1);
    assert.equal(french.stderr, 'wharf: indiquez le nom du registre : -n/--name (ou -r/--registry)\n');
    const portuguese = await runWharfCli(home, ['--lang', 'pt-BR', 'list'], locale('C.UTF-8'));
    assert.equal(portuguese.code, 1);
    assert.match(portuguese.stderr, /^wharf: sem logon \(nenhum perfil em .*profile\.json\): execute "wharf login --data <diretório>"/);
  });

  it('stays in English by default', async () => {
    const help = await runWharfCli(home, ['--help'], locale('C.UTF-8'));
    assert.match(help.stdout, /^Usage: wharf \[options\] \[command\]$/m);
    assert.match(help.stdout, /^ {2}serve \[options\] +run the registry server$/m);
    const error = await runWharfCli(home, ['shw'], locale('C.UTF-8'));
    assert.equal(error.stderr, "error: unknown command 'shw'\n(Did you mean show?)\n(add --help for usage)\n");
  });
});
