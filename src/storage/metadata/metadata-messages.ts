/** What the metadata store says when it refuses to open, in every language (it stops `wharf serve`). */
import { defineCatalog } from '../../i18n/index.js';

export const metadataMessages = defineCatalog(
  'metadata',
  {
    newerData:
      'This data was upgraded by a newer Wharf (version {{version}}): its schema has migrations this Wharf ({{current}}) does not know ({{migrations}}). Run Wharf {{version}} or later on it; this one does not start, so that it cannot damage the data.',
    newerDataUnknownVersion:
      'This data was upgraded by a newer Wharf (a version that did not record itself): its schema has migrations this Wharf ({{current}}) does not know ({{migrations}}). Run the newer Wharf on it; this one does not start, so that it cannot damage the data.',
  },
  {
    fr: {
      newerData:
        'Ces données ont été mises à niveau par un Wharf plus récent (version {{version}}) : leur schéma comporte des migrations que ce Wharf ({{current}}) ne connaît pas ({{migrations}}). Utilisez Wharf {{version}} ou plus récent avec elles ; celui-ci ne démarre pas, pour ne pas les endommager.',
      newerDataUnknownVersion:
        'Ces données ont été mises à niveau par un Wharf plus récent (une version qui ne s’est pas enregistrée) : leur schéma comporte des migrations que ce Wharf ({{current}}) ne connaît pas ({{migrations}}). Utilisez ce Wharf plus récent avec elles ; celui-ci ne démarre pas, pour ne pas les endommager.',
    },
    sv: {
      newerData:
        'Dessa data har uppgraderats av en nyare Wharf (version {{version}}): schemat har migreringar som denna Wharf ({{current}}) inte känner till ({{migrations}}). Kör Wharf {{version}} eller senare på dem; den här startar inte, så att den inte kan skada data.',
      newerDataUnknownVersion:
        'Dessa data har uppgraderats av en nyare Wharf (en version som inte registrerade sig): schemat har migreringar som denna Wharf ({{current}}) inte känner till ({{migrations}}). Kör den nyare Wharf på dem; den här startar inte, så att den inte kan skada data.',
    },
    pl: {
      newerData:
        'Te dane zostały zaktualizowane przez nowszy Wharf (wersja {{version}}): ich schemat zawiera migracje, których ten Wharf ({{current}}) nie zna ({{migrations}}). Uruchom na nich Wharf {{version}} lub nowszy; ten się nie uruchomi, aby nie uszkodzić danych.',
      newerDataUnknownVersion:
        'Te dane zostały zaktualizowane przez nowszy Wharf (wersję, która się nie zapisała): ich schemat zawiera migracje, których ten Wharf ({{current}}) nie zna ({{migrations}}). Uruchom na nich ten nowszy Wharf; ten się nie uruchomi, aby nie uszkodzić danych.',
    },
    'pt-BR': {
      newerData:
        'Estes dados foram atualizados por um Wharf mais novo (versão {{version}}): o esquema tem migrações que este Wharf ({{current}}) não conhece ({{migrations}}). Use o Wharf {{version}} ou posterior com eles; este não inicia, para não danificar os dados.',
      newerDataUnknownVersion:
        'Estes dados foram atualizados por um Wharf mais novo (uma versão que não se registrou): o esquema tem migrações que este Wharf ({{current}}) não conhece ({{migrations}}). Use esse Wharf mais novo com eles; este não inicia, para não danificar os dados.',
    },
  },
);
