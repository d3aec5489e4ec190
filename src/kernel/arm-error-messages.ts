/**
 * The management plane's error messages (ARM's `{"error":{"code","message"}}`) in every language.
 * English is ARM's wording, as az and the SDKs show it.
 */
import { defineCatalog } from '../i18n/index.js';

export const armErrorMessages = defineCatalog(
  'arm-errors',
  {
    missingApiVersion: 'The api-version query parameter (?api-version=) is required for all requests.',
    apiVersionInvalid:
      "The api-version '{{version}}' is invalid. The supported versions are '{{versions}}'.",
    apiVersionNoProvider:
      "No registered resource provider found for API version '{{version}}' for type '{{type}}'. The supported api-versions are '{{versions}}'.",
    invalidRequestContent: "The request content was invalid and could not be deserialized: '{{why}}'.",
    requestTooLarge: 'The request content is larger than the {{limit}}-byte limit.',
    jsonTooDeep: 'The request content nests objects and arrays more than {{limit}} levels deep, which no request needs.',
    invalidResourceName: "The {{kind}} name '{{name}}' is invalid: {{rule}}.",
    featureNotSupported: "'{{field}}' cannot be set: {{why}}.",
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
    resourceGroupHoldsOthers:
      "The resource group '{{resourceGroup}}' cannot be deleted here while it holds virtual networks, private endpoints or managed identities ({{resources}}): delete them first; its registries are deleted with it.",
    resourceNotFound:
      "The Resource '{{type}}/{{name}}' under resource group '{{resourceGroup}}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    roleAssignmentNotFound: "The role assignment '{{name}}' is not found.",
    roleDefinitionNotFound: "The specified role definition with ID '{{id}}' does not exist.",
    locationMismatch:
      "The resource '{{name}}' already exists in location '{{existing}}' in resource group '{{resourceGroup}}'. A resource with the same name cannot be created in location '{{requested}}'. Please select a new resource name.",
    quotaExceeded: 'The registry already has the {{limit}} {{what}} its {{sku}} SKU allows. Delete some, or move to a higher SKU.',
    firewallSaveFailed: "Failed to save firewall and virtual network settings for container registry '{{registry}}'. Error: {{cause}}",
    skuDowngradeBlocked:
      "The registry '{{registry}}' cannot move to the {{sku}} SKU: it has {{reasons}}, which only the Premium SKU supports. Remove them first.",
    networkAccessLockout:
      "The new network settings of registry '{{registry}}' would deny your own address '{{ip}}': {{reason}}. Allow your address first, then repeat the change: az acr network-rule add -n {{registry}} --ip-address {{ip}} (wharf network-rule add -n {{registry}} --ip-address {{ip}}). To save the settings anyway, repeat the request with the query parameter force=true or the header x-wharf-force: true (wharf: --force; az: {{azRest}}).",
    networkAccessLockoutNoRule:
      "The new network settings of registry '{{registry}}' would deny your own address '{{ip}}': {{reason}}. No IP rule can admit it. To save the settings anyway, repeat the request with the query parameter force=true or the header x-wharf-force: true (wharf: --force; az: {{azRest}}).",
    missingSubscriptionRegistration:
      "The subscription '{{subscriptionId}}' is not registered to use namespace '{{namespace}}'. Register it with: az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
    invalidResourceNamespace: "The resource namespace '{{namespace}}' is invalid.",
    principalNotFound: 'Principal {{principalId}} does not exist in the directory {{tenantId}}. Check that you have the correct principal ID.',
    subnetUsedByRegistry:
      "The client '{{name}}' with object id '{{objectId}}' does not have authorization to perform action '{{action}}' over scope '{{scope}}' or the scope is invalid. Subnet '{{subnetId}}' is used by the network rules of registry '{{registry}}'; changing its address prefixes changes who that registry admits.",
    subnetInUseByRegistry_one:
      "Subnet '{{subnet}}' of virtual network '{{vnet}}' is in use by the virtual network rules of registry {{registries}} and cannot be deleted. Remove the rule first (az acr network-rule remove).",
    subnetInUseByRegistry_other:
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
    adminUserDisabled:
      'Cannot perform credential operations for {{registryId}} as admin user is disabled. Kindly enable admin user as per docs: https://docs.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account (az acr update -n {{registry}} --admin-enabled true).',
    tokenPasswordName: "'{{value}}' is not a token password name: use 'password1' or 'password2'.",
    tokenStatus: "'{{value}}' is not a token status: use 'enabled' or 'disabled'.",
    notScopeMapId: "'{{value}}' is not the id of a scope map of this registry: expected '{{registryId}}/scopeMaps/<name>'.",
    scopeMapMissing: "The scope map '{{name}}' does not exist in registry '{{registry}}'.",
    newTokenPasswords: 'A new token has no passwords yet: create them with POST generateCredentials after the token.',
    notTokenId: "'{{value}}' is not the id of a token of this registry: expected '{{registryId}}/tokens/<name>'.",
    expiryInPast: 'The expiry {{expiry}} is in the past.',
    systemScopeMapReadOnly: "'{{name}}' is a system-defined scope map: it cannot be changed or deleted. Create a user-defined map instead.",
    tooManyActions: 'A scope map holds at most {{limit}} actions; this one has {{count}}.',
    scopeMapInUse_one: "The scope map '{{name}}' is used by the token {{tokens}}. Delete that token or give it another scope map first.",
    scopeMapInUse_other: "The scope map '{{name}}' is used by the tokens {{tokens}}. Delete those tokens or give them another scope map first.",
    ipNotInSubnet: "Private static IP address {{address}} does not belong to the range of subnet '{{subnet}}' ({{prefixes}}).",
    ipReserved: "Private static IP address {{address}} is reserved in subnet '{{subnet}}': the first four addresses and the last of a range are Azure's.",
    ipInUse: 'Private static IP address {{address}} is already in use by another private endpoint.',
    subnetIsFull: "Subnet '{{subnet}}' ({{prefixes}}) has no free address left for a private endpoint.",
    subnetNotFound: "Subnet '{{id}}' could not be found.",
    privateLinkServiceNotFound: "The private link service '{{id}}' (a registry) could not be found.",
    connectionNotFound: "Private endpoint connection '{{name}}' of registry '{{registry}}' was not found.",
    internal: 'Wharf could not process the request; quote correlation id {{id}} to the operator.',
    insufficientStorage: 'The registry storage is full: Wharf has no disk space left for this write. Deleting repositories, manifests or tags and running garbage collection still work.',
  },
  {
    fr: {
      missingApiVersion: 'Le paramètre de requête api-version (?api-version=) est obligatoire pour toutes les requêtes.',
      apiVersionInvalid:
        "L’api-version '{{version}}' n’est pas valide. Les versions prises en charge sont '{{versions}}'.",
      apiVersionNoProvider:
        "Aucun fournisseur de ressources inscrit n’a été trouvé pour la version d’API '{{version}}' et le type '{{type}}'. Les versions d’API prises en charge sont '{{versions}}'.",
      invalidRequestContent: "Le contenu de la requête n’était pas valide et n’a pas pu être désérialisé : '{{why}}'.",
      requestTooLarge: 'Le contenu de la requête dépasse la limite de {{limit}} octets.',
      jsonTooDeep: 'Le contenu de la requête imbrique des objets et des tableaux sur plus de {{limit}} niveaux, ce dont aucune requête n’a besoin.',
      invalidResourceName: "Le nom '{{name}}' ({{kind}}) n’est pas valide : {{rule}}.",
      featureNotSupported: "'{{field}}' ne peut pas être défini : {{why}}.",
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
      resourceGroupHoldsOthers:
        "Le groupe de ressources '{{resourceGroup}}' ne peut pas être supprimé ici tant qu’il contient des réseaux virtuels, des points de terminaison privés ou des identités managées ({{resources}}) : supprimez-les d’abord ; ses registres sont supprimés avec lui.",
      resourceNotFound:
        "La ressource '{{type}}/{{name}}' du groupe de ressources '{{resourceGroup}}' est introuvable. Pour plus d’informations, consultez https://aka.ms/ARMResourceNotFoundFix",
      roleAssignmentNotFound: "L’attribution de rôle '{{name}}' est introuvable.",
      roleDefinitionNotFound: "La définition de rôle spécifiée avec l’ID '{{id}}' n’existe pas.",
      locationMismatch:
        "La ressource '{{name}}' existe déjà à l’emplacement '{{existing}}' dans le groupe de ressources '{{resourceGroup}}'. Une ressource du même nom ne peut pas être créée à l’emplacement '{{requested}}'. Choisissez un autre nom de ressource.",
      quotaExceeded:
        'Le registre a déjà {{limit}} {{what}}, le maximum autorisé par sa référence SKU {{sku}}. Supprimez-en, ou passez à une référence SKU supérieure.',
      firewallSaveFailed:
        "Impossible d’enregistrer les paramètres de pare-feu et de réseau virtuel du registre de conteneurs '{{registry}}'. Erreur : {{cause}}",
      skuDowngradeBlocked:
        "Le registre '{{registry}}' ne peut pas passer à la référence SKU {{sku}} : il a {{reasons}}, ce que seule la référence SKU Premium prend en charge. Supprimez-les d’abord.",
      networkAccessLockout:
        "Les nouveaux paramètres réseau du registre '{{registry}}' refuseraient votre propre adresse '{{ip}}' : {{reason}}. Autorisez d’abord votre adresse, puis refaites la modification : az acr network-rule add -n {{registry}} --ip-address {{ip}} (wharf network-rule add -n {{registry}} --ip-address {{ip}}). Pour enregistrer malgré tout, renvoyez la requête avec le paramètre de requête force=true ou l’en-tête x-wharf-force: true (wharf : --force ; az : {{azRest}}).",
      networkAccessLockoutNoRule:
        "Les nouveaux paramètres réseau du registre '{{registry}}' refuseraient votre propre adresse '{{ip}}' : {{reason}}. Aucune règle IP ne peut l’autoriser. Pour enregistrer malgré tout, renvoyez la requête avec le paramètre de requête force=true ou l’en-tête x-wharf-force: true (wharf : --force ; az : {{azRest}}).",
      missingSubscriptionRegistration:
        "L’abonnement '{{subscriptionId}}' n’est pas inscrit pour utiliser l’espace de noms '{{namespace}}'. Inscrivez-le avec : az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
      invalidResourceNamespace: "L’espace de noms de ressource '{{namespace}}' n’est pas valide.",
      principalNotFound:
        'Le principal {{principalId}} n’existe pas dans l’annuaire {{tenantId}}. Vérifiez que vous utilisez le bon ID de principal.',
      subnetUsedByRegistry:
        "Le client '{{name}}' avec l’ID d’objet '{{objectId}}' n’est pas autorisé à effectuer l’action '{{action}}' sur l’étendue '{{scope}}', ou l’étendue n’est pas valide. Le sous-réseau '{{subnetId}}' est utilisé par les règles réseau du registre '{{registry}}' ; modifier ses préfixes d’adresse modifie qui ce registre admet.",
      subnetInUseByRegistry_one:
        "Le sous-réseau '{{subnet}}' du réseau virtuel '{{vnet}}' est utilisé par les règles de réseau virtuel du registre {{registries}} et ne peut pas être supprimé. Supprimez d’abord la règle (az acr network-rule remove).",
      subnetInUseByRegistry_other:
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
      adminUserDisabled:
        'Impossible d’effectuer des opérations sur les informations d’identification de {{registryId}}, car l’utilisateur administrateur est désactivé. Activez l’utilisateur administrateur comme l’indique la documentation : https://docs.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account (az acr update -n {{registry}} --admin-enabled true).',
      tokenPasswordName: "'{{value}}' n’est pas un nom de mot de passe de jeton : utilisez 'password1' ou 'password2'.",
      tokenStatus: "'{{value}}' n’est pas un état de jeton : utilisez 'enabled' ou 'disabled'.",
      notScopeMapId: "'{{value}}' n’est pas l’ID d’un mappage d’étendue de ce registre : format attendu '{{registryId}}/scopeMaps/<name>'.",
      scopeMapMissing: "Le mappage d’étendue '{{name}}' n’existe pas dans le registre '{{registry}}'.",
      newTokenPasswords: 'Un nouveau jeton n’a pas encore de mot de passe : créez-les avec POST generateCredentials après le jeton.',
      notTokenId: "'{{value}}' n’est pas l’ID d’un jeton de ce registre : format attendu '{{registryId}}/tokens/<name>'.",
      expiryInPast: 'La date d’expiration {{expiry}} est dans le passé.',
      systemScopeMapReadOnly: "'{{name}}' est un mappage d’étendue défini par le système : il ne peut être ni modifié ni supprimé. Créez plutôt un mappage défini par l’utilisateur.",
      tooManyActions: 'Un mappage d’étendue contient au plus {{limit}} actions ; celui-ci en a {{count}}.',
      scopeMapInUse_one: "Le mappage d’étendue '{{name}}' est utilisé par le jeton {{tokens}}. Supprimez d’abord ce jeton ou attribuez-lui un autre mappage d’étendue.",
      scopeMapInUse_other: "Le mappage d’étendue '{{name}}' est utilisé par les jetons {{tokens}}. Supprimez d’abord ces jetons ou attribuez-leur un autre mappage d’étendue.",
      ipNotInSubnet: "L’adresse IP statique privée {{address}} n’appartient pas à la plage du sous-réseau '{{subnet}}' ({{prefixes}}).",
      ipReserved: "L’adresse IP statique privée {{address}} est réservée dans le sous-réseau '{{subnet}}' : les quatre premières adresses et la dernière d’une plage appartiennent à Azure.",
      ipInUse: 'L’adresse IP statique privée {{address}} est déjà utilisée par un autre point de terminaison privé.',
      subnetIsFull: "Le sous-réseau '{{subnet}}' ({{prefixes}}) n’a plus d’adresse libre pour un point de terminaison privé.",
      subnetNotFound: "Le sous-réseau '{{id}}' est introuvable.",
      privateLinkServiceNotFound: "Le service de liaison privée '{{id}}' (un registre) est introuvable.",
      connectionNotFound: "La connexion de point de terminaison privé '{{name}}' du registre '{{registry}}' est introuvable.",
      internal: 'Wharf n’a pas pu traiter la requête ; communiquez l’ID de corrélation {{id}} à l’opérateur.',
      insufficientStorage: 'Le stockage du registre est plein : Wharf n’a plus d’espace disque pour cette écriture. La suppression de dépôts, de manifestes ou d’étiquettes et le nettoyage de la mémoire (garbage collection) fonctionnent toujours.',
    },
    sv: {
      missingApiVersion: 'Frågeparametern api-version (?api-version=) krävs för alla begäranden.',
      apiVersionInvalid:
        "api-versionen '{{version}}' är ogiltig. De versioner som stöds är '{{versions}}'.",
      apiVersionNoProvider:
        "Ingen registrerad resursprovider hittades för API-versionen '{{version}}' och typen '{{type}}'. De API-versioner som stöds är '{{versions}}'.",
      invalidRequestContent: "Begärans innehåll var ogiltigt och kunde inte deserialiseras: '{{why}}'.",
      requestTooLarge: 'Begärans innehåll är större än gränsen på {{limit}} byte.',
      jsonTooDeep: 'Begärans innehåll nästlar objekt och matriser i mer än {{limit}} nivåer, vilket ingen begäran behöver.',
      invalidResourceName: "Namnet '{{name}}' ({{kind}}) är ogiltigt: {{rule}}.",
      featureNotSupported: "'{{field}}' kan inte anges: {{why}}.",
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
      resourceGroupHoldsOthers:
        "Resursgruppen '{{resourceGroup}}' kan inte tas bort här så länge den innehåller virtuella nätverk, privata slutpunkter eller hanterade identiteter ({{resources}}): ta bort dem först; dess register tas bort tillsammans med den.",
      resourceNotFound:
        "Resursen '{{type}}/{{name}}' i resursgruppen '{{resourceGroup}}' hittades inte. Mer information finns på https://aka.ms/ARMResourceNotFoundFix",
      roleAssignmentNotFound: "Rolltilldelningen '{{name}}' hittades inte.",
      roleDefinitionNotFound: "Den angivna rolldefinitionen med ID '{{id}}' finns inte.",
      locationMismatch:
        "Resursen '{{name}}' finns redan på platsen '{{existing}}' i resursgruppen '{{resourceGroup}}'. En resurs med samma namn kan inte skapas på platsen '{{requested}}'. Välj ett nytt resursnamn.",
      quotaExceeded:
        'Registret har redan {{limit}} {{what}}, det högsta antal som dess SKU {{sku}} tillåter. Ta bort några, eller byt till en högre SKU.',
      firewallSaveFailed:
        "Det gick inte att spara inställningarna för brandvägg och virtuellt nätverk för containerregistret '{{registry}}'. Fel: {{cause}}",
      skuDowngradeBlocked:
        "Registret '{{registry}}' kan inte byta till SKU:n {{sku}}: det har {{reasons}}, vilket bara SKU:n Premium stöder. Ta bort dem först.",
      networkAccessLockout:
        "De nya nätverksinställningarna för registret '{{registry}}' skulle neka din egen adress '{{ip}}': {{reason}}. Tillåt först din adress och gör sedan om ändringen: az acr network-rule add -n {{registry}} --ip-address {{ip}} (wharf network-rule add -n {{registry}} --ip-address {{ip}}). Om du vill spara ändå, upprepa begäran med frågeparametern force=true eller huvudet x-wharf-force: true (wharf: --force; az: {{azRest}}).",
      networkAccessLockoutNoRule:
        "De nya nätverksinställningarna för registret '{{registry}}' skulle neka din egen adress '{{ip}}': {{reason}}. Ingen IP-regel kan släppa in den. Om du vill spara ändå, upprepa begäran med frågeparametern force=true eller huvudet x-wharf-force: true (wharf: --force; az: {{azRest}}).",
      missingSubscriptionRegistration:
        "Prenumerationen '{{subscriptionId}}' är inte registrerad för att använda namnområdet '{{namespace}}'. Registrera den med: az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
      invalidResourceNamespace: "Resursnamnområdet '{{namespace}}' är ogiltigt.",
      principalNotFound:
        'Huvudnamnet {{principalId}} finns inte i katalogen {{tenantId}}. Kontrollera att du har rätt huvudnamns-ID.',
      subnetUsedByRegistry:
        "Klienten '{{name}}' med objekt-ID '{{objectId}}' har inte behörighet att utföra åtgärden '{{action}}' i omfånget '{{scope}}', eller så är omfånget ogiltigt. Undernätet '{{subnetId}}' används av nätverksreglerna för registret '{{registry}}'; att ändra dess adressprefix ändrar vilka registret släpper in.",
      subnetInUseByRegistry_one:
        "Undernätet '{{subnet}}' i det virtuella nätverket '{{vnet}}' används av reglerna för virtuella nätverk i registret {{registries}} och kan inte tas bort. Ta bort regeln först (az acr network-rule remove).",
      subnetInUseByRegistry_other:
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
      adminUserDisabled:
        'Det går inte att utföra åtgärder på autentiseringsuppgifterna för {{registryId}} eftersom administratörsanvändaren är inaktiverad. Aktivera administratörsanvändaren enligt dokumentationen: https://docs.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account (az acr update -n {{registry}} --admin-enabled true).',
      tokenPasswordName: "'{{value}}' är inget lösenordsnamn för en token: använd 'password1' eller 'password2'.",
      tokenStatus: "'{{value}}' är ingen tokenstatus: använd 'enabled' eller 'disabled'.",
      notScopeMapId: "'{{value}}' är inte ID:t för en omfångsmappning i det här registret: förväntade '{{registryId}}/scopeMaps/<name>'.",
      scopeMapMissing: "Omfångsmappningen '{{name}}' finns inte i registret '{{registry}}'.",
      newTokenPasswords: 'En ny token har inga lösenord ännu: skapa dem med POST generateCredentials efter token.',
      notTokenId: "'{{value}}' är inte ID:t för en token i det här registret: förväntade '{{registryId}}/tokens/<name>'.",
      expiryInPast: 'Förfallotiden {{expiry}} har redan passerat.',
      systemScopeMapReadOnly: "'{{name}}' är en systemdefinierad omfångsmappning: den kan inte ändras eller tas bort. Skapa en användardefinierad mappning i stället.",
      tooManyActions: 'En omfångsmappning rymmer högst {{limit}} åtgärder; den här har {{count}}.',
      scopeMapInUse_one: "Omfångsmappningen '{{name}}' används av token {{tokens}}. Ta bort den token eller ge den en annan omfångsmappning först.",
      scopeMapInUse_other: "Omfångsmappningen '{{name}}' används av token {{tokens}}. Ta bort dessa token eller ge dem en annan omfångsmappning först.",
      ipNotInSubnet: "Den privata statiska IP-adressen {{address}} hör inte till intervallet för undernätet '{{subnet}}' ({{prefixes}}).",
      ipReserved: "Den privata statiska IP-adressen {{address}} är reserverad i undernätet '{{subnet}}': de fyra första adresserna och den sista i ett intervall tillhör Azure.",
      ipInUse: 'Den privata statiska IP-adressen {{address}} används redan av en annan privat slutpunkt.',
      subnetIsFull: "Undernätet '{{subnet}}' ({{prefixes}}) har ingen ledig adress kvar för en privat slutpunkt.",
      subnetNotFound: "Undernätet '{{id}}' hittades inte.",
      privateLinkServiceNotFound: "Den privata länktjänsten '{{id}}' (ett register) hittades inte.",
      connectionNotFound: "Anslutningen för privat slutpunkt '{{name}}' i registret '{{registry}}' hittades inte.",
      internal: 'Wharf kunde inte bearbeta begäran; ange korrelations-ID {{id}} för operatören.',
      insufficientStorage: 'Registrets lagring är full: Wharf har inget diskutrymme kvar för den här skrivningen. Att ta bort lagringsplatser, manifest eller taggar och att köra skräpinsamling fungerar fortfarande.',
    },
    pl: {
      missingApiVersion: 'Parametr zapytania api-version (?api-version=) jest wymagany we wszystkich żądaniach.',
      apiVersionInvalid:
        "Wersja api-version '{{version}}' jest nieprawidłowa. Obsługiwane wersje to '{{versions}}'.",
      apiVersionNoProvider:
        "Nie znaleziono zarejestrowanego dostawcy zasobów dla wersji interfejsu API '{{version}}' i typu '{{type}}'. Obsługiwane wersje interfejsu API to '{{versions}}'.",
      invalidRequestContent: "Zawartość żądania była nieprawidłowa i nie można było jej zdeserializować: '{{why}}'.",
      requestTooLarge: 'Zawartość żądania przekracza limit {{limit}} bajtów.',
      jsonTooDeep: 'Zawartość żądania zagnieżdża obiekty i tablice na więcej niż {{limit}} poziomach, czego żadne żądanie nie potrzebuje.',
      invalidResourceName: "Nazwa '{{name}}' ({{kind}}) jest nieprawidłowa: {{rule}}.",
      featureNotSupported: "Nie można ustawić '{{field}}': {{why}}.",
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
      resourceGroupHoldsOthers:
        "Nie można tu usunąć grupy zasobów '{{resourceGroup}}', dopóki zawiera sieci wirtualne, prywatne punkty końcowe lub tożsamości zarządzane ({{resources}}): najpierw je usuń; jej rejestry są usuwane razem z nią.",
      resourceNotFound:
        "Nie odnaleziono zasobu '{{type}}/{{name}}' w grupie zasobów '{{resourceGroup}}'. Więcej informacji: https://aka.ms/ARMResourceNotFoundFix",
      roleAssignmentNotFound: "Nie odnaleziono przypisania roli '{{name}}'.",
      roleDefinitionNotFound: "Określona definicja roli o identyfikatorze '{{id}}' nie istnieje.",
      locationMismatch:
        "Zasób '{{name}}' już istnieje w lokalizacji '{{existing}}' w grupie zasobów '{{resourceGroup}}'. Nie można utworzyć zasobu o tej samej nazwie w lokalizacji '{{requested}}'. Wybierz nową nazwę zasobu.",
      quotaExceeded:
        'Rejestr ma już {{limit}} {{what}}, czyli tyle, na ile pozwala jego jednostka SKU {{sku}}. Usuń część z nich lub przejdź na wyższą jednostkę SKU.',
      firewallSaveFailed:
        "Nie można zapisać ustawień zapory i sieci wirtualnej dla rejestru kontenerów '{{registry}}'. Błąd: {{cause}}",
      skuDowngradeBlocked:
        "Rejestru '{{registry}}' nie można przenieść do jednostki SKU {{sku}}: ma {{reasons}}, co obsługuje tylko jednostka SKU Premium. Najpierw je usuń.",
      networkAccessLockout:
        "Nowe ustawienia sieci rejestru '{{registry}}' zablokowałyby Twój własny adres '{{ip}}': {{reason}}. Najpierw dopuść swój adres, a potem powtórz zmianę: az acr network-rule add -n {{registry}} --ip-address {{ip}} (wharf network-rule add -n {{registry}} --ip-address {{ip}}). Aby mimo to zapisać ustawienia, powtórz żądanie z parametrem zapytania force=true lub nagłówkiem x-wharf-force: true (wharf: --force; az: {{azRest}}).",
      networkAccessLockoutNoRule:
        "Nowe ustawienia sieci rejestru '{{registry}}' zablokowałyby Twój własny adres '{{ip}}': {{reason}}. Żadna reguła IP nie może go dopuścić. Aby mimo to zapisać ustawienia, powtórz żądanie z parametrem zapytania force=true lub nagłówkiem x-wharf-force: true (wharf: --force; az: {{azRest}}).",
      missingSubscriptionRegistration:
        "Subskrypcja '{{subscriptionId}}' nie jest zarejestrowana do używania przestrzeni nazw '{{namespace}}'. Zarejestruj ją poleceniem: az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
      invalidResourceNamespace: "Przestrzeń nazw zasobu '{{namespace}}' jest nieprawidłowa.",
      principalNotFound:
        'Podmiot zabezpieczeń {{principalId}} nie istnieje w katalogu {{tenantId}}. Sprawdź, czy masz prawidłowy identyfikator podmiotu zabezpieczeń.',
      subnetUsedByRegistry:
        "Klient '{{name}}' o identyfikatorze obiektu '{{objectId}}' nie ma autoryzacji do wykonania akcji '{{action}}' w zakresie '{{scope}}' lub zakres jest nieprawidłowy. Podsieć '{{subnetId}}' jest używana przez reguły sieci rejestru '{{registry}}'; zmiana jej prefiksów adresów zmienia to, kogo ten rejestr dopuszcza.",
      subnetInUseByRegistry_one:
        "Podsieć '{{subnet}}' sieci wirtualnej '{{vnet}}' jest używana przez reguły sieci wirtualnej rejestru {{registries}} i nie można jej usunąć. Najpierw usuń regułę (az acr network-rule remove).",
      subnetInUseByRegistry_other:
        "Podsieć '{{subnet}}' sieci wirtualnej '{{vnet}}' jest używana przez reguły sieci wirtualnej rejestrów {{registries}} i nie można jej usunąć. Najpierw usuń reguły (az acr network-rule remove).",
      subnetInUseByRegistry_few:
        "Podsieć '{{subnet}}' sieci wirtualnej '{{vnet}}' jest używana przez reguły sieci wirtualnej rejestrów {{registries}} i nie można jej usunąć. Najpierw usuń reguły (az acr network-rule remove).",
      subnetInUseByRegistry_many:
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
      adminUserDisabled:
        'Nie można wykonać operacji na poświadczeniach dla {{registryId}}, ponieważ użytkownik administracyjny jest wyłączony. Włącz użytkownika administracyjnego zgodnie z dokumentacją: https://docs.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account (az acr update -n {{registry}} --admin-enabled true).',
      tokenPasswordName: "'{{value}}' nie jest nazwą hasła tokenu: użyj 'password1' lub 'password2'.",
      tokenStatus: "'{{value}}' nie jest stanem tokenu: użyj 'enabled' lub 'disabled'.",
      notScopeMapId: "'{{value}}' nie jest identyfikatorem mapy zakresów tego rejestru: oczekiwano '{{registryId}}/scopeMaps/<name>'.",
      scopeMapMissing: "Mapa zakresów '{{name}}' nie istnieje w rejestrze '{{registry}}'.",
      newTokenPasswords: 'Nowy token nie ma jeszcze haseł: utwórz je za pomocą POST generateCredentials po utworzeniu tokenu.',
      notTokenId: "'{{value}}' nie jest identyfikatorem tokenu tego rejestru: oczekiwano '{{registryId}}/tokens/<name>'.",
      expiryInPast: 'Data wygaśnięcia {{expiry}} jest w przeszłości.',
      systemScopeMapReadOnly: "'{{name}}' to mapa zakresów zdefiniowana przez system: nie można jej zmienić ani usunąć. Zamiast tego utwórz mapę zdefiniowaną przez użytkownika.",
      tooManyActions: 'Mapa zakresów może zawierać co najwyżej {{limit}} akcji; ta ma {{count}}.',
      scopeMapInUse_one: "Mapa zakresów '{{name}}' jest używana przez token {{tokens}}. Najpierw usuń ten token lub przypisz mu inną mapę zakresów.",
      scopeMapInUse_few: "Mapa zakresów '{{name}}' jest używana przez tokeny {{tokens}}. Najpierw usuń te tokeny lub przypisz im inną mapę zakresów.",
      scopeMapInUse_many: "Mapa zakresów '{{name}}' jest używana przez tokeny {{tokens}}. Najpierw usuń te tokeny lub przypisz im inną mapę zakresów.",
      scopeMapInUse_other: "Mapa zakresów '{{name}}' jest używana przez tokeny {{tokens}}. Najpierw usuń te tokeny lub przypisz im inną mapę zakresów.",
      ipNotInSubnet: "Prywatny statyczny adres IP {{address}} nie należy do zakresu podsieci '{{subnet}}' ({{prefixes}}).",
      ipReserved: "Prywatny statyczny adres IP {{address}} jest zarezerwowany w podsieci '{{subnet}}': pierwsze cztery adresy i ostatni adres zakresu należą do platformy Azure.",
      ipInUse: 'Prywatny statyczny adres IP {{address}} jest już używany przez inny prywatny punkt końcowy.',
      subnetIsFull: "W podsieci '{{subnet}}' ({{prefixes}}) nie ma już wolnego adresu dla prywatnego punktu końcowego.",
      subnetNotFound: "Nie można odnaleźć podsieci '{{id}}'.",
      privateLinkServiceNotFound: "Nie można odnaleźć usługi łącza prywatnego '{{id}}' (rejestru).",
      connectionNotFound: "Nie odnaleziono połączenia prywatnego punktu końcowego '{{name}}' rejestru '{{registry}}'.",
      internal: 'Wharf nie mógł przetworzyć żądania; podaj operatorowi identyfikator korelacji {{id}}.',
      insufficientStorage: 'Magazyn rejestru jest pełny: Wharf nie ma już miejsca na dysku na ten zapis. Usuwanie repozytoriów, manifestów lub tagów oraz odśmiecanie nadal działają.',
    },
    'pt-BR': {
      missingApiVersion: 'O parâmetro de consulta api-version (?api-version=) é obrigatório em todas as solicitações.',
      apiVersionInvalid:
        "A api-version '{{version}}' é inválida. As versões compatíveis são '{{versions}}'.",
      apiVersionNoProvider:
        "Nenhum provedor de recursos registrado foi encontrado para a versão de API '{{version}}' e o tipo '{{type}}'. As versões de API compatíveis são '{{versions}}'.",
      invalidRequestContent: "O conteúdo da solicitação era inválido e não pôde ser desserializado: '{{why}}'.",
      requestTooLarge: 'O conteúdo da solicitação excede o limite de {{limit}} bytes.',
      jsonTooDeep: 'O conteúdo da solicitação aninha objetos e matrizes em mais de {{limit}} níveis, o que nenhuma solicitação exige.',
      invalidResourceName: "O nome '{{name}}' ({{kind}}) é inválido: {{rule}}.",
      featureNotSupported: "'{{field}}' não pode ser definido: {{why}}.",
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
      resourceGroupHoldsOthers:
        "O grupo de recursos '{{resourceGroup}}' não pode ser excluído aqui enquanto contiver redes virtuais, pontos de extremidade privados ou identidades gerenciadas ({{resources}}): exclua-os primeiro; os registros dele são excluídos junto com ele.",
      resourceNotFound:
        "O recurso '{{type}}/{{name}}' no grupo de recursos '{{resourceGroup}}' não foi encontrado. Para obter mais detalhes, acesse https://aka.ms/ARMResourceNotFoundFix",
      roleAssignmentNotFound: "A atribuição de função '{{name}}' não foi encontrada.",
      roleDefinitionNotFound: "A definição de função especificada com a ID '{{id}}' não existe.",
      locationMismatch:
        "O recurso '{{name}}' já existe no local '{{existing}}' no grupo de recursos '{{resourceGroup}}'. Um recurso com o mesmo nome não pode ser criado no local '{{requested}}'. Selecione um novo nome de recurso.",
      quotaExceeded:
        'O registro já tem {{limit}} {{what}}, o máximo que seu SKU {{sku}} permite. Exclua alguns ou mude para um SKU superior.',
      firewallSaveFailed:
        "Falha ao salvar as configurações de firewall e de rede virtual do registro de contêiner '{{registry}}'. Erro: {{cause}}",
      skuDowngradeBlocked:
        "O registro '{{registry}}' não pode mudar para o SKU {{sku}}: ele tem {{reasons}}, que apenas o SKU Premium oferece. Remova-os primeiro.",
      networkAccessLockout:
        "As novas configurações de rede do registro '{{registry}}' negariam seu próprio endereço '{{ip}}': {{reason}}. Permita primeiro o seu endereço e depois repita a alteração: az acr network-rule add -n {{registry}} --ip-address {{ip}} (wharf network-rule add -n {{registry}} --ip-address {{ip}}). Para salvar mesmo assim, repita a solicitação com o parâmetro de consulta force=true ou o cabeçalho x-wharf-force: true (wharf: --force; az: {{azRest}}).",
      networkAccessLockoutNoRule:
        "As novas configurações de rede do registro '{{registry}}' negariam seu próprio endereço '{{ip}}': {{reason}}. Nenhuma regra de IP pode permiti-lo. Para salvar mesmo assim, repita a solicitação com o parâmetro de consulta force=true ou o cabeçalho x-wharf-force: true (wharf: --force; az: {{azRest}}).",
      missingSubscriptionRegistration:
        "A assinatura '{{subscriptionId}}' não está registrada para usar o namespace '{{namespace}}'. Registre-a com: az provider register --namespace {{namespace}} --subscription {{subscriptionId}}",
      invalidResourceNamespace: "O namespace de recurso '{{namespace}}' é inválido.",
      principalNotFound:
        'A entidade de segurança {{principalId}} não existe no diretório {{tenantId}}. Verifique se você tem a ID de entidade de segurança correta.',
      subnetUsedByRegistry:
        "O cliente '{{name}}' com a ID de objeto '{{objectId}}' não tem autorização para executar a ação '{{action}}' no escopo '{{scope}}' ou o escopo é inválido. A sub-rede '{{subnetId}}' é usada pelas regras de rede do registro '{{registry}}'; alterar seus prefixos de endereço altera quem esse registro admite.",
      subnetInUseByRegistry_one:
        "A sub-rede '{{subnet}}' da rede virtual '{{vnet}}' está em uso pelas regras de rede virtual do registro {{registries}} e não pode ser excluída. Remova a regra primeiro (az acr network-rule remove).",
      subnetInUseByRegistry_other:
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
      adminUserDisabled:
        'Não é possível executar operações de credenciais para {{registryId}}, pois o usuário administrador está desabilitado. Habilite o usuário administrador conforme a documentação: https://docs.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account (az acr update -n {{registry}} --admin-enabled true).',
      tokenPasswordName: "'{{value}}' não é um nome de senha de token: use 'password1' ou 'password2'.",
      tokenStatus: "'{{value}}' não é um status de token: use 'enabled' ou 'disabled'.",
      notScopeMapId: "'{{value}}' não é a ID de um mapa de escopo deste registro: esperado '{{registryId}}/scopeMaps/<name>'.",
      scopeMapMissing: "O mapa de escopo '{{name}}' não existe no registro '{{registry}}'.",
      newTokenPasswords: 'Um novo token ainda não tem senhas: crie-as com POST generateCredentials depois do token.',
      notTokenId: "'{{value}}' não é a ID de um token deste registro: esperado '{{registryId}}/tokens/<name>'.",
      expiryInPast: 'A data de expiração {{expiry}} está no passado.',
      systemScopeMapReadOnly: "'{{name}}' é um mapa de escopo definido pelo sistema: ele não pode ser alterado nem excluído. Crie um mapa definido pelo usuário.",
      tooManyActions: 'Um mapa de escopo contém no máximo {{limit}} ações; este tem {{count}}.',
      scopeMapInUse_one: "O mapa de escopo '{{name}}' é usado pelo token {{tokens}}. Exclua esse token ou atribua a ele outro mapa de escopo primeiro.",
      scopeMapInUse_other: "O mapa de escopo '{{name}}' é usado pelos tokens {{tokens}}. Exclua esses tokens ou atribua a eles outro mapa de escopo primeiro.",
      ipNotInSubnet: "O endereço IP estático privado {{address}} não pertence ao intervalo da sub-rede '{{subnet}}' ({{prefixes}}).",
      ipReserved: "O endereço IP estático privado {{address}} está reservado na sub-rede '{{subnet}}': os quatro primeiros endereços e o último de um intervalo são do Azure.",
      ipInUse: 'O endereço IP estático privado {{address}} já está em uso por outro ponto de extremidade privado.',
      subnetIsFull: "A sub-rede '{{subnet}}' ({{prefixes}}) não tem mais endereço livre para um ponto de extremidade privado.",
      subnetNotFound: "A sub-rede '{{id}}' não foi encontrada.",
      privateLinkServiceNotFound: "O serviço de link privado '{{id}}' (um registro) não foi encontrado.",
      connectionNotFound: "A conexão de ponto de extremidade privado '{{name}}' do registro '{{registry}}' não foi encontrada.",
      internal: 'O Wharf não pôde processar a solicitação; informe a ID de correlação {{id}} ao operador.',
      insufficientStorage: 'O armazenamento do registro está cheio: o Wharf não tem mais espaço em disco para esta gravação. Excluir repositórios, manifestos ou marcas e executar a coleta de lixo continuam funcionando.',
    },
  },
);
