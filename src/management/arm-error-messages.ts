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
    premiumNetworkRules: 'Network rules are only supported for managed registries in Premium SKU.',
    premiumPublicAccess: 'Disabling public network access is only supported for managed registries in Premium SKU.',
    premiumDataEndpoints: 'Dedicated data endpoints are only supported for managed registries in Premium SKU.',
    premiumPrivateEndpoints: 'Private endpoints are only supported for managed registries in Premium SKU.',
    premiumReplication: 'Geo-replication is only supported for managed registries in Premium SKU.',
    ipRuleEmpty: 'the IP rule is empty: give an IPv4 address (1.2.3.4) or CIDR range (1.2.3.0/24).',
    ipRuleIpv6: "'{{value}}' is an IPv6 IP rule: network rules support IPv4 addresses and CIDR ranges only.",
    ipRuleInvalid: "'{{value}}' is not a valid IPv4 IP rule: expected four numbers 0-255 separated by dots (1.2.3.4), optionally with a prefix length (/0 to /32).",
    ipRulePrefix: "'{{value}}' has an invalid prefix length '/{{prefix}}': it must be a number from 0 to 32.",
    tooManyIpRules: '{{count}} IP rules were given; the {{sku}} SKU allows at most {{limit}}.',
    tooManyVnetRules: '{{count}} virtual network rules were given; the {{sku}} SKU allows at most {{limit}}.',
    notSubnetId: "'{{id}}' is not a subnet id: expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>.",
    ruleSubnetNotFound: "Subnet '{{id}}' could not be found. Create it (or fix the id) before adding a rule for it.",
    subnetWithoutServiceEndpoint: "Subnet '{{subnet}}' of virtual network '{{vnet}}' does not have the service endpoint '{{endpoint}}' enabled. Add it to the subnet (properties.serviceEndpoints) first: az network vnet subnet update --service-endpoints {{endpoint}} --ids {{id}}",
    invalidEnumValue: "'{{value}}' is not a valid value of {{path}}: use {{allowed}}.",
    invalidRuleAction: "'{{action}}' is not a valid rule action: network rules only allow ('Allow').",
    invalidLocation: "'{{location}}' is not a location name (letters, digits and dashes, like 'westeurope' or 'local').",
    invalidSku: "'{{name}}' is not a registry SKU: use Basic, Standard or Premium.",
    invalidRoleAssignmentId: "The role assignment ID '{{name}}' is not valid. The role assignment ID must be a GUID.",
    unmatchedPrincipalType: "The PrincipalType in the request doesn't match the principal's actual type: principal {{principalId}} is a {{actual}}, not a {{requested}}.",
    adminUserDisabled: 'Admin user is disabled. Enable it first: PATCH the registry with properties.adminUserEnabled=true (az acr update -n {{registry}} --admin-enabled true).',
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
      premiumNetworkRules: 'Les règles réseau ne sont prises en charge que pour les registres managés de la référence SKU Premium.',
      premiumPublicAccess: 'La désactivation de l’accès au réseau public n’est prise en charge que pour les registres managés de la référence SKU Premium.',
      premiumDataEndpoints: 'Les points de terminaison de données dédiés ne sont pris en charge que pour les registres managés de la référence SKU Premium.',
      premiumPrivateEndpoints: 'Les points de terminaison privés ne sont pris en charge que pour les registres managés de la référence SKU Premium.',
      premiumReplication: 'La géoréplication n’est prise en charge que pour les registres managés de la référence SKU Premium.',
      ipRuleEmpty: 'la règle IP est vide : indiquez une adresse IPv4 (1.2.3.4) ou une plage CIDR (1.2.3.0/24).',
      ipRuleIpv6: "'{{value}}' est une règle IP IPv6 : les règles réseau n’acceptent que des adresses IPv4 et des plages CIDR.",
      ipRuleInvalid: "'{{value}}' n’est pas une règle IP IPv4 valide : quatre nombres de 0 à 255 séparés par des points sont attendus (1.2.3.4), éventuellement suivis d’une longueur de préfixe (/0 à /32).",
      ipRulePrefix: "'{{value}}' a une longueur de préfixe non valide '/{{prefix}}' : elle doit être un nombre de 0 à 32.",
      tooManyIpRules: '{{count}} règles IP ont été fournies ; la référence SKU {{sku}} en autorise au plus {{limit}}.',
      tooManyVnetRules: '{{count}} règles de réseau virtuel ont été fournies ; la référence SKU {{sku}} en autorise au plus {{limit}}.',
      notSubnetId: "'{{id}}' n’est pas un ID de sous-réseau : format attendu /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>.",
      ruleSubnetNotFound: "Le sous-réseau '{{id}}' est introuvable. Créez-le (ou corrigez l’ID) avant d’ajouter une règle pour lui.",
      subnetWithoutServiceEndpoint: "Le point de terminaison de service '{{endpoint}}' n’est pas activé sur le sous-réseau '{{subnet}}' du réseau virtuel '{{vnet}}'. Ajoutez-le d’abord au sous-réseau (properties.serviceEndpoints) : az network vnet subnet update --service-endpoints {{endpoint}} --ids {{id}}",
      invalidEnumValue: "'{{value}}' n’est pas une valeur valide pour {{path}} : utilisez {{allowed}}.",
      invalidRuleAction: "'{{action}}' n’est pas une action de règle valide : les règles réseau n’autorisent que ('Allow').",
      invalidLocation: "'{{location}}' n’est pas un nom d’emplacement (lettres, chiffres et tirets, comme 'westeurope' ou 'local').",
      invalidSku: "'{{name}}' n’est pas une référence SKU de registre : utilisez Basic, Standard ou Premium.",
      invalidRoleAssignmentId: "L’ID d’attribution de rôle '{{name}}' n’est pas valide. L’ID d’attribution de rôle doit être un GUID.",
      unmatchedPrincipalType: "Le PrincipalType de la requête ne correspond pas au type réel du principal : le principal {{principalId}} est de type {{actual}}, pas {{requested}}.",
      adminUserDisabled: 'L’utilisateur administrateur est désactivé. Activez-le d’abord : PATCH du registre avec properties.adminUserEnabled=true (az acr update -n {{registry}} --admin-enabled true).',
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
      premiumNetworkRules: 'Nätverksregler stöds endast för hanterade register med SKU:n Premium.',
      premiumPublicAccess: 'Att inaktivera åtkomst från offentligt nätverk stöds endast för hanterade register med SKU:n Premium.',
      premiumDataEndpoints: 'Dedikerade dataslutpunkter stöds endast för hanterade register med SKU:n Premium.',
      premiumPrivateEndpoints: 'Privata slutpunkter stöds endast för hanterade register med SKU:n Premium.',
      premiumReplication: 'Georeplikering stöds endast för hanterade register med SKU:n Premium.',
      ipRuleEmpty: 'IP-regeln är tom: ange en IPv4-adress (1.2.3.4) eller ett CIDR-intervall (1.2.3.0/24).',
      ipRuleIpv6: "'{{value}}' är en IPv6-IP-regel: nätverksregler stöder endast IPv4-adresser och CIDR-intervall.",
      ipRuleInvalid: "'{{value}}' är ingen giltig IPv4-IP-regel: förväntade fyra tal 0–255 åtskilda av punkter (1.2.3.4), eventuellt med en prefixlängd (/0 till /32).",
      ipRulePrefix: "'{{value}}' har en ogiltig prefixlängd '/{{prefix}}': den måste vara ett tal från 0 till 32.",
      tooManyIpRules: '{{count}} IP-regler angavs; SKU:n {{sku}} tillåter högst {{limit}}.',
      tooManyVnetRules: '{{count}} regler för virtuella nätverk angavs; SKU:n {{sku}} tillåter högst {{limit}}.',
      notSubnetId: "'{{id}}' är inget undernäts-ID: förväntade /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>.",
      ruleSubnetNotFound: "Undernätet '{{id}}' hittades inte. Skapa det (eller rätta ID:t) innan du lägger till en regel för det.",
      subnetWithoutServiceEndpoint: "Undernätet '{{subnet}}' i det virtuella nätverket '{{vnet}}' har inte tjänstslutpunkten '{{endpoint}}' aktiverad. Lägg först till den i undernätet (properties.serviceEndpoints): az network vnet subnet update --service-endpoints {{endpoint}} --ids {{id}}",
      invalidEnumValue: "'{{value}}' är inget giltigt värde för {{path}}: använd {{allowed}}.",
      invalidRuleAction: "'{{action}}' är ingen giltig regelåtgärd: nätverksregler tillåter endast ('Allow').",
      invalidLocation: "'{{location}}' är inget platsnamn (bokstäver, siffror och bindestreck, som 'westeurope' eller 'local').",
      invalidSku: "'{{name}}' är ingen register-SKU: använd Basic, Standard eller Premium.",
      invalidRoleAssignmentId: "Rolltilldelnings-ID:t '{{name}}' är ogiltigt. Rolltilldelnings-ID:t måste vara ett GUID.",
      unmatchedPrincipalType: "PrincipalType i begäran matchar inte huvudnamnets faktiska typ: huvudnamnet {{principalId}} är av typen {{actual}}, inte {{requested}}.",
      adminUserDisabled: 'Administratörsanvändaren är inaktiverad. Aktivera den först: PATCH registret med properties.adminUserEnabled=true (az acr update -n {{registry}} --admin-enabled true).',
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
      premiumNetworkRules: 'Reguły sieciowe są obsługiwane tylko w rejestrach zarządzanych w jednostce SKU Premium.',
      premiumPublicAccess: 'Wyłączenie dostępu z sieci publicznej jest obsługiwane tylko w rejestrach zarządzanych w jednostce SKU Premium.',
      premiumDataEndpoints: 'Dedykowane punkty końcowe danych są obsługiwane tylko w rejestrach zarządzanych w jednostce SKU Premium.',
      premiumPrivateEndpoints: 'Prywatne punkty końcowe są obsługiwane tylko w rejestrach zarządzanych w jednostce SKU Premium.',
      premiumReplication: 'Replikacja geograficzna jest obsługiwana tylko w rejestrach zarządzanych w jednostce SKU Premium.',
      ipRuleEmpty: 'reguła IP jest pusta: podaj adres IPv4 (1.2.3.4) lub zakres CIDR (1.2.3.0/24).',
      ipRuleIpv6: "'{{value}}' to reguła IP w formacie IPv6: reguły sieciowe obsługują tylko adresy IPv4 i zakresy CIDR.",
      ipRuleInvalid: "'{{value}}' nie jest prawidłową regułą IP IPv4: oczekiwano czterech liczb 0–255 oddzielonych kropkami (1.2.3.4), opcjonalnie z długością prefiksu (/0 do /32).",
      ipRulePrefix: "'{{value}}' ma nieprawidłową długość prefiksu '/{{prefix}}': musi to być liczba od 0 do 32.",
      tooManyIpRules: 'Podano reguły IP: {{count}}; jednostka SKU {{sku}} pozwala na co najwyżej {{limit}}.',
      tooManyVnetRules: 'Podano reguły sieci wirtualnej: {{count}}; jednostka SKU {{sku}} pozwala na co najwyżej {{limit}}.',
      notSubnetId: "'{{id}}' nie jest identyfikatorem podsieci: oczekiwano /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>.",
      ruleSubnetNotFound: "Nie można odnaleźć podsieci '{{id}}'. Utwórz ją (lub popraw identyfikator), zanim dodasz dla niej regułę.",
      subnetWithoutServiceEndpoint: "Podsieć '{{subnet}}' sieci wirtualnej '{{vnet}}' nie ma włączonego punktu końcowego usługi '{{endpoint}}'. Najpierw dodaj go do podsieci (properties.serviceEndpoints): az network vnet subnet update --service-endpoints {{endpoint}} --ids {{id}}",
      invalidEnumValue: "'{{value}}' nie jest prawidłową wartością {{path}}: użyj {{allowed}}.",
      invalidRuleAction: "'{{action}}' nie jest prawidłową akcją reguły: reguły sieciowe dopuszczają tylko ('Allow').",
      invalidLocation: "'{{location}}' nie jest nazwą lokalizacji (litery, cyfry i łączniki, np. 'westeurope' lub 'local').",
      invalidSku: "'{{name}}' nie jest jednostką SKU rejestru: użyj Basic, Standard lub Premium.",
      invalidRoleAssignmentId: "Identyfikator przypisania roli '{{name}}' jest nieprawidłowy. Identyfikator przypisania roli musi być identyfikatorem GUID.",
      unmatchedPrincipalType: "Wartość PrincipalType w żądaniu nie odpowiada rzeczywistemu typowi podmiotu zabezpieczeń: podmiot {{principalId}} jest typu {{actual}}, a nie {{requested}}.",
      adminUserDisabled: 'Użytkownik administracyjny jest wyłączony. Najpierw go włącz: PATCH rejestru z properties.adminUserEnabled=true (az acr update -n {{registry}} --admin-enabled true).',
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
      premiumNetworkRules: 'As regras de rede só têm suporte em registros gerenciados no SKU Premium.',
      premiumPublicAccess: 'A desabilitação do acesso à rede pública só tem suporte em registros gerenciados no SKU Premium.',
      premiumDataEndpoints: 'Os pontos de extremidade de dados dedicados só têm suporte em registros gerenciados no SKU Premium.',
      premiumPrivateEndpoints: 'Os pontos de extremidade privados só têm suporte em registros gerenciados no SKU Premium.',
      premiumReplication: 'A replicação geográfica só tem suporte em registros gerenciados no SKU Premium.',
      ipRuleEmpty: 'a regra de IP está vazia: informe um endereço IPv4 (1.2.3.4) ou um intervalo CIDR (1.2.3.0/24).',
      ipRuleIpv6: "'{{value}}' é uma regra de IP IPv6: as regras de rede aceitam apenas endereços IPv4 e intervalos CIDR.",
      ipRuleInvalid: "'{{value}}' não é uma regra de IP IPv4 válida: esperados quatro números de 0 a 255 separados por pontos (1.2.3.4), opcionalmente com um comprimento de prefixo (/0 a /32).",
      ipRulePrefix: "'{{value}}' tem um comprimento de prefixo inválido '/{{prefix}}': deve ser um número de 0 a 32.",
      tooManyIpRules: 'Foram informadas {{count}} regras de IP; o SKU {{sku}} permite no máximo {{limit}}.',
      tooManyVnetRules: 'Foram informadas {{count}} regras de rede virtual; o SKU {{sku}} permite no máximo {{limit}}.',
      notSubnetId: "'{{id}}' não é uma ID de sub-rede: esperado /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>.",
      ruleSubnetNotFound: "A sub-rede '{{id}}' não foi encontrada. Crie-a (ou corrija a ID) antes de adicionar uma regra para ela.",
      subnetWithoutServiceEndpoint: "A sub-rede '{{subnet}}' da rede virtual '{{vnet}}' não tem o ponto de extremidade de serviço '{{endpoint}}' habilitado. Adicione-o primeiro à sub-rede (properties.serviceEndpoints): az network vnet subnet update --service-endpoints {{endpoint}} --ids {{id}}",
      invalidEnumValue: "'{{value}}' não é um valor válido de {{path}}: use {{allowed}}.",
      invalidRuleAction: "'{{action}}' não é uma ação de regra válida: as regras de rede só permitem ('Allow').",
      invalidLocation: "'{{location}}' não é um nome de local (letras, dígitos e hífens, como 'westeurope' ou 'local').",
      invalidSku: "'{{name}}' não é um SKU de registro: use Basic, Standard ou Premium.",
      invalidRoleAssignmentId: "A ID de atribuição de função '{{name}}' não é válida. A ID de atribuição de função deve ser um GUID.",
      unmatchedPrincipalType: "O PrincipalType na solicitação não corresponde ao tipo real da entidade de segurança: a entidade de segurança {{principalId}} é do tipo {{actual}}, não {{requested}}.",
      adminUserDisabled: 'O usuário administrador está desabilitado. Habilite-o primeiro: PATCH no registro com properties.adminUserEnabled=true (az acr update -n {{registry}} --admin-enabled true).',
      internal: 'O Wharf não pôde processar a solicitação; informe a ID de correlação {{id}} ao operador.',
    },
  },
);
