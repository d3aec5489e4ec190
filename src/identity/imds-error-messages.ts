/**
 * The managed identity endpoint's (IMDS) error descriptions in every language. Parameter and
 * header names (client_id, Metadata: true, resource=…) stay as they are.
 */
import { defineCatalog } from '../i18n/index.js';

export const imdsErrorMessages = defineCatalog(
  'imds-errors',
  {
    oneIdentity: 'Name one identity: only one of client_id, object_id and msi_res_id may be given (got {{given}}).',
    systemIdentityNotFound: "Identity not found: there is no the system-assigned identity '{{name}}' in this Wharf.",
    identityNotFound: "Identity not found: there is no a managed identity with {{kind}} '{{value}}' in this Wharf.",
    notLoopback: 'The managed identity endpoint answers callers on this machine only; address {{address}} is not a loopback address.',
    metadataHeader: 'Required metadata header not specified: send the header Metadata: true.',
    apiVersion: 'Required api-version parameter not specified.',
    audience: 'Required audience parameter not specified: send resource=<the resource the token is for>.',
    invalidResource: "The resource '{{resource}}' is not a valid resource identifier.",
    viaProxy: 'The managed identity endpoint answers callers on this machine only; {{address}} is a trusted proxy, which relays requests from other machines.',
    forwarded: 'The managed identity endpoint answers callers on this machine only; this request came through a proxy (it carries the header {{header}}).',
    resourceIdEncoding: "The msi_res_id '{{value}}' is not valid: its percent-encoding does not decode.",
  },
  {
    fr: {
      oneIdentity: 'Nommez une seule identité : un seul des paramètres client_id, object_id et msi_res_id peut être fourni (reçus : {{given}}).',
      systemIdentityNotFound: "Identité introuvable : l’identité affectée par le système '{{name}}' n’existe pas dans ce Wharf.",
      identityNotFound: "Identité introuvable : aucune identité managée avec {{kind}} '{{value}}' n’existe dans ce Wharf.",
      notLoopback:
        'Le point de terminaison d’identité managée ne répond qu’aux appelants de cette machine ; l’adresse {{address}} n’est pas une adresse de bouclage.',
      metadataHeader: 'En-tête de métadonnées obligatoire non spécifié : envoyez l’en-tête Metadata: true.',
      apiVersion: 'Paramètre api-version obligatoire non spécifié.',
      audience: 'Paramètre d’audience obligatoire non spécifié : envoyez resource=<la ressource à laquelle le jeton est destiné>.',
      invalidResource: "La ressource '{{resource}}' n’est pas un identificateur de ressource valide.",
      viaProxy:
        'Le point de terminaison d’identité managée ne répond qu’aux appelants de cette machine ; {{address}} est un proxy approuvé, qui relaie des requêtes d’autres machines.',
      forwarded:
        'Le point de terminaison d’identité managée ne répond qu’aux appelants de cette machine ; cette requête est passée par un proxy (elle porte l’en-tête {{header}}).',
      resourceIdEncoding: "Le paramètre msi_res_id '{{value}}' n’est pas valide : son encodage en pourcentage ne se décode pas.",
    },
    sv: {
      oneIdentity: 'Ange en identitet: bara en av client_id, object_id och msi_res_id får anges (fick {{given}}).',
      systemIdentityNotFound: "Identiteten hittades inte: den systemtilldelade identiteten '{{name}}' finns inte i denna Wharf.",
      identityNotFound: "Identiteten hittades inte: det finns ingen hanterad identitet med {{kind}} '{{value}}' i denna Wharf.",
      notLoopback: 'Slutpunkten för hanterad identitet svarar bara anropare på den här datorn; adressen {{address}} är ingen loopback-adress.',
      metadataHeader: 'Obligatoriskt metadatahuvud har inte angetts: skicka huvudet Metadata: true.',
      apiVersion: 'Obligatorisk api-version-parameter har inte angetts.',
      audience: 'Obligatorisk målgruppsparameter har inte angetts: skicka resource=<resursen som token är avsedd för>.',
      invalidResource: "Resursen '{{resource}}' är ingen giltig resursidentifierare.",
      viaProxy:
        'Slutpunkten för hanterad identitet svarar bara anropare på den här datorn; {{address}} är en betrodd proxy, som vidarebefordrar begäranden från andra datorer.',
      forwarded:
        'Slutpunkten för hanterad identitet svarar bara anropare på den här datorn; begäran kom via en proxy (den har huvudet {{header}}).',
      resourceIdEncoding: "msi_res_id '{{value}}' är ogiltigt: dess procentkodning går inte att avkoda.",
    },
    pl: {
      oneIdentity: 'Wskaż jedną tożsamość: można podać tylko jeden z parametrów client_id, object_id i msi_res_id (podano {{given}}).',
      systemIdentityNotFound: "Nie znaleziono tożsamości: w tym Wharfie nie ma tożsamości przypisanej przez system '{{name}}'.",
      identityNotFound: "Nie znaleziono tożsamości: w tym Wharfie nie ma tożsamości zarządzanej z {{kind}} '{{value}}'.",
      notLoopback:
        'Punkt końcowy tożsamości zarządzanej odpowiada tylko wywołującym z tej maszyny; adres {{address}} nie jest adresem pętli zwrotnej.',
      metadataHeader: 'Nie określono wymaganego nagłówka metadanych: wyślij nagłówek Metadata: true.',
      apiVersion: 'Nie określono wymaganego parametru api-version.',
      audience: 'Nie określono wymaganego parametru odbiorców: wyślij resource=<zasób, dla którego jest token>.',
      invalidResource: "Zasób '{{resource}}' nie jest prawidłowym identyfikatorem zasobu.",
      viaProxy:
        'Punkt końcowy tożsamości zarządzanej odpowiada tylko wywołującym z tej maszyny; {{address}} to zaufany serwer proxy, który przekazuje żądania z innych maszyn.',
      forwarded:
        'Punkt końcowy tożsamości zarządzanej odpowiada tylko wywołującym z tej maszyny; to żądanie przeszło przez serwer proxy (zawiera nagłówek {{header}}).',
      resourceIdEncoding: "Parametr msi_res_id '{{value}}' jest nieprawidłowy: jego kodowania procentowego nie da się zdekodować.",
    },
    'pt-BR': {
      oneIdentity: 'Indique uma identidade: apenas um de client_id, object_id e msi_res_id pode ser informado (recebidos: {{given}}).',
      systemIdentityNotFound: "Identidade não encontrada: não existe a identidade atribuída pelo sistema '{{name}}' neste Wharf.",
      identityNotFound: "Identidade não encontrada: não existe uma identidade gerenciada com {{kind}} '{{value}}' neste Wharf.",
      notLoopback:
        'O ponto de extremidade de identidade gerenciada só atende chamadores nesta máquina; o endereço {{address}} não é um endereço de loopback.',
      metadataHeader: 'Cabeçalho de metadados obrigatório não especificado: envie o cabeçalho Metadata: true.',
      apiVersion: 'Parâmetro api-version obrigatório não especificado.',
      audience: 'Parâmetro de público obrigatório não especificado: envie resource=<o recurso ao qual o token se destina>.',
      invalidResource: "O recurso '{{resource}}' não é um identificador de recurso válido.",
      viaProxy:
        'O ponto de extremidade de identidade gerenciada só atende chamadores nesta máquina; {{address}} é um proxy confiável, que retransmite solicitações de outras máquinas.',
      forwarded:
        'O ponto de extremidade de identidade gerenciada só atende chamadores nesta máquina; esta solicitação passou por um proxy (ela traz o cabeçalho {{header}}).',
      resourceIdEncoding: "O msi_res_id '{{value}}' não é válido: a codificação por porcentagem não pode ser decodificada.",
    },
  },
);
