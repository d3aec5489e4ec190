/** Microsoft Graph errors' messages in every language; the directory's own reasons stay English. */
import { defineCatalog } from '../../i18n/index.js';

export const graphErrorMessages = defineCatalog(
  'graph-errors',
  {
    notFound: "Resource '{{id}}' does not exist or one of its queried reference-property objects are not present.",
    badRequest: '{{message}}',
    unsupportedQuery: "Unsupported query: the $filter '{{filter}}' is not one of {{supported}}.",
    denied: 'Insufficient privileges to complete the operation. {{detail}}',
    directoryNotFound: '{{message}}',
    conflict: 'Another object with the same value already exists: {{message}}.',
  },
  {
    fr: {
      notFound: "La ressource '{{id}}' n’existe pas, ou l’un des objets de propriété de référence demandés est absent.",
      badRequest: 'Requête incorrecte : {{message}}',
      unsupportedQuery: "Requête non prise en charge : le $filter '{{filter}}' ne fait pas partie de {{supported}}.",
      denied: 'Privilèges insuffisants pour effectuer l’opération. {{detail}}',
      directoryNotFound: 'Introuvable dans l’annuaire : {{message}}',
      conflict: 'Un autre objet avec la même valeur existe déjà : {{message}}.',
    },
    sv: {
      notFound: "Resursen '{{id}}' finns inte, eller så saknas något av de efterfrågade referensegenskapsobjekten.",
      badRequest: 'Felaktig begäran: {{message}}',
      unsupportedQuery: "Frågan stöds inte: $filter '{{filter}}' är inte något av {{supported}}.",
      denied: 'Otillräckliga behörigheter för att slutföra åtgärden. {{detail}}',
      directoryNotFound: 'Hittades inte i katalogen: {{message}}',
      conflict: 'Ett annat objekt med samma värde finns redan: {{message}}.',
    },
    pl: {
      notFound: "Zasób '{{id}}' nie istnieje lub brakuje jednego z obiektów właściwości referencyjnych, których dotyczy zapytanie.",
      badRequest: 'Nieprawidłowe żądanie: {{message}}',
      unsupportedQuery: "Nieobsługiwane zapytanie: filtr $filter '{{filter}}' nie jest jednym z {{supported}}.",
      denied: 'Niewystarczające uprawnienia do wykonania operacji. {{detail}}',
      directoryNotFound: 'Nie odnaleziono w katalogu: {{message}}',
      conflict: 'Inny obiekt o tej samej wartości już istnieje: {{message}}.',
    },
    'pt-BR': {
      notFound: "O recurso '{{id}}' não existe ou um dos objetos de propriedade de referência consultados não está presente.",
      badRequest: 'Solicitação inválida: {{message}}',
      unsupportedQuery: "Consulta sem suporte: o $filter '{{filter}}' não é um de {{supported}}.",
      denied: 'Privilégios insuficientes para concluir a operação. {{detail}}',
      directoryNotFound: 'Não encontrado no diretório: {{message}}',
      conflict: 'Já existe outro objeto com o mesmo valor: {{message}}.',
    },
  },
);
