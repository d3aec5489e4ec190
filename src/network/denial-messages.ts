/**
 * The network gate's 403 in every language. The English text is ACR's own (check-health and az
 * recognise it); the translations use the wording of ACR's localized troubleshooting guides (« règles de pare-feu », «brandväggsregler»…).
 */
import { defineCatalog } from '../i18n/index.js';

export const denialMessages = defineCatalog(
  'network-denial',
  {
    notAllowed: "client with IP '{{ip}}' is not allowed access. Refer {{helpUrl}} to grant access.",
  },
  {
    fr: {
      notAllowed: "le client avec l’adresse IP '{{ip}}' n’est pas autorisé à accéder au registre. Consultez {{helpUrl}} pour accorder l’accès.",
    },
    sv: {
      notAllowed: "klienten med IP-adressen '{{ip}}' har inte åtkomst till registret. Se {{helpUrl}} för att bevilja åtkomst.",
    },
    pl: {
      notAllowed: "klient z adresem IP '{{ip}}' nie ma dostępu do rejestru. Zobacz {{helpUrl}}, aby przyznać dostęp.",
    },
    'pt-BR': {
      notAllowed: "o cliente com o IP '{{ip}}' não tem permissão de acesso ao registro. Consulte {{helpUrl}} para conceder acesso.",
    },
  },
);
