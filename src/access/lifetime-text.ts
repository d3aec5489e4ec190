/**
 * A configured lifetime (auth.refreshTokenMinutes…) in words, in the reader's language: whole
 * hours as hours, else whole minutes, else seconds ("3 hours", "30 minutes", "3 heures").
 */
import { LocalizedText } from '../i18n/localized.js';

export function lifetimeText(seconds: number): LocalizedText {
  const [amount, unit] =
    seconds >= 3600 && seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : seconds >= 60 && seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
  return new LocalizedText((language) => new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(amount));
}
