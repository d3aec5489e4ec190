/**
 * POST …/registries/{r}/importImage: ACR's image import. The body is ACR's
 * ImportImageParameters: `source` (`resourceId` of a registry of this Wharf, or `registryUri`
 * of any registry, with optional `credentials`), `sourceImage` (`repo:tag` or `repo@digest`),
 * `targetTags` (`repo:tag`), `untaggedTargetRepositories` and `mode` (NoForce | Force).
 * Contributor on the target; for a resourceId source, read on the source registry too.
 * Each stored tag (or untagged repository) is a Push in the registry's audit trail.
 */
import { registryResourceId } from '../../access/roles.js';
import { checkRepositoryName, checkTag } from '../../distribution/names.js';
import { importImage, type ImportMode, type ImportResult, type ImportTarget } from '../../image-import/image-import.js';
import { LocalSource, localSourceNetworkRefusal, RemoteSource, type ImageSource } from '../../image-import/image-sources.js';
import { ImportFailure, importReason } from '../../image-import/import-errors.js';
import { RemoteRegistry, registryOrigin } from '../../image-import/remote-registry.js';
import { SourceAddressPolicy } from '../../image-import/source-address-policy.js';
import { loginServerOf } from '../../kernel/config.js';
import { RegistryError } from '../../kernel/errors.js';
import { LocalizedText, localize, storedMessageKey, type MessageValue } from '../../i18n/localized.js';
import { operationProgressMessages } from '../../domain/operation-progress-messages.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { ArmError, armErrors, armReason } from '../../kernel/arm-errors.js';

/** Why a name check failed, in every language (the registry error's own reason). */
const reasonOf = (error: unknown): MessageValue => (error instanceof RegistryError ? error.text : (error as Error).message);
import { addressedRegistry, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { optionalObject, optionalString, optionalStringArray, requiredString } from '../../kernel/json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE, registryIsAt } from './lookup.js';
import { runOperation } from './operation-status.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'audit' | 'blobStore' | 'config' | 'manifestMaxBytes' | 'operations' | 'store' | 'uploads'>;
type HandlerContext = ManagementContext<HandlerServices>;

const IMPORT_ACTION = `${REGISTRY_TYPE}/importImage/action`;
const RESOURCE_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)\/?$/i;

interface ImageName {
  repository: string;
  /** Tag or digest. */
  reference: string;
}

/** `repo:tag`, `repo@digest` or `repo` (latest), checked with the registry's own grammar. */
function parseImageName(text: string, field: string): ImageName {
  const at = text.indexOf('@');
  const colon = text.lastIndexOf(':');
  let repository: string;
  let reference: string;
  if (at >= 0) {
    repository = text.slice(0, at);
    reference = text.slice(at + 1);
  } else if (colon > text.lastIndexOf('/')) {
    repository = text.slice(0, colon);
    reference = text.slice(colon + 1);
  } else {
    repository = text;
    reference = 'latest';
  }
  try {
    checkRepositoryName(repository);
    if (at < 0) checkTag(reference);
    else if (!/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/.test(reference))
      throw armErrors.invalidParameter(field, armReason('imageNameInvalid', { text, why: armReason('notADigest', { reference }) }));
  } catch (error) {
    throw error instanceof ArmError ? error : armErrors.invalidParameter(field, armReason('imageNameInvalid', { text, why: reasonOf(error) }));
  }
  return { repository, reference };
}

interface ImportBody {
  source: { resourceId?: string; registryUri?: string; credentials?: { username: string; password: string } };
  sourceImage: ImageName;
  targets: ImportTarget[];
  mode: ImportMode;
}

function parseBody(body: Record<string, unknown>): ImportBody {
  const source = optionalObject(body, 'source', 'source');
  if (!source) throw armErrors.invalidParameter('source', armReason('importNeedsSource'));
  const resourceId = optionalString(source, 'resourceId', 'source.resourceId');
  const registryUri = optionalString(source, 'registryUri', 'source.registryUri');
  if (!resourceId && !registryUri) throw armErrors.invalidParameter('source', armReason('importGiveRegistry'));
  if (resourceId && registryUri) throw armErrors.invalidParameter('source', armReason('importNotBoth'));
  const credentialsObject = optionalObject(source, 'credentials', 'source.credentials');
  const credentials = credentialsObject && {
    username: optionalString(credentialsObject, 'username', 'source.credentials.username') ?? '',
    password: requiredString(credentialsObject, 'password', 'source.credentials.password'),
  };
  const sourceImage = parseImageName(requiredString(source, 'sourceImage', 'source.sourceImage'), 'source.sourceImage');
  const modeText = optionalString(body, 'mode', 'mode') ?? 'NoForce';
  const mode = (['NoForce', 'Force'] as const).find((m) => m.toLowerCase() === modeText.toLowerCase());
  if (!mode) throw armErrors.invalidParameter('mode', armReason('importMode', { mode: modeText }));
  const targets: ImportTarget[] = [];
  for (const text of optionalStringArray(body, 'targetTags', 'targetTags') ?? []) {
    const name = parseImageName(text, 'targetTags');
    if (name.reference.includes(':')) throw armErrors.invalidParameter('targetTags', armReason('targetTagIsDigest', { text }));
    targets.push({ repository: name.repository, tag: name.reference });
  }
  for (const repository of optionalStringArray(body, 'untaggedTargetRepositories', 'untaggedTargetRepositories') ?? []) {
    try {
      targets.push({ repository: checkRepositoryName(repository), tag: null });
    } catch (error) {
      throw armErrors.invalidParameter('untaggedTargetRepositories', armReason('notRepositoryName', { repository, why: reasonOf(error) }));
    }
  }
  // ACR's default: the source's own name (its tag, or untagged for a digest).
  if (targets.length === 0) {
    const byDigest = sourceImage.reference.includes(':');
    targets.push({ repository: sourceImage.repository, tag: byDigest ? null : sourceImage.reference });
  }
  return { source: { resourceId, registryUri, credentials }, sourceImage, targets, mode };
}

