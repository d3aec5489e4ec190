/**
 * The import errors' messages (ARM's body and its `details`) in every language. A cause that is
 * free text (a source registry's or a socket's own words) stays English inside a translated frame.
 */
import { defineCatalog } from '../i18n/index.js';

export const importErrorMessages = defineCatalog(
  'import-errors',
  {
    importFailed: 'Image import failed: {{cause}}.',
    sourceTooSlow: 'the source registry {{registry}} did not deliver {{what}} within {{seconds}} s',
    sourceImageNotFound: '{{what}} was not found in the source registry {{registry}}',
    tagExists: 'Tag {{repository}}:{{tag}} already exists in target registry. Use mode Force (az acr import --force, wharf import --force) to overwrite it.',
    repositoryLocked: 'Repository {{repository}} is locked (writeEnabled is false) and takes no imports.',
    tagLocked: 'Tag {{repository}}:{{tag}} is locked (writeEnabled is false) and cannot be moved by an import.',
    sourceSpeaksPlainHttp:
      "the source registry {{host}} answered in plain HTTP, not HTTPS ({{code}}); to import over plain HTTP, give its address with http://: registryUri http://{{host}} (wharf import --source http://{{host}}/REPOSITORY:TAG)",
  },
  {
    fr: {
      importFailed: 'Échec de l’importation de l’image : {{cause}}.',
      sourceTooSlow: 'le registre source {{registry}} n’a pas livré {{what}} en {{seconds}} s',
      sourceImageNotFound: '{{what}} est introuvable dans le registre source {{registry}}',
      tagExists:
        'L’étiquette {{repository}}:{{tag}} existe déjà dans le registre cible. Utilisez le mode Force (az acr import --force, wharf import --force) pour la remplacer.',
      repositoryLocked: 'Le dépôt {{repository}} est verrouillé (writeEnabled vaut false) et n’accepte aucune importation.',
      tagLocked: 'L’étiquette {{repository}}:{{tag}} est verrouillée (writeEnabled vaut false) et ne peut pas être déplacée par une importation.',
      sourceSpeaksPlainHttp:
        "le registre source {{host}} a répondu en HTTP simple, pas en HTTPS ({{code}}) ; pour importer en HTTP simple, donnez son adresse avec http:// : registryUri http://{{host}} (wharf import --source http://{{host}}/DÉPÔT:BALISE)",
    },
    sv: {
      importFailed: 'Importen av avbildningen misslyckades: {{cause}}.',
      sourceTooSlow: 'källregistret {{registry}} levererade inte {{what}} inom {{seconds}} s',
      sourceImageNotFound: '{{what}} hittades inte i källregistret {{registry}}',
      tagExists:
        'Taggen {{repository}}:{{tag}} finns redan i målregistret. Använd läget Force (az acr import --force, wharf import --force) för att skriva över den.',
      repositoryLocked: 'Lagringsplatsen {{repository}} är låst (writeEnabled är false) och tar inte emot importer.',
      tagLocked: 'Taggen {{repository}}:{{tag}} är låst (writeEnabled är false) och kan inte flyttas av en import.',
      sourceSpeaksPlainHttp:
        "källregistret {{host}} svarade med vanlig HTTP, inte HTTPS ({{code}}); ange adressen med http:// för att importera över vanlig HTTP: registryUri http://{{host}} (wharf import --source http://{{host}}/LAGRINGSPLATS:TAGG)",
    },
    pl: {
      importFailed: 'Import obrazu nie powiódł się: {{cause}}.',
      sourceTooSlow: 'rejestr źródłowy {{registry}} nie dostarczył {{what}} w ciągu {{seconds}} s',
      sourceImageNotFound: 'Nie znaleziono {{what}} w rejestrze źródłowym {{registry}}',
      tagExists:
        'Tag {{repository}}:{{tag}} już istnieje w rejestrze docelowym. Użyj trybu Force (az acr import --force, wharf import --force), aby go zastąpić.',
      repositoryLocked: 'Repozytorium {{repository}} jest zablokowane (writeEnabled ma wartość false) i nie przyjmuje importów.',
      tagLocked: 'Tag {{repository}}:{{tag}} jest zablokowany (writeEnabled ma wartość false) i nie może zostać przeniesiony przez import.',
      sourceSpeaksPlainHttp:
        "rejestr źródłowy {{host}} odpowiedział zwykłym HTTP, a nie HTTPS ({{code}}); aby importować przez zwykłe HTTP, podaj jego adres z http://: registryUri http://{{host}} (wharf import --source http://{{host}}/REPOZYTORIUM:TAG)",
    },
    'pt-BR': {
      importFailed: 'Falha na importação da imagem: {{cause}}.',
      sourceTooSlow: 'o registro de origem {{registry}} não entregou {{what}} em {{seconds}} s',
      sourceImageNotFound: '{{what}} não foi encontrado no registro de origem {{registry}}',
      tagExists:
        'A marca {{repository}}:{{tag}} já existe no registro de destino. Use o modo Force (az acr import --force, wharf import --force) para substituí-la.',
      repositoryLocked: 'O repositório {{repository}} está bloqueado (writeEnabled é false) e não aceita importações.',
      tagLocked: 'A marca {{repository}}:{{tag}} está bloqueada (writeEnabled é false) e não pode ser movida por uma importação.',
      sourceSpeaksPlainHttp:
        "o registro de origem {{host}} respondeu em HTTP simples, não em HTTPS ({{code}}); para importar por HTTP simples, informe o endereço com http://: registryUri http://{{host}} (wharf import --source http://{{host}}/REPOSITÓRIO:MARCA)",
    },
  },
);
