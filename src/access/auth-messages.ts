/**
 * The registry's authentication refusals (401/403/429 on /v2, /acr and the token endpoints) in
 * every language. English is ACR's wording; `{{why}}` is the audit's English reason.
 */
import { defineCatalog } from '../i18n/index.js';

export const authMessages = defineCatalog(
  'registry-auth',
  {
    authenticationRequired: 'authentication required',
    authenticationRequiredWhy: 'authentication required: {{why}}',
    tokenRefused: 'authentication required: {{why}}; get a new token from /oauth2/token',
    accessTokenNotRefresh: 'authentication required: an access token was presented where a refresh token is expected; an access token only authorizes registry API calls as a Bearer token and cannot obtain other tokens. Sign in with credentials or use a refresh token (az acr login --expose-token)',
    refreshTokenExpired:
      'authentication required, visit https://aka.ms/acr/authorization for more information. The ACR refresh token has expired (they live {{lifetime}} on this registry): sign in again: {{signIn}}',
    refreshTokenRevoked: 'authentication required: the refresh token is no longer valid because the credential it was obtained with was regenerated, removed or has expired; sign in again (docker login, az acr login)',
    helpWhy: 'authentication required, visit https://aka.ms/acr/authorization for more information. {{why}}',
    invalidCredentials: 'authentication required, visit https://aka.ms/acr/authorization for more information. invalid username or password',
    applicationNotRegistered: 'Application not registered with AAD.',
    accessDenied: 'requested access to the resource is denied: {{why}}',
    tooManyLogins: 'too many failed logins for {{key}}: retry in {{retryAfter}} s',
    throttleAddress: 'address {{address}}',
    throttleIdentity: "identity '{{identity}}' from address {{address}}",
    tokenRequestInvalid: 'invalid token request: {{why}}',
    entraTokenRefused: 'authentication required, the Entra ID token was refused: {{why}}',
    wrongTenant: "authentication required: the token is from tenant '{{tokenTenant}}', the request names tenant '{{tenant}}'",
    serviceMismatch:
      "service '{{service}}' is registry '{{registry}}', but this is the login server of '{{hostRegistry}}': ask {{loginServer}} for its tokens",
  },
  {
    fr: {
      authenticationRequired: 'authentification requise',
      authenticationRequiredWhy: 'authentification requise : {{why}}',
      tokenRefused: 'authentification requise : {{why}} ; obtenez un nouveau jeton auprès de /oauth2/token',
      accessTokenNotRefresh: 'authentification requise : un jeton d’accès a été présenté là où un jeton d’actualisation est attendu ; un jeton d’accès n’autorise que les appels à l’API du registre, en tant que jeton Bearer, et ne permet pas d’obtenir d’autres jetons. Connectez-vous avec des identifiants ou utilisez un jeton d’actualisation (az acr login --expose-token)',
      refreshTokenExpired:
        'authentification requise, consultez https://aka.ms/acr/authorization pour plus d’informations. Le jeton d’actualisation ACR a expiré (sur ce registre, leur durée de validité est de {{lifetime}}) : reconnectez-vous : {{signIn}}',
      refreshTokenRevoked: 'authentification requise : le jeton d’actualisation n’est plus valide, car l’identifiant avec lequel il a été obtenu a été régénéré, supprimé ou a expiré ; reconnectez-vous (docker login, az acr login)',
      helpWhy: 'authentification requise, consultez https://aka.ms/acr/authorization pour plus d’informations. {{why}}',
      invalidCredentials:
        'authentification requise, consultez https://aka.ms/acr/authorization pour plus d’informations. Nom d’utilisateur ou mot de passe non valide',
      applicationNotRegistered: 'Application non inscrite auprès d’AAD.',
      accessDenied: 'l’accès demandé à la ressource est refusé : {{why}}',
      tooManyLogins: 'trop d’échecs de connexion pour {{key}} : réessayez dans {{retryAfter}} s',
      throttleAddress: 'l’adresse {{address}}',
      throttleIdentity: "l’identité '{{identity}}' depuis l’adresse {{address}}",
      tokenRequestInvalid: 'demande de jeton non valide : {{why}}',
      entraTokenRefused: 'authentification requise, le jeton Entra ID a été refusé : {{why}}',
      wrongTenant: "authentification requise : le jeton provient du locataire '{{tokenTenant}}', la requête indique le locataire '{{tenant}}'",
      serviceMismatch:
        "le service '{{service}}' est le registre '{{registry}}', mais ceci est le serveur de connexion de '{{hostRegistry}}' : demandez ses jetons à {{loginServer}}",
    },
    sv: {
      authenticationRequired: 'autentisering krävs',
      authenticationRequiredWhy: 'autentisering krävs: {{why}}',
      tokenRefused: 'autentisering krävs: {{why}}; hämta en ny token från /oauth2/token',
      accessTokenNotRefresh: 'autentisering krävs: en åtkomsttoken angavs där en uppdateringstoken förväntas; en åtkomsttoken ger bara behörighet till registrets API som Bearer-token och kan inte användas för att hämta andra token. Logga in med autentiseringsuppgifter eller använd en uppdateringstoken (az acr login --expose-token)',
      refreshTokenExpired:
        'autentisering krävs, mer information finns på https://aka.ms/acr/authorization. ACR-uppdateringstoken har upphört att gälla (på det här registret gäller de i {{lifetime}}): logga in igen: {{signIn}}',
      refreshTokenRevoked: 'autentisering krävs: uppdateringstoken är inte längre giltig eftersom autentiseringsuppgiften den hämtades med har genererats om, tagits bort eller upphört att gälla; logga in igen (docker login, az acr login)',
      helpWhy: 'autentisering krävs, mer information finns på https://aka.ms/acr/authorization. {{why}}',
      invalidCredentials: 'autentisering krävs, mer information finns på https://aka.ms/acr/authorization. Ogiltigt användarnamn eller lösenord',
      applicationNotRegistered: 'Programmet är inte registrerat i AAD.',
      accessDenied: 'begärd åtkomst till resursen nekas: {{why}}',
      tooManyLogins: 'för många misslyckade inloggningar för {{key}}: försök igen om {{retryAfter}} s',
      throttleAddress: 'adressen {{address}}',
      throttleIdentity: "identiteten '{{identity}}' från adressen {{address}}",
      tokenRequestInvalid: 'ogiltig tokenbegäran: {{why}}',
      entraTokenRefused: 'autentisering krävs, Entra ID-token nekades: {{why}}',
      wrongTenant: "autentisering krävs: token kommer från klientorganisationen '{{tokenTenant}}', begäran anger klientorganisationen '{{tenant}}'",
      serviceMismatch:
        "tjänsten '{{service}}' är registret '{{registry}}', men det här är inloggningsservern för '{{hostRegistry}}': be {{loginServer}} om dess token",
    },
    pl: {
      authenticationRequired: 'wymagane uwierzytelnienie',
      authenticationRequiredWhy: 'wymagane uwierzytelnienie: {{why}}',
      tokenRefused: 'wymagane uwierzytelnienie: {{why}}; uzyskaj nowy token z /oauth2/token',
      accessTokenNotRefresh: 'wymagane uwierzytelnienie: podano token dostępu tam, gdzie oczekiwany jest token odświeżania; token dostępu uprawnia tylko do wywołań API rejestru jako token Bearer i nie służy do uzyskiwania innych tokenów. Zaloguj się przy użyciu poświadczeń lub użyj tokenu odświeżania (az acr login --expose-token)',
      refreshTokenExpired:
        'wymagane uwierzytelnienie, więcej informacji: https://aka.ms/acr/authorization. Token odświeżania ACR wygasł (okres ważności tokenów w tym rejestrze: {{lifetime}}): zaloguj się ponownie: {{signIn}}',
      refreshTokenRevoked: 'wymagane uwierzytelnienie: token odświeżania jest już nieważny, ponieważ poświadczenie, za pomocą którego go uzyskano, zostało wygenerowane ponownie, usunięte lub wygasło; zaloguj się ponownie (docker login, az acr login)',
      helpWhy: 'wymagane uwierzytelnienie, więcej informacji: https://aka.ms/acr/authorization. {{why}}',
      invalidCredentials: 'wymagane uwierzytelnienie, więcej informacji: https://aka.ms/acr/authorization. Nieprawidłowa nazwa użytkownika lub hasło',
      applicationNotRegistered: 'Aplikacja nie jest zarejestrowana w usłudze AAD.',
      accessDenied: 'odmowa żądanego dostępu do zasobu: {{why}}',
      tooManyLogins: 'zbyt wiele nieudanych logowań dla {{key}}: spróbuj ponownie za {{retryAfter}} s',
      throttleAddress: 'adresu {{address}}',
      throttleIdentity: "tożsamości '{{identity}}' z adresu {{address}}",
      tokenRequestInvalid: 'nieprawidłowe żądanie tokenu: {{why}}',
      entraTokenRefused: 'wymagane uwierzytelnienie, token Entra ID został odrzucony: {{why}}',
      wrongTenant: "wymagane uwierzytelnienie: token pochodzi z dzierżawy '{{tokenTenant}}', a żądanie wskazuje dzierżawę '{{tenant}}'",
      serviceMismatch:
        "usługa '{{service}}' to rejestr '{{registry}}', ale to jest serwer logowania rejestru '{{hostRegistry}}': poproś o jego tokeny {{loginServer}}",
    },
    'pt-BR': {
      authenticationRequired: 'autenticação necessária',
      authenticationRequiredWhy: 'autenticação necessária: {{why}}',
      tokenRefused: 'autenticação necessária: {{why}}; obtenha um novo token em /oauth2/token',
      accessTokenNotRefresh: 'autenticação necessária: foi apresentado um token de acesso onde se espera um token de atualização; um token de acesso só autoriza chamadas à API do registro, como token Bearer, e não serve para obter outros tokens. Entre com credenciais ou use um token de atualização (az acr login --expose-token)',
      refreshTokenExpired:
        'autenticação necessária, acesse https://aka.ms/acr/authorization para obter mais informações. O token de atualização do ACR expirou (neste registro, eles valem por {{lifetime}}): entre novamente: {{signIn}}',
      refreshTokenRevoked: 'autenticação necessária: o token de atualização não é mais válido porque a credencial com que foi obtido foi regenerada, removida ou expirou; entre novamente (docker login, az acr login)',
      helpWhy: 'autenticação necessária, acesse https://aka.ms/acr/authorization para obter mais informações. {{why}}',
      invalidCredentials:
        'autenticação necessária, acesse https://aka.ms/acr/authorization para obter mais informações. Nome de usuário ou senha inválidos',
      applicationNotRegistered: 'Aplicativo não registrado no AAD.',
      accessDenied: 'o acesso solicitado ao recurso foi negado: {{why}}',
      tooManyLogins: 'falhas de logon demais para {{key}}: tente novamente em {{retryAfter}} s',
      throttleAddress: 'o endereço {{address}}',
      throttleIdentity: "a identidade '{{identity}}' a partir do endereço {{address}}",
      tokenRequestInvalid: 'solicitação de token inválida: {{why}}',
      entraTokenRefused: 'autenticação necessária, o token do Entra ID foi recusado: {{why}}',
      wrongTenant: "autenticação necessária: o token é do locatário '{{tokenTenant}}', a solicitação indica o locatário '{{tenant}}'",
      serviceMismatch:
        "o serviço '{{service}}' é o registro '{{registry}}', mas este é o servidor de logon de '{{hostRegistry}}': peça os tokens dele a {{loginServer}}",
    },
  },
);
