/** The delete prompt's yes/no: the hint and the yes words of each language, English's always accepted. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confirmationPrompt, isYes } from '../../src/cli/confirmation.js';
import type { Language } from '../../src/i18n/index.js';

const CASES: { language: Language; hint: string; yes: string[]; no: string[] }[] = [
  { language: 'en', hint: 'Sure? (y/n): ', yes: ['y', 'Y', 'yes', ' YES '], no: ['n', 'no', '', 'o', 'oui', 'ja', 'tak', 'sim', 'yess'] },
  { language: 'fr', hint: 'Sure? (o/n) : ', yes: ['o', 'O', 'oui', 'Oui ', 'y', 'yes'], no: ['n', 'non', '', 'j', 'tak', 'ou'] },
  { language: 'sv', hint: 'Sure? (j/n): ', yes: ['j', 'ja', 'JA', 'y', 'yes'], no: ['n', 'nej', '', 'o', 'oui'] },
  { language: 'pl', hint: 'Sure? (t/n): ', yes: ['t', 'tak', 'Tak', 'y', 'yes'], no: ['n', 'nie', '', 'j', 'ta'] },
  { language: 'pt-BR', hint: 'Sure? (s/n): ', yes: ['s', 'sim', 'SIM', 'y', 'yes'], no: ['n', 'não', 'nao', '', 'si', 'o'] },
];

describe('the delete prompt in each language', () => {
  for (const { language, hint, yes, no } of CASES) {
    it(`${language}: the hint, its yes words and English's`, () => {
      assert.equal(confirmationPrompt('Sure?', language), hint);
      for (const answer of yes) assert.equal(isYes(answer, language), true, `${language}: '${answer}' is yes`);
      for (const answer of no) assert.equal(isYes(answer, language), false, `${language}: '${answer}' is not yes`);
    });
  }
});
