/**
 * Messages the administration commands print themselves (not the server's errors, which come
 * localized in the server's answer), in every language.
 */
import { defineCatalog } from '../i18n/index.js';

export const cliMessages = defineCatalog(
  'cli',
  {
    gcKeptByGrace:
      '{{count}} unreferenced blob(s) are younger than the {{minutes}}-minute grace period and were kept; the last of them can be collected from {{until}}.',
    gcCollectNow:
      'To collect them now, run it again with --grace-minutes 0 (only while nobody is pushing: the blobs of a push in progress are unreferenced until its manifest arrives).',
  },
  {
    fr: {
      gcKeptByGrace:
        '{{count}} blob(s) non référencé(s) datent de moins que le délai de grâce de {{minutes}} minutes et ont été conservés ; le dernier pourra être collecté à partir de {{until}}.',
      gcCollectNow:
        'Pour les collecter maintenant, relancez avec --grace-minutes 0 (seulement si personne ne pousse d’image : les blobs d’un push en cours ne sont référencés qu’à l’arrivée de son manifeste).',
    },
    sv: {
      gcKeptByGrace:
        '{{count}} blob(ar) utan referens är yngre än karenstiden på {{minutes}} minuter och behölls; den sista kan samlas in från {{until}}.',
      gcCollectNow:
        'Kör igen med --grace-minutes 0 för att samla in dem nu (bara när ingen pushar: blobbarna i en pågående push saknar referens tills dess manifest kommer).',
    },
    pl: {
      gcKeptByGrace:
        'Nieużywane obiekty blob ({{count}}) są młodsze niż okres karencji wynoszący {{minutes}} min i zostały zachowane; ostatni z nich będzie można usunąć od {{until}}.',
      gcCollectNow:
        'Aby usunąć je teraz, uruchom polecenie ponownie z --grace-minutes 0 (tylko gdy nikt nie wypycha obrazów: bloby trwającego wypychania nie mają odwołań, dopóki nie dotrze jego manifest).',
    },
    'pt-BR': {
      gcKeptByGrace:
        '{{count}} blob(s) sem referência são mais recentes que o período de carência de {{minutes}} minutos e foram mantidos; o último poderá ser coletado a partir de {{until}}.',
      gcCollectNow:
        'Para coletá-los agora, execute de novo com --grace-minutes 0 (só quando ninguém estiver enviando imagens: os blobs de um push em andamento ficam sem referência até o manifesto chegar).',
    },
  },
);
