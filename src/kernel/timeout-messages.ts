/**
 * Why a request was cut for slowness, in every language: each plane puts the sentence into its
 * own error format (OCI, ARM, Entra) with status 408.
 */
import { defineCatalog } from '../i18n/index.js';

export const timeoutMessages = defineCatalog(
  'request-timeouts',
  {
    headers: 'The request timed out: its headers did not arrive in full within {{seconds}} s.',
    bodyIdle: 'The request timed out: no byte of its body arrived for {{seconds}} s.',
    bodySlow:
      'The request timed out: its body arrived at {{rate}} bytes per second over the last {{seconds}} s, below the minimum of {{minimum}} bytes per second.',
    bodyTotal: 'The request timed out: its body did not arrive in full within {{seconds}} s.',
  },
  {
    fr: {
      headers: 'Délai de la requête dépassé : ses en-têtes ne sont pas arrivés en entier en {{seconds}} s.',
      bodyIdle: 'Délai de la requête dépassé : aucun octet de son corps n’est arrivé pendant {{seconds}} s.',
      bodySlow:
        'Délai de la requête dépassé : son corps est arrivé à {{rate}} octets par seconde sur les {{seconds}} dernières secondes, en dessous du minimum de {{minimum}} octets par seconde.',
      bodyTotal: 'Délai de la requête dépassé : son corps n’est pas arrivé en entier en {{seconds}} s.',
    },
    sv: {
      headers: 'Begäran tog för lång tid: dess huvuden kom inte fram i sin helhet inom {{seconds}} s.',
      bodyIdle: 'Begäran tog för lång tid: ingen byte av dess innehåll kom fram på {{seconds}} s.',
      bodySlow:
        'Begäran tog för lång tid: dess innehåll kom fram med {{rate}} byte per sekund under de senaste {{seconds}} s, under minimigränsen på {{minimum}} byte per sekund.',
      bodyTotal: 'Begäran tog för lång tid: dess innehåll kom inte fram i sin helhet inom {{seconds}} s.',
    },
    pl: {
      headers: 'Przekroczono czas żądania: jego nagłówki nie dotarły w całości w ciągu {{seconds}} s.',
      bodyIdle: 'Przekroczono czas żądania: przez {{seconds}} s nie dotarł żaden bajt jego treści.',
      bodySlow:
        'Przekroczono czas żądania: jego treść docierała z szybkością {{rate}} bajtów na sekundę w ciągu ostatnich {{seconds}} s, poniżej minimum {{minimum}} bajtów na sekundę.',
      bodyTotal: 'Przekroczono czas żądania: jego treść nie dotarła w całości w ciągu {{seconds}} s.',
    },
    'pt-BR': {
      headers: 'A solicitação expirou: seus cabeçalhos não chegaram por completo em {{seconds}} s.',
      bodyIdle: 'A solicitação expirou: nenhum byte do corpo chegou em {{seconds}} s.',
      bodySlow:
        'A solicitação expirou: o corpo chegou a {{rate}} bytes por segundo nos últimos {{seconds}} s, abaixo do mínimo de {{minimum}} bytes por segundo.',
      bodyTotal: 'A solicitação expirou: o corpo não chegou por completo em {{seconds}} s.',
    },
  },
);
