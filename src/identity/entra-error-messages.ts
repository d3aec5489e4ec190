/**
 * The identity plane's error descriptions (the text after `AADSTSnnnn: `) in every language.
 * English follows Entra's own wording; parameter names, grant types and codes stay as they are.
 */
import { defineCatalog } from '../i18n/index.js';

export const entraErrorMessages = defineCatalog(
  'entra-errors',
  {
    missingParameter: "The request body must contain the following parameter: '{{name}}'.",
    missingClientCredential:
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'. Wharf accepts client secrets (in the body or as HTTP Basic credentials).",
    malformedRequest: 'Invalid request. {{why}}',
    unsupportedGrantType: "The app requested an unsupported grant type '{{grantType}}'. Wharf supports client_credentials, password and refresh_token.",
    invalidScope: "The provided value for the input parameter 'scope' is not valid. The scope '{{scope}}' is not valid.",
    invalidScopeWhy: "The provided value for the input parameter 'scope' is not valid. The scope '{{scope}}' is not valid. {{why}}",
    clientCredentialScope:
      'The provided value for scope {{scope}} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).',
    severalResources:
      'Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {{scope}} is not valid.',
    unknownTenant:
      "Tenant '{{tenant}}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud (Wharf server).",
    unknownApplication:
      "Application with identifier '{{clientId}}' was not found in the directory '{{tenant}}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
    invalidSecret:
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{{clientId}}'.",
    expiredSecret:
      "The provided client secret keys for app '{{clientId}}' are expired. Add a new client secret to the app and use it instead of the expired one.",
    invalidUserCredentials: 'Error validating credentials due to invalid username or password.',
    unknownUser:
      "The user account {EUII Hidden} does not exist in the '{{tenant}}' directory. To sign into this application, the account must be added to the directory.",
    accountLocked:
      "The account is locked, you've tried to sign in too many times with an incorrect user ID or password. Try again in {{retryAfter}} seconds.",
    tooManyRequests: 'There are too many failed sign-in requests from address {{address}}. Try again in {{retryAfter}} seconds.',
    invalidRefreshToken: 'Invalid request. Request is malformed or invalid: {{why}}',
    expiredRefreshToken: 'The refresh token has expired. The user must sign in again.',
    revokedGrant: 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
    refreshTokenOtherClient: "Provided grant is invalid or malformed: the refresh token was not issued to client '{{clientId}}'.",
    identityGone: '{{what}} no longer exists in the directory.',
    invalidInstance: "Unknown or invalid instance: the query parameter 'authorization_endpoint' must be an absolute https URL of an authority.",
    bodyTooLarge: 'Invalid request. The request body is larger than {{limit}} bytes.',
    internal: 'A transient error has occurred. Please try again.',
  },
  {
    fr: {
      missingParameter: "Le corps de la requête doit contenir le paramètre suivant : '{{name}}'.",
      missingClientCredential:
        "Le corps de la requête doit contenir le paramètre suivant : 'client_assertion' ou 'client_secret'. Wharf accepte les secrets client (dans le corps ou comme informations d’identification HTTP Basic).",
      malformedRequest: 'Requête non valide. {{why}}',
      unsupportedGrantType:
        "L’application a demandé un type d’octroi non pris en charge : '{{grantType}}'. Wharf prend en charge client_credentials, password et refresh_token.",
      invalidScope: "La valeur fournie pour le paramètre d’entrée 'scope' n’est pas valide. L’étendue '{{scope}}' n’est pas valide.",
      invalidScopeWhy: "La valeur fournie pour le paramètre d’entrée 'scope' n’est pas valide. L’étendue '{{scope}}' n’est pas valide. {{why}}",
      clientCredentialScope:
        'La valeur fournie pour l’étendue {{scope}} n’est pas valide. Les flux d’informations d’identification du client doivent avoir une valeur d’étendue avec le suffixe /.default ajouté à l’identificateur de la ressource (URI d’ID d’application).',
      severalResources:
        'La valeur fournie pour le paramètre d’entrée scope n’est pas valide, car elle contient plusieurs ressources. L’étendue {{scope}} n’est pas valide.',
      unknownTenant:
        "Locataire '{{tenant}}' introuvable. Vérifiez que vous avez le bon ID de locataire et que vous vous connectez au bon cloud (serveur Wharf).",
      unknownApplication:
        "L’application avec l’identificateur '{{clientId}}' est introuvable dans l’annuaire '{{tenant}}'. Cela peut se produire si l’application n’a pas été installée par l’administrateur du locataire ou n’a reçu le consentement d’aucun utilisateur du locataire. Vous avez peut-être envoyé votre demande d’authentification au mauvais locataire.",
      invalidSecret:
        "Le secret client fourni n’est pas valide. Vérifiez que le secret envoyé dans la requête est la valeur du secret client, et non l’ID du secret client, d’un secret ajouté à l’application '{{clientId}}'.",
      expiredSecret:
        "Les clés de secret client fournies pour l’application '{{clientId}}' ont expiré. Ajoutez un nouveau secret client à l’application et utilisez-le à la place de celui qui a expiré.",
      invalidUserCredentials: 'Erreur lors de la validation des informations d’identification : nom d’utilisateur ou mot de passe non valide.',
      unknownUser:
        "Le compte d’utilisateur {EUII Hidden} n’existe pas dans l’annuaire '{{tenant}}'. Pour se connecter à cette application, le compte doit être ajouté à l’annuaire.",
      accountLocked:
        'Le compte est verrouillé : vous avez essayé de vous connecter trop de fois avec un ID d’utilisateur ou un mot de passe incorrect. Réessayez dans {{retryAfter}} secondes.',
      tooManyRequests: 'Trop de demandes de connexion ont échoué depuis l’adresse {{address}}. Réessayez dans {{retryAfter}} secondes.',
      invalidRefreshToken: 'Requête non valide. La requête est mal formée ou non valide : {{why}}',
      expiredRefreshToken: 'Le jeton d’actualisation a expiré. L’utilisateur doit se reconnecter.',
      revokedGrant: 'L’octroi fourni a expiré parce qu’il a été révoqué : un nouveau jeton d’authentification est nécessaire. L’utilisateur a peut-être modifié ou réinitialisé son mot de passe.',
      refreshTokenOtherClient: "L’octroi fourni n’est pas valide ou est mal formé : le jeton d’actualisation n’a pas été émis pour le client '{{clientId}}'.",
      identityGone: 'Cette identité n’existe plus dans l’annuaire : {{what}}.',
      invalidInstance:
        "Instance inconnue ou non valide : le paramètre de requête 'authorization_endpoint' doit être une URL https absolue d’une autorité.",
      bodyTooLarge: 'Requête non valide. Le corps de la requête dépasse {{limit}} octets.',
      internal: 'Une erreur temporaire s’est produite. Réessayez.',
    },
    sv: {
      missingParameter: "Begärandetexten måste innehålla följande parameter: '{{name}}'.",
      missingClientCredential:
        "Begärandetexten måste innehålla följande parameter: 'client_assertion' eller 'client_secret'. Wharf accepterar klienthemligheter (i texten eller som HTTP Basic-autentiseringsuppgifter).",
      malformedRequest: 'Ogiltig begäran. {{why}}',
      unsupportedGrantType: "Appen begärde en beviljandetyp som inte stöds: '{{grantType}}'. Wharf stöder client_credentials, password och refresh_token.",
      invalidScope: "Det angivna värdet för indataparametern 'scope' är ogiltigt. Omfånget '{{scope}}' är ogiltigt.",
      invalidScopeWhy: "Det angivna värdet för indataparametern 'scope' är ogiltigt. Omfånget '{{scope}}' är ogiltigt. {{why}}",
      clientCredentialScope:
        'Det angivna värdet för omfånget {{scope}} är ogiltigt. Flöden med klientautentiseringsuppgifter måste ha ett omfångsvärde med /.default som suffix till resursidentifieraren (program-ID-URI).',
      severalResources: 'Det angivna värdet för indataparametern scope är ogiltigt eftersom det innehåller mer än en resurs. Omfånget {{scope}} är ogiltigt.',
      unknownTenant:
        "Klientorganisationen '{{tenant}}' hittades inte. Kontrollera att du har rätt klientorganisations-ID och loggar in i rätt moln (Wharf-server).",
      unknownApplication:
        "Programmet med identifieraren '{{clientId}}' hittades inte i katalogen '{{tenant}}'. Det kan inträffa om programmet inte har installerats av administratören för klientorganisationen eller godkänts av någon användare i klientorganisationen. Du kan ha skickat autentiseringsbegäran till fel klientorganisation.",
      invalidSecret:
        "Ogiltig klienthemlighet angavs. Kontrollera att hemligheten som skickas i begäran är klienthemlighetens värde, inte klienthemlighetens ID, för en hemlighet som lagts till i appen '{{clientId}}'.",
      expiredSecret:
        "De angivna klienthemlighetsnycklarna för appen '{{clientId}}' har upphört att gälla. Lägg till en ny klienthemlighet i appen och använd den i stället för den som har upphört.",
      invalidUserCredentials: 'Det gick inte att verifiera autentiseringsuppgifterna på grund av ogiltigt användarnamn eller lösenord.',
      unknownUser:
        "Användarkontot {EUII Hidden} finns inte i katalogen '{{tenant}}'. För att logga in i det här programmet måste kontot läggas till i katalogen.",
      accountLocked:
        'Kontot är låst eftersom du har försökt logga in för många gånger med fel användar-ID eller lösenord. Försök igen om {{retryAfter}} sekunder.',
      tooManyRequests: 'Det finns för många misslyckade inloggningsbegäranden från adressen {{address}}. Försök igen om {{retryAfter}} sekunder.',
      invalidRefreshToken: 'Ogiltig begäran. Begäran är felaktigt utformad eller ogiltig: {{why}}',
      expiredRefreshToken: 'Uppdateringstoken har upphört att gälla. Användaren måste logga in igen.',
      revokedGrant: 'Det angivna beviljandet har upphört att gälla eftersom det har återkallats, och en ny autentiseringstoken behövs. Användaren kan ha ändrat eller återställt sitt lösenord.',
      refreshTokenOtherClient: "Det angivna beviljandet är ogiltigt eller felaktigt utformat: uppdateringstoken utfärdades inte till klienten '{{clientId}}'.",
      identityGone: 'Den här identiteten finns inte längre i katalogen: {{what}}.',
      invalidInstance: "Okänd eller ogiltig instans: frågeparametern 'authorization_endpoint' måste vara en absolut https-URL till en utfärdare.",
      bodyTooLarge: 'Ogiltig begäran. Begärandetexten är större än {{limit}} byte.',
      internal: 'Ett tillfälligt fel har uppstått. Försök igen.',
    },
    pl: {
      missingParameter: "Treść żądania musi zawierać następujący parametr: '{{name}}'.",
      missingClientCredential:
        "Treść żądania musi zawierać następujący parametr: 'client_assertion' lub 'client_secret'. Wharf akceptuje wpisy tajne klienta (w treści lub jako poświadczenia HTTP Basic).",
      malformedRequest: 'Nieprawidłowe żądanie. {{why}}',
      unsupportedGrantType: "Aplikacja zażądała nieobsługiwanego typu udzielenia: '{{grantType}}'. Wharf obsługuje client_credentials, password i refresh_token.",
      invalidScope: "Podana wartość parametru wejściowego 'scope' jest nieprawidłowa. Zakres '{{scope}}' jest nieprawidłowy.",
      invalidScopeWhy: "Podana wartość parametru wejściowego 'scope' jest nieprawidłowa. Zakres '{{scope}}' jest nieprawidłowy. {{why}}",
      clientCredentialScope:
        'Podana wartość zakresu {{scope}} jest nieprawidłowa. Przepływy poświadczeń klienta muszą mieć wartość zakresu z sufiksem /.default dodanym do identyfikatora zasobu (identyfikatora URI aplikacji).',
      severalResources: 'Podana wartość parametru wejściowego scope jest nieprawidłowa, ponieważ zawiera więcej niż jeden zasób. Zakres {{scope}} jest nieprawidłowy.',
      unknownTenant:
        "Nie odnaleziono dzierżawy '{{tenant}}'. Sprawdź, czy masz prawidłowy identyfikator dzierżawy i logujesz się do właściwej chmury (serwera Wharf).",
      unknownApplication:
        "Nie odnaleziono aplikacji o identyfikatorze '{{clientId}}' w katalogu '{{tenant}}'. Może się tak zdarzyć, jeśli aplikacja nie została zainstalowana przez administratora dzierżawy lub żaden użytkownik dzierżawy nie wyraził na nią zgody. Być może żądanie uwierzytelnienia zostało wysłane do niewłaściwej dzierżawy.",
      invalidSecret:
        "Podano nieprawidłowy wpis tajny klienta. Upewnij się, że wpis tajny wysyłany w żądaniu to wartość wpisu tajnego klienta, a nie jego identyfikator, dla wpisu tajnego dodanego do aplikacji '{{clientId}}'.",
      expiredSecret:
        "Podane klucze wpisów tajnych klienta dla aplikacji '{{clientId}}' wygasły. Dodaj do aplikacji nowy wpis tajny klienta i używaj go zamiast wygasłego.",
      invalidUserCredentials: 'Błąd weryfikacji poświadczeń z powodu nieprawidłowej nazwy użytkownika lub hasła.',
      unknownUser:
        "Konto użytkownika {EUII Hidden} nie istnieje w katalogu '{{tenant}}'. Aby zalogować się do tej aplikacji, konto musi zostać dodane do katalogu.",
      accountLocked:
        'Konto jest zablokowane: zbyt wiele razy próbowano się zalogować przy użyciu nieprawidłowego identyfikatora użytkownika lub hasła. Spróbuj ponownie za {{retryAfter}} s.',
      tooManyRequests: 'Z adresu {{address}} pochodzi zbyt wiele nieudanych żądań logowania. Spróbuj ponownie za {{retryAfter}} s.',
      invalidRefreshToken: 'Nieprawidłowe żądanie. Żądanie jest źle sformułowane lub nieprawidłowe: {{why}}',
      expiredRefreshToken: 'Token odświeżania wygasł. Użytkownik musi zalogować się ponownie.',
      revokedGrant: 'Podane udzielenie wygasło, ponieważ zostało odwołane: potrzebny jest nowy token uwierzytelniania. Użytkownik mógł zmienić lub zresetować hasło.',
      refreshTokenOtherClient: "Podane udzielenie jest nieprawidłowe lub źle sformułowane: token odświeżania nie został wystawiony dla klienta '{{clientId}}'.",
      identityGone: 'Ta tożsamość już nie istnieje w katalogu: {{what}}.',
      invalidInstance:
        "Nieznane lub nieprawidłowe wystąpienie: parametr zapytania 'authorization_endpoint' musi być bezwzględnym adresem URL https urzędu.",
      bodyTooLarge: 'Nieprawidłowe żądanie. Treść żądania przekracza {{limit}} bajtów.',
      internal: 'Wystąpił błąd przejściowy. Spróbuj ponownie.',
    },
    'pt-BR': {
      missingParameter: "O corpo da solicitação deve conter o seguinte parâmetro: '{{name}}'.",
      missingClientCredential:
        "O corpo da solicitação deve conter o seguinte parâmetro: 'client_assertion' ou 'client_secret'. O Wharf aceita segredos do cliente (no corpo ou como credenciais HTTP Basic).",
      malformedRequest: 'Solicitação inválida. {{why}}',
      unsupportedGrantType: "O aplicativo solicitou um tipo de concessão sem suporte: '{{grantType}}'. O Wharf oferece suporte a client_credentials, password e refresh_token.",
      invalidScope: "O valor fornecido para o parâmetro de entrada 'scope' não é válido. O escopo '{{scope}}' não é válido.",
      invalidScopeWhy: "O valor fornecido para o parâmetro de entrada 'scope' não é válido. O escopo '{{scope}}' não é válido. {{why}}",
      clientCredentialScope:
        'O valor fornecido para o escopo {{scope}} não é válido. Fluxos de credenciais do cliente devem ter um valor de escopo com o sufixo /.default no identificador do recurso (URI da ID do aplicativo).',
      severalResources: 'O valor fornecido para o parâmetro de entrada scope não é válido porque contém mais de um recurso. O escopo {{scope}} não é válido.',
      unknownTenant:
        "Locatário '{{tenant}}' não encontrado. Verifique se você tem a ID de locatário correta e se está entrando na nuvem correta (servidor Wharf).",
      unknownApplication:
        "O aplicativo com o identificador '{{clientId}}' não foi encontrado no diretório '{{tenant}}'. Isso pode acontecer se o aplicativo não tiver sido instalado pelo administrador do locatário ou consentido por nenhum usuário do locatário. Você pode ter enviado sua solicitação de autenticação ao locatário errado.",
      invalidSecret:
        "Segredo do cliente inválido. Verifique se o segredo enviado na solicitação é o valor do segredo do cliente, e não a ID do segredo do cliente, de um segredo adicionado ao aplicativo '{{clientId}}'.",
      expiredSecret:
        "As chaves de segredo do cliente fornecidas para o aplicativo '{{clientId}}' expiraram. Adicione um novo segredo do cliente ao aplicativo e use-o no lugar do expirado.",
      invalidUserCredentials: 'Erro ao validar as credenciais devido a nome de usuário ou senha inválidos.',
      unknownUser:
        "A conta de usuário {EUII Hidden} não existe no diretório '{{tenant}}'. Para entrar neste aplicativo, a conta deve ser adicionada ao diretório.",
      accountLocked:
        'A conta está bloqueada: você tentou entrar muitas vezes com uma ID de usuário ou senha incorreta. Tente novamente em {{retryAfter}} segundos.',
      tooManyRequests: 'Há solicitações de entrada com falha demais a partir do endereço {{address}}. Tente novamente em {{retryAfter}} segundos.',
      invalidRefreshToken: 'Solicitação inválida. A solicitação está malformada ou é inválida: {{why}}',
      expiredRefreshToken: 'O token de atualização expirou. O usuário deve entrar novamente.',
      revokedGrant: 'A concessão fornecida expirou porque foi revogada; é necessário um novo token de autenticação. O usuário pode ter alterado ou redefinido a senha.',
      refreshTokenOtherClient: "A concessão fornecida é inválida ou está malformada: o token de atualização não foi emitido para o cliente '{{clientId}}'.",
      identityGone: 'Esta identidade não existe mais no diretório: {{what}}.',
      invalidInstance:
        "Instância desconhecida ou inválida: o parâmetro de consulta 'authorization_endpoint' deve ser uma URL https absoluta de uma autoridade.",
      bodyTooLarge: 'Solicitação inválida. O corpo da solicitação excede {{limit}} bytes.',
      internal: 'Ocorreu um erro transitório. Tente novamente.',
    },
  },
);
