/**
 * The management plane's error messages (ARM's `{"error":{"code","message"}}`) in every language.
 * English is ARM's wording, as az and the SDKs show it. Keys whose English is just `{{message}}`
 * carry a caller's free text: it stays English, framed by a translated lead-in.
 */
import { defineCatalog } from '../i18n/index.js';

export const armErrorMessages = defineCatalog(
  'arm-errors',
  {
    missingApiVersion: 'The api-version query parameter (?api-version=) is required for all requests.',
    invalidRequestContent: "The request content was invalid and could not be deserialized: '{{why}}'.",
    requestTooLarge: 'The request content is larger than the {{limit}}-byte limit.',
    invalidParameter: '{{message}}',
    invalidResourceName: "The {{kind}} name '{{name}}' is invalid: {{rule}}.",
    featureNotSupported: "'{{field}}' cannot be set: {{why}}.",
    badRequest: '{{message}}',
    malformedPath: "The path '{{path}}' has malformed percent-encoding.",
    invalidFilter: "The $filter '{{filter}}' is not supported. Supported filters: {{supported}}.",
    noRoute: "Wharf's management API has no operation '{{method}} {{path}}'.",
    methodNotAllowed: "The HTTP method '{{method}}' is not supported at '{{path}}'. Supported: {{allowed}}.",
    missingAuthorization: "Authentication failed. The 'Authorization' header is missing.",
    malformedAuthorization: "Authentication failed. The 'Authorization' header is provided in an invalid format.",
    invalidToken: 'The access token is invalid: {{why}}.',
    expiredToken: 'The access token has expired: {{why}}. Get a new token and try again.',
    wrongAudience:
      'The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences {{accepted}}.',
    wrongTenant:
      "The access token is from the wrong issuer: tenant '{{tokenTenant}}'. It must match the tenant associated with subscription '{{subscriptionId}}'.",
    authorizationFailed:
      "The client '{{name}}' with object id '{{objectId}}' does not have authorization to perform action '{{action}}' over scope '{{scope}}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
    subscriptionNotFound: "The subscription '{{subscriptionId}}' could not be found.",
    resourceGroupNotFound: "Resource group '{{resourceGroup}}' could not be found.",
    resourceNotFound:
      "The Resource '{{type}}/{{name}}' under resource group '{{resourceGroup}}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    roleAssignmentNotFound: "The role assignment '{{name}}' is not found.",
    roleDefinitionNotFound: "The specified role definition with ID '{{id}}' does not exist.",
    conflict: '{{message}}',
    locationMismatch:
      "The resource '{{name}}' already exists in location '{{existing}}' in resource group '{{resourceGroup}}'. A resource with the same name cannot be created in location '{{requested}}'. Please select a new resource name.",
    quotaExceeded: 'The registry already has the {{limit}} {{what}} its {{sku}} SKU allows. Delete some, or move to a higher SKU.',
    premiumRequired: '{{message}}',
    firewallSaveFailed: "Failed to save firewall and virtual network settings for container registry '{{registry}}'. Error: {{cause}}",
    skuDowngradeBlocked:
      "The registry '{{registry}}' cannot move to the {{sku}} SKU: it has {{reasons}}, which only the Premium SKU supports. Remove them first.",
    networkAccessLockout:
      "The new network settings of registry '{{registry}}' would deny your own address '{{ip}}': {{reason}}. Add a rule that allows it, or repeat the request with the query parameter force=true (or the header x-wharf-force: true) to save anyway.",
    missingSubscriptionRegistration:
      "The subscription '{{subscriptionId}}' is not registered to use namespace '{{namespace}}'. Register it with: az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
    invalidResourceNamespace: "The resource namespace '{{namespace}}' is invalid.",
    notFound: '{{message}}',
    networkBadRequest: '{{message}}',
    principalNotFound: 'Principal {{principalId}} does not exist in the directory {{tenantId}}. Check that you have the correct principal ID.',
    subnetUsedByRegistry:
      "The client '{{name}}' with object id '{{objectId}}' does not have authorization to perform action '{{action}}' over scope '{{scope}}' or the scope is invalid. Subnet '{{subnetId}}' is used by the network rules of registry '{{registry}}'; changing its address prefixes changes who that registry admits.",
    subnetInUseByRegistry:
      "Subnet '{{subnet}}' of virtual network '{{vnet}}' is in use by the virtual network rules of registry {{registries}} and cannot be deleted. Remove the rule first (az acr network-rule remove).",
    subnetInUseByRegistries:
      "Subnet '{{subnet}}' of virtual network '{{vnet}}' is in use by the virtual network rules of registries {{registries}} and cannot be deleted. Remove the rules first (az acr network-rule remove).",
    internal: 'Wharf could not process the request; quote correlation id {{id}} to the operator.',
  },
  {
    fr: {
      missingApiVersion: 'Le paramètre de requête api-version (?api-version=) est obligatoire pour toutes les requêtes.',
      invalidRequestContent: "Le contenu de la requête n’était pas valide et n’a pas pu être désérialisé : '{{why}}'.",
      requestTooLarge: 'Le contenu de la requête dépasse la limite de {{limit}} octets.',
      invalidParameter: "La valeur du paramètre '{{target}}' n’est pas valide : {{message}}",
      invalidResourceName: "Le nom '{{name}}' ({{kind}}) n’est pas valide : {{rule}}.",
      featureNotSupported: "'{{field}}' ne peut pas être défini : {{why}}.",
      badRequest: 'Requête incorrecte : {{message}}',
      malformedPath: "Le chemin '{{path}}' contient un encodage en pourcentage mal formé.",
      invalidFilter: "Le $filter '{{filter}}' n’est pas pris en charge. Filtres pris en charge : {{supported}}.",
      noRoute: "L’API de gestion de Wharf n’a pas d’opération '{{method}} {{path}}'.",
      methodNotAllowed: "La méthode HTTP '{{method}}' n’est pas prise en charge sur '{{path}}'. Méthodes prises en charge : {{allowed}}.",
      missingAuthorization: "Échec de l’authentification. L’en-tête 'Authorization' est manquant.",
      malformedAuthorization: "Échec de l’authentification. L’en-tête 'Authorization' est fourni dans un format non valide.",
      invalidToken: 'Le jeton d’accès n’est pas valide : {{why}}.',
      expiredToken: 'Le jeton d’accès a expiré : {{why}}. Obtenez un nouveau jeton et réessayez.',
      wrongAudience:
        'Le jeton d’accès a été obtenu pour une audience ou une ressource incorrecte. Il doit correspondre exactement à l’une des audiences autorisées {{accepted}}.',
      wrongTenant:
        "Le jeton d’accès provient d’un émetteur incorrect : le locataire '{{tokenTenant}}'. Il doit correspondre au locataire associé à l’abonnement '{{subscriptionId}}'.",
      authorizationFailed:
        "Le client '{{name}}' avec l’ID d’objet '{{objectId}}' n’est pas autorisé à effectuer l’action '{{action}}' sur l’étendue '{{scope}}', ou l’étendue n’est pas valide. Si l’accès a été accordé récemment, actualisez vos informations d’identification.",
      subscriptionNotFound: "L’abonnement '{{subscriptionId}}' est introuvable.",
      resourceGroupNotFound: "Le groupe de ressources '{{resourceGroup}}' est introuvable.",
      resourceNotFound:
        "La ressource '{{type}}/{{name}}' du groupe de ressources '{{resourceGroup}}' est introuvable. Pour plus d’informations, consultez https://aka.ms/ARMResourceNotFoundFix",
      roleAssignmentNotFound: "L’attribution de rôle '{{name}}' est introuvable.",
      roleDefinitionNotFound: "La définition de rôle spécifiée avec l’ID '{{id}}' n’existe pas.",
      conflict: 'Conflit : {{message}}',
      locationMismatch:
        "La ressource '{{name}}' existe déjà à l’emplacement '{{existing}}' dans le groupe de ressources '{{resourceGroup}}'. Une ressource du même nom ne peut pas être créée à l’emplacement '{{requested}}'. Choisissez un autre nom de ressource.",
      quotaExceeded:
        'Le registre a déjà {{limit}} {{what}}, le maximum autorisé par sa référence SKU {{sku}}. Supprimez-en, ou passez à une référence SKU supérieure.',
      premiumRequired: 'Fonctionnalité réservée à la référence SKU Premium : {{message}}',
      firewallSaveFailed:
        "Impossible d’enregistrer les paramètres de pare-feu et de réseau virtuel du registre de conteneurs '{{registry}}'. Erreur : {{cause}}",
      skuDowngradeBlocked:
        "Le registre '{{registry}}' ne peut pas passer à la référence SKU {{sku}} : il a {{reasons}}, ce que seule la référence SKU Premium prend en charge. Supprimez-les d’abord.",
      networkAccessLockout:
        "Les nouveaux paramètres réseau du registre '{{registry}}' refuseraient votre propre adresse '{{ip}}' : {{reason}}. Ajoutez une règle qui l’autorise, ou renvoyez la requête avec le paramètre de requête force=true (ou l’en-tête x-wharf-force: true) pour enregistrer malgré tout.",
      missingSubscriptionRegistration:
        "L’abonnement '{{subscriptionId}}' n’est pas inscrit pour utiliser l’espace de noms '{{namespace}}'. Inscrivez-le avec : az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
      invalidResourceNamespace: "L’espace de noms de ressource '{{namespace}}' n’est pas valide.",
      notFound: 'Introuvable : {{message}}',
      networkBadRequest: 'Requête incorrecte : {{message}}',
      principalNotFound:
        'Le principal {{principalId}} n’existe pas dans l’annuaire {{tenantId}}. Vérifiez que vous utilisez le bon ID de principal.',
      subnetUsedByRegistry:
        "Le client '{{name}}' avec l’ID d’objet '{{objectId}}' n’est pas autorisé à effectuer l’action '{{action}}' sur l’étendue '{{scope}}', ou l’étendue n’est pas valide. Le sous-réseau '{{subnetId}}' est utilisé par les règles réseau du registre '{{registry}}' ; modifier ses préfixes d’adresse modifie qui ce registre admet.",
      subnetInUseByRegistry:
        "Le sous-réseau '{{subnet}}' du réseau virtuel '{{vnet}}' est utilisé par les règles de réseau virtuel du registre {{registries}} et ne peut pas être supprimé. Supprimez d’abord la règle (az acr network-rule remove).",
      subnetInUseByRegistries:
        "Le sous-réseau '{{subnet}}' du réseau virtuel '{{vnet}}' est utilisé par les règles de réseau virtuel des registres {{registries}} et ne peut pas être supprimé. Supprimez d’abord les règles (az acr network-rule remove).",
      internal: 'Wharf n’a pas pu traiter la requête ; communiquez l’ID de corrélation {{id}} à l’opérateur.',
    },
    sv: {
      missingApiVersion: 'Frågeparametern api-version (?api-version=) krävs för alla begäranden.',
      invalidRequestContent: "Begärans innehåll var ogiltigt och kunde inte deserialiseras: '{{why}}'.",
      requestTooLarge: 'Begärans innehåll är större än gränsen på {{limit}} byte.',
      invalidParameter: "Värdet för parametern '{{target}}' är ogiltigt: {{message}}",
      invalidResourceName: "Namnet '{{name}}' ({{kind}}) är ogiltigt: {{rule}}.",
      featureNotSupported: "'{{field}}' kan inte anges: {{why}}.",
      badRequest: 'Felaktig begäran: {{message}}',
      malformedPath: "Sökvägen '{{path}}' har felaktig procentkodning.",
      invalidFilter: "$filter '{{filter}}' stöds inte. Filter som stöds: {{supported}}.",
      noRoute: "Wharfs hanterings-API har ingen åtgärd '{{method}} {{path}}'.",
      methodNotAllowed: "HTTP-metoden '{{method}}' stöds inte för '{{path}}'. Metoder som stöds: {{allowed}}.",
      missingAuthorization: "Autentiseringen misslyckades. Huvudet 'Authorization' saknas.",
      malformedAuthorization: "Autentiseringen misslyckades. Huvudet 'Authorization' har ett ogiltigt format.",
      invalidToken: 'Åtkomsttoken är ogiltig: {{why}}.',
      expiredToken: 'Åtkomsttoken har upphört att gälla: {{why}}. Hämta en ny token och försök igen.',
      wrongAudience:
        'Åtkomsttoken har hämtats för fel målgrupp eller resurs. Den måste exakt matcha någon av de tillåtna målgrupperna {{accepted}}.',
      wrongTenant:
        "Åtkomsttoken kommer från fel utfärdare: klientorganisationen '{{tokenTenant}}'. Den måste matcha klientorganisationen som är kopplad till prenumerationen '{{subscriptionId}}'.",
      authorizationFailed:
        "Klienten '{{name}}' med objekt-ID '{{objectId}}' har inte behörighet att utföra åtgärden '{{action}}' i omfånget '{{scope}}', eller så är omfånget ogiltigt. Om åtkomst nyligen har beviljats uppdaterar du dina autentiseringsuppgifter.",
      subscriptionNotFound: "Prenumerationen '{{subscriptionId}}' hittades inte.",
      resourceGroupNotFound: "Resursgruppen '{{resourceGroup}}' hittades inte.",
      resourceNotFound:
        "Resursen '{{type}}/{{name}}' i resursgruppen '{{resourceGroup}}' hittades inte. Mer information finns på https://aka.ms/ARMResourceNotFoundFix",
      roleAssignmentNotFound: "Rolltilldelningen '{{name}}' hittades inte.",
      roleDefinitionNotFound: "Den angivna rolldefinitionen med ID '{{id}}' finns inte.",
      conflict: 'Konflikt: {{message}}',
      locationMismatch:
        "Resursen '{{name}}' finns redan på platsen '{{existing}}' i resursgruppen '{{resourceGroup}}'. En resurs med samma namn kan inte skapas på platsen '{{requested}}'. Välj ett nytt resursnamn.",
      quotaExceeded:
        'Registret har redan {{limit}} {{what}}, det högsta antal som dess SKU {{sku}} tillåter. Ta bort några, eller byt till en högre SKU.',
      premiumRequired: 'Funktionen kräver SKU:n Premium: {{message}}',
      firewallSaveFailed:
        "Det gick inte att spara inställningarna för brandvägg och virtuellt nätverk för containerregistret '{{registry}}'. Fel: {{cause}}",
      skuDowngradeBlocked:
        "Registret '{{registry}}' kan inte byta till SKU:n {{sku}}: det har {{reasons}}, vilket bara SKU:n Premium stöder. Ta bort dem först.",
      networkAccessLockout:
        "De nya nätverksinställningarna för registret '{{registry}}' skulle neka din egen adress '{{ip}}': {{reason}}. Lägg till en regel som tillåter den, eller upprepa begäran med frågeparametern force=true (eller huvudet x-wharf-force: true) för att spara ändå.",
      missingSubscriptionRegistration:
        "Prenumerationen '{{subscriptionId}}' är inte registrerad för att använda namnområdet '{{namespace}}'. Registrera den med: az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
      invalidResourceNamespace: "Resursnamnområdet '{{namespace}}' är ogiltigt.",
      notFound: 'Hittades inte: {{message}}',
      networkBadRequest: 'Felaktig begäran: {{message}}',
      principalNotFound:
        'Huvudnamnet {{principalId}} finns inte i katalogen {{tenantId}}. Kontrollera att du har rätt huvudnamns-ID.',
      subnetUsedByRegistry:
        "Klienten '{{name}}' med objekt-ID '{{objectId}}' har inte behörighet att utföra åtgärden '{{action}}' i omfånget '{{scope}}', eller så är omfånget ogiltigt. Undernätet '{{subnetId}}' används av nätverksreglerna för registret '{{registry}}'; att ändra dess adressprefix ändrar vilka registret släpper in.",
      subnetInUseByRegistry:
        "Undernätet '{{subnet}}' i det virtuella nätverket '{{vnet}}' används av reglerna för virtuella nätverk i registret {{registries}} och kan inte tas bort. Ta bort regeln först (az acr network-rule remove).",
      subnetInUseByRegistries:
        "Undernätet '{{subnet}}' i det virtuella nätverket '{{vnet}}' används av reglerna för virtuella nätverk i registren {{registries}} och kan inte tas bort. Ta bort reglerna först (az acr network-rule remove).",
      internal: 'Wharf kunde inte bearbeta begäran; ange korrelations-ID {{id}} för operatören.',
    },
    pl: {
      missingApiVersion: 'Parametr zapytania api-version (?api-version=) jest wymagany we wszystkich żądaniach.',
      invalidRequestContent: "Zawartość żądania była nieprawidłowa i nie można było jej zdeserializować: '{{why}}'.",
      requestTooLarge: 'Zawartość żądania przekracza limit {{limit}} bajtów.',
      invalidParameter: "Wartość parametru '{{target}}' jest nieprawidłowa: {{message}}",
      invalidResourceName: "Nazwa '{{name}}' ({{kind}}) jest nieprawidłowa: {{rule}}.",
      featureNotSupported: "Nie można ustawić '{{field}}': {{why}}.",
      badRequest: 'Nieprawidłowe żądanie: {{message}}',
      malformedPath: "Ścieżka '{{path}}' zawiera nieprawidłowe kodowanie procentowe.",
      invalidFilter: "Filtr $filter '{{filter}}' nie jest obsługiwany. Obsługiwane filtry: {{supported}}.",
      noRoute: "Interfejs API zarządzania Wharf nie ma operacji '{{method}} {{path}}'.",
      methodNotAllowed: "Metoda HTTP '{{method}}' nie jest obsługiwana dla '{{path}}'. Obsługiwane: {{allowed}}.",
      missingAuthorization: "Uwierzytelnianie nie powiodło się. Brak nagłówka 'Authorization'.",
      malformedAuthorization: "Uwierzytelnianie nie powiodło się. Nagłówek 'Authorization' ma nieprawidłowy format.",
      invalidToken: 'Token dostępu jest nieprawidłowy: {{why}}.',
      expiredToken: 'Token dostępu wygasł: {{why}}. Uzyskaj nowy token i spróbuj ponownie.',
      wrongAudience:
        'Token dostępu uzyskano dla niewłaściwych odbiorców lub zasobu. Musi on dokładnie odpowiadać jednemu z dozwolonych odbiorców {{accepted}}.',
      wrongTenant:
        "Token dostępu pochodzi od niewłaściwego wystawcy: dzierżawa '{{tokenTenant}}'. Musi odpowiadać dzierżawie skojarzonej z subskrypcją '{{subscriptionId}}'.",
      authorizationFailed:
        "Klient '{{name}}' o identyfikatorze obiektu '{{objectId}}' nie ma autoryzacji do wykonania akcji '{{action}}' w zakresie '{{scope}}' lub zakres jest nieprawidłowy. Jeśli dostęp został przyznany niedawno, odśwież poświadczenia.",
      subscriptionNotFound: "Nie można odnaleźć subskrypcji '{{subscriptionId}}'.",
      resourceGroupNotFound: "Nie można odnaleźć grupy zasobów '{{resourceGroup}}'.",
      resourceNotFound:
        "Nie odnaleziono zasobu '{{type}}/{{name}}' w grupie zasobów '{{resourceGroup}}'. Więcej informacji: https://aka.ms/ARMResourceNotFoundFix",
      roleAssignmentNotFound: "Nie odnaleziono przypisania roli '{{name}}'.",
      roleDefinitionNotFound: "Określona definicja roli o identyfikatorze '{{id}}' nie istnieje.",
      conflict: 'Konflikt: {{message}}',
      locationMismatch:
        "Zasób '{{name}}' już istnieje w lokalizacji '{{existing}}' w grupie zasobów '{{resourceGroup}}'. Nie można utworzyć zasobu o tej samej nazwie w lokalizacji '{{requested}}'. Wybierz nową nazwę zasobu.",
      quotaExceeded:
        'Rejestr ma już {{limit}} {{what}}, czyli tyle, na ile pozwala jego jednostka SKU {{sku}}. Usuń część z nich lub przejdź na wyższą jednostkę SKU.',
      premiumRequired: 'Funkcja wymaga jednostki SKU Premium: {{message}}',
      firewallSaveFailed:
        "Nie można zapisać ustawień zapory i sieci wirtualnej dla rejestru kontenerów '{{registry}}'. Błąd: {{cause}}",
      skuDowngradeBlocked:
        "Rejestru '{{registry}}' nie można przenieść do jednostki SKU {{sku}}: ma {{reasons}}, co obsługuje tylko jednostka SKU Premium. Najpierw je usuń.",
      networkAccessLockout:
        "Nowe ustawienia sieci rejestru '{{registry}}' zablokowałyby Twój własny adres '{{ip}}': {{reason}}. Dodaj regułę, która go dopuszcza, lub powtórz żądanie z parametrem zapytania force=true (albo nagłówkiem x-wharf-force: true), aby mimo to zapisać.",
      missingSubscriptionRegistration:
        "Subskrypcja '{{subscriptionId}}' nie jest zarejestrowana do używania przestrzeni nazw '{{namespace}}'. Zarejestruj ją poleceniem: az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
      invalidResourceNamespace: "Przestrzeń nazw zasobu '{{namespace}}' jest nieprawidłowa.",
      notFound: 'Nie odnaleziono: {{message}}',
      networkBadRequest: 'Nieprawidłowe żądanie: {{message}}',
      principalNotFound:
        'Podmiot zabezpieczeń {{principalId}} nie istnieje w katalogu {{tenantId}}. Sprawdź, czy masz prawidłowy identyfikator podmiotu zabezpieczeń.',
      subnetUsedByRegistry:
        "Klient '{{name}}' o identyfikatorze obiektu '{{objectId}}' nie ma autoryzacji do wykonania akcji '{{action}}' w zakresie '{{scope}}' lub zakres jest nieprawidłowy. Podsieć '{{subnetId}}' jest używana przez reguły sieci rejestru '{{registry}}'; zmiana jej prefiksów adresów zmienia to, kogo ten rejestr dopuszcza.",
      subnetInUseByRegistry:
        "Podsieć '{{subnet}}' sieci wirtualnej '{{vnet}}' jest używana przez reguły sieci wirtualnej rejestru {{registries}} i nie można jej usunąć. Najpierw usuń regułę (az acr network-rule remove).",
      subnetInUseByRegistries:
        "Podsieć '{{subnet}}' sieci wirtualnej '{{vnet}}' jest używana przez reguły sieci wirtualnej rejestrów {{registries}} i nie można jej usunąć. Najpierw usuń reguły (az acr network-rule remove).",
      internal: 'Wharf nie mógł przetworzyć żądania; podaj operatorowi identyfikator korelacji {{id}}.',
    },
    'pt-BR': {
      missingApiVersion: 'O parâmetro de consulta api-version (?api-version=) é obrigatório em todas as solicitações.',
      invalidRequestContent: "O conteúdo da solicitação era inválido e não pôde ser desserializado: '{{why}}'.",
      requestTooLarge: 'O conteúdo da solicitação excede o limite de {{limit}} bytes.',
      invalidParameter: "O valor do parâmetro '{{target}}' é inválido: {{message}}",
      invalidResourceName: "O nome '{{name}}' ({{kind}}) é inválido: {{rule}}.",
      featureNotSupported: "'{{field}}' não pode ser definido: {{why}}.",
      badRequest: 'Solicitação inválida: {{message}}',
      malformedPath: "O caminho '{{path}}' tem codificação percentual malformada.",
      invalidFilter: "O $filter '{{filter}}' não é compatível. Filtros compatíveis: {{supported}}.",
      noRoute: "A API de gerenciamento do Wharf não tem a operação '{{method}} {{path}}'.",
      methodNotAllowed: "O método HTTP '{{method}}' não é compatível em '{{path}}'. Compatíveis: {{allowed}}.",
      missingAuthorization: "Falha na autenticação. O cabeçalho 'Authorization' está ausente.",
      malformedAuthorization: "Falha na autenticação. O cabeçalho 'Authorization' foi fornecido em um formato inválido.",
      invalidToken: 'O token de acesso é inválido: {{why}}.',
      expiredToken: 'O token de acesso expirou: {{why}}. Obtenha um novo token e tente novamente.',
      wrongAudience:
        'O token de acesso foi obtido para o público-alvo ou recurso errado. Ele deve corresponder exatamente a um dos públicos-alvo permitidos {{accepted}}.',
      wrongTenant:
        "O token de acesso é do emissor errado: locatário '{{tokenTenant}}'. Ele deve corresponder ao locatário associado à assinatura '{{subscriptionId}}'.",
      authorizationFailed:
        "O cliente '{{name}}' com a ID de objeto '{{objectId}}' não tem autorização para executar a ação '{{action}}' no escopo '{{scope}}' ou o escopo é inválido. Se o acesso foi concedido recentemente, atualize suas credenciais.",
      subscriptionNotFound: "Não foi possível encontrar a assinatura '{{subscriptionId}}'.",
      resourceGroupNotFound: "Não foi possível encontrar o grupo de recursos '{{resourceGroup}}'.",
      resourceNotFound:
        "O recurso '{{type}}/{{name}}' no grupo de recursos '{{resourceGroup}}' não foi encontrado. Para obter mais detalhes, acesse https://aka.ms/ARMResourceNotFoundFix",
      roleAssignmentNotFound: "A atribuição de função '{{name}}' não foi encontrada.",
      roleDefinitionNotFound: "A definição de função especificada com a ID '{{id}}' não existe.",
      conflict: 'Conflito: {{message}}',
      locationMismatch:
        "O recurso '{{name}}' já existe no local '{{existing}}' no grupo de recursos '{{resourceGroup}}'. Um recurso com o mesmo nome não pode ser criado no local '{{requested}}'. Selecione um novo nome de recurso.",
      quotaExceeded:
        'O registro já tem {{limit}} {{what}}, o máximo que seu SKU {{sku}} permite. Exclua alguns ou mude para um SKU superior.',
      premiumRequired: 'O recurso exige o SKU Premium: {{message}}',
      firewallSaveFailed:
        "Falha ao salvar as configurações de firewall e de rede virtual do registro de contêiner '{{registry}}'. Erro: {{cause}}",
      skuDowngradeBlocked:
        "O registro '{{registry}}' não pode mudar para o SKU {{sku}}: ele tem {{reasons}}, que apenas o SKU Premium oferece. Remova-os primeiro.",
      networkAccessLockout:
        "As novas configurações de rede do registro '{{registry}}' negariam seu próprio endereço '{{ip}}': {{reason}}. Adicione uma regra que o permita ou repita a solicitação com o parâmetro de consulta force=true (ou o cabeçalho x-wharf-force: true) para salvar mesmo assim.",
      missingSubscriptionRegistration:
        "A assinatura '{{subscriptionId}}' não está registrada para usar o namespace '{{namespace}}'. Registre-a com: az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
      invalidResourceNamespace: "O namespace de recurso '{{namespace}}' é inválido.",
      notFound: 'Não encontrado: {{message}}',
      networkBadRequest: 'Solicitação inválida: {{message}}',
      principalNotFound:
        'A entidade de segurança {{principalId}} não existe no diretório {{tenantId}}. Verifique se você tem a ID de entidade de segurança correta.',
      subnetUsedByRegistry:
        "O cliente '{{name}}' com a ID de objeto '{{objectId}}' não tem autorização para executar a ação '{{action}}' no escopo '{{scope}}' ou o escopo é inválido. A sub-rede '{{subnetId}}' é usada pelas regras de rede do registro '{{registry}}'; alterar seus prefixos de endereço altera quem esse registro admite.",
      subnetInUseByRegistry:
        "A sub-rede '{{subnet}}' da rede virtual '{{vnet}}' está em uso pelas regras de rede virtual do registro {{registries}} e não pode ser excluída. Remova a regra primeiro (az acr network-rule remove).",
      subnetInUseByRegistries:
        "A sub-rede '{{subnet}}' da rede virtual '{{vnet}}' está em uso pelas regras de rede virtual dos registros {{registries}} e não pode ser excluída. Remova as regras primeiro (az acr network-rule remove).",
      internal: 'O Wharf não pôde processar a solicitação; informe a ID de correlação {{id}} ao operador.',
    },
  },
);