/** A resourceId source is a registry of this Wharf the caller may read. */
async function localRegistry(context: HandlerContext, resourceId: string): Promise<RegistryRecord> {
  const match = RESOURCE_ID.exec(resourceId);
  if (!match) {
    throw armErrors.invalidParameter('source.resourceId', armReason('notRegistryResourceId', { id: resourceId }));
  }
  const [, subscriptionId, resourceGroup, name] = match as unknown as [string, string, string, string];
  await context.access.require(resourceId, 'read', `${REGISTRY_TYPE}/pull/read`);
  const registry = await context.services.store.registries.get(name.toLowerCase());
  if (!registry || !registryIsAt(registry, subscriptionId, resourceGroup)) {
    throw ImportFailure.invalid('SourceImageNotFound', importReason('sourceRegistryMissing', { id: resourceId }), 'source.resourceId');
  }
  return registry;
}

async function openSource(context: HandlerContext, body: ImportBody): Promise<ImageSource> {
  const { services } = context;
  if (body.source.resourceId) {
    const registry = await localRegistry(context, body.source.resourceId);
    const refusal = localSourceNetworkRefusal(registry.name, await services.store.network.registrySettings(registry.name));
    if (refusal) throw ImportFailure.invalid('SourceRegistryUnauthorized', refusal, 'source.resourceId');
    return new LocalSource(services.store, services.blobStore, { registry: registry.name, repository: body.sourceImage.repository });
  }
  const policy = new SourceAddressPolicy(services.config.import.allowedSourceRanges);
  const remote = new RemoteRegistry(registryOrigin(body.source.registryUri!), body.source.credentials, policy, {
    manifestDeadlineMs: services.config.import.manifestDeadlineSeconds * 1000,
  });
  return new RemoteSource(remote, body.sourceImage.repository, services.manifestMaxBytes);
}

/** One Push per stored tag or untagged repository, as a push through the data plane records. */
function recordPushes(context: HandlerContext, registry: RegistryRecord, body: ImportBody, sourceName: string, result: ImportResult, durationMs: number): void {
  const { services, request, caller } = context;
  const loginServer = loginServerOf(registry, services.config);
  // The source's host (or resource id), never the registryUri as given: it may carry more than an address.
  // A message with its key and values: `wharf logs` shows it in the reader's language.
  const why = localize(operationProgressMessages, 'importedFrom', { source: `${body.source.resourceId ?? sourceName}/${body.sourceImage.repository}` });
  const stored = why.message!;
  for (const target of body.targets) {
    services.audit.record({
      category: 'repository',
      event: {
        timeGenerated: new Date().toISOString(),
        registry: registry.name,
        loginServer,
        callerIpAddress: request.ip,
        correlationId: request.id,
        durationMs: Math.round(durationMs),
        identity: caller.name,
        identityType: caller.type,
        operationName: 'Push',
        repository: target.repository,
        tag: target.tag,
        digest: result.digest,
        mediaType: result.mediaType,
        artifactType: null,
        size: null,
        resultType: 'Succeeded',
        resultDescription: '200',
        reason: String(why),
        reasonKey: storedMessageKey(stored),
        reasonValues: JSON.stringify(stored.values),
        userAgent: String(request.headers['user-agent'] ?? '').slice(0, 512),
        userTenantId: caller.tenantId,
        region: registry.location,
      },
    });
  }
}

async function importImageAction(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const body = parseBody(await context.body());
  const source = await openSource(context, body);
  const { services } = context;
  const started = performance.now();
  return runOperation(
    context,
    registry,
    'importImage',
    async (progress) => {
      try {
        const result = await importImage(
          { store: services.store, blobStore: services.blobStore, uploads: services.uploads },
          {
            registry: registry.name,
            source,
            sourceRepository: body.sourceImage.repository,
            reference: body.sourceImage.reference,
            targets: body.targets,
            mode: body.mode,
          },
          progress,
        );
        recordPushes(context, registry, body, source.name, result, performance.now() - started);
        return { ...result, source: `${source.name}/${body.sourceImage.repository}`, targetRegistry: registryResourceId(registry) };
      } catch (error) {
        // Data-plane errors (a store refusing) still reach the client in ARM's shape.
        if (error instanceof RegistryError)
          throw ImportFailure.invalid(
            'SourceManifestInvalid',
            error.text instanceof LocalizedText ? error.text : importReason('manifestNotValid', { cause: error.text }),
            'targetTags',
          );
        throw error;
      } finally {
        await source.close();
      }
    },
    // ACR answers a finished import with an empty 200.
    () => undefined,
  );
}

export const importImageRoutes: RouteSpec[] = [
  {
    id: 'registries.importImage',
    template: `${REGISTRY_PATH}/importImage`,
    methods: {
      POST: { handler: importImageAction, needs: onRegistry('write', IMPORT_ACTION) },
    },
  },
];
