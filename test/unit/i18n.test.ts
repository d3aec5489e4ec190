import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineCatalog, translator, languageOf, languageOfAcceptLanguage, matchLanguage } from '../../src/i18n/index.js';

const catalog = defineCatalog(
  'i18n-test',
  { greeting: 'Registry {{name}} is ready', plain: 'Done' },
  {
    fr: { greeting: 'Le registre {{name}} est prêt', plain: 'Terminé' },
    sv: { greeting: 'Registret {{name}} är klart', plain: 'Klart' },
    pl: { greeting: 'Rejestr {{name}} jest gotowy', plain: 'Gotowe' },
    'pt-BR': { greeting: 'O registro {{name}} está pronto', plain: 'Concluído' },
  },
);

test('messages come in the chosen language with placeholders filled, unescaped', () => {
  assert.equal(translator(catalog, 'fr')('greeting', { name: 'a<b>&"c' }), 'Le registre a<b>&"c est prêt');
  assert.equal(translator(catalog, 'pt-BR')('plain'), 'Concluído');
  assert.equal(translator(catalog, 'en')('greeting', { name: 'x' }), 'Registry x is ready');
  assert.equal(translator(catalog, 'sv')('greeting', { name: 'x' }), 'Registret x är klart');
});

test('locale strings map to languages, Portuguese to Brazilian Portuguese, unknown to none', () => {
  assert.equal(matchLanguage('fr_FR.UTF-8'), 'fr');
  assert.equal(matchLanguage('pt_PT'), 'pt-BR');
  assert.equal(matchLanguage('sv-SE'), 'sv');
  assert.equal(matchLanguage('pl'), 'pl');
  assert.equal(matchLanguage('C.UTF-8'), undefined);
  assert.equal(matchLanguage('de_DE'), undefined);
});

test('--lang beats LC_ALL beats LANG; an unknown --lang is an error, an unknown locale falls back', () => {
  assert.equal(languageOf(undefined, { LANG: 'pl_PL.UTF-8' }), 'pl');
  assert.equal(languageOf(undefined, { LC_ALL: 'sv_SE.UTF-8', LANG: 'pl_PL.UTF-8' }), 'sv');
  assert.equal(languageOf('fr', { LC_ALL: 'sv_SE.UTF-8' }), 'fr');
  assert.equal(languageOf(undefined, { LANG: 'C.UTF-8', LANGUAGE: 'pt_BR:en' }), 'pt-BR');
  assert.equal(languageOf(undefined, { LANG: 'de_DE.UTF-8' }), 'en');
  assert.throws(() => languageOf('klingon', {}), /unknown language 'klingon'/);
});

test('Accept-Language picks the highest-weighted language Wharf speaks', () => {
  assert.equal(languageOfAcceptLanguage('de-DE,pl;q=0.9,en;q=0.8'), 'pl');
  assert.equal(languageOfAcceptLanguage('en;q=0.5, fr'), 'fr');
  assert.equal(languageOfAcceptLanguage('*'), 'en');
  assert.equal(languageOfAcceptLanguage(undefined), 'en');
  assert.equal(languageOfAcceptLanguage('pt-BR;q=0, sv;q=0.1'), 'sv');
});

const plurals = defineCatalog(
  'i18n-plural-test',
  { rules_one: '{{count}} rule', rules_other: '{{count}} rules' },
  {
    fr: { rules_one: '{{count}} règle', rules_other: '{{count}} règles' },
    sv: { rules_one: '{{count}} regel', rules_other: '{{count}} regler' },
    pl: { rules_one: '{{count}} reguła', rules_few: '{{count}} reguły', rules_many: '{{count}} reguł', rules_other: '{{count}} reguły' },
    'pt-BR': { rules_one: '{{count}} regra', rules_other: '{{count}} regras' },
  },
);

test("plurals follow each language's rules: Polish one/few/many, French 0 and 1 singular", () => {
  const pl = translator(plurals, 'pl');
  assert.deepEqual(
    [1, 2, 4, 5, 12, 22, 25].map((count) => pl('rules', { count })),
    ['1 reguła', '2 reguły', '4 reguły', '5 reguł', '12 reguł', '22 reguły', '25 reguł'],
  );
  assert.deepEqual(
    [0, 1, 2].map((count) => translator(plurals, 'fr')('rules', { count })),
    ['0 règle', '1 règle', '2 règles'],
  );
  assert.deepEqual(
    [0, 1, 2].map((count) => translator(plurals, 'en')('rules', { count })),
    ['0 rules', '1 rule', '2 rules'],
  );
  // French and Portuguese have a `many` category (millions) that a catalog need not give: `_other` serves.
  assert.equal(translator(plurals, 'pt-BR')('rules', { count: 1_000_000 }), '1000000 regras');
});
