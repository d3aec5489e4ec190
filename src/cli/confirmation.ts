/**
 * The delete prompt's question and answer in the user's language: "(y/n)" reads "(o/n)" in
 * French, "(j/n)" in Swedish, "(t/n)" in Polish, "(s/n)" in Portuguese, and the answer is yes
 * when it is one of that language's yes words, or English's (scripts written for any language).
 */
import type { Language } from '../i18n/index.js';
import { cliTranslator } from './cli-messages.js';

/** The words that mean yes in `language` (lower case), English's included. */
function yesWords(language: Language): Set<string> {
  const words = (language: Language) =>
    cliTranslator(language)('confirmYesWords')
      .split(',')
      .map((word) => word.trim().toLocaleLowerCase(language))
      .filter((word) => word !== '');
  return new Set([...words(language), ...words('en')]);
}

/** Whether `answer`, as typed, is yes in `language`. */
export function isYes(answer: string, language: Language): boolean {
  return yesWords(language).has(answer.trim().toLocaleLowerCase(language));
}

/** The question with its yes/no hint, ready to print before the answer. */
export function confirmationPrompt(question: string, language: Language): string {
  return `${cliTranslator(language)('confirmPrompt', { question })} `;
}
