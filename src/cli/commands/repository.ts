/**
 * `wharf repository list|show|show-tags|show-manifests|untag|delete`: a registry's repositories,
 * tags and manifests through its data plane (`/acr/v1/…`, `/v2/…`), with the options and
 * outputs of `az acr repository`. Each call asks the token server for just the scope it needs.
 */
import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { runCommand, type CommandContext } from '../command-context.js';
import { printList, printObject, type Column } from '../output.js';
import { registryNameOf, registryPathOf, withRegistry, type RegistryFlags } from '../registry-flags.js';
import { RegistryDataClient, repositoryPath } from '../registry-data-client.js';
import { examples, helpText } from '../localized-command.js';
import { cliError, cliText } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';
import { confirmationPrompt, isYes } from '../confirmation.js';
import type { Language } from '../../i18n/index.js';

const ORDERS = { time_desc: 'timedesc', time_asc: 'timeasc' } as const;
type OrderFlag = keyof typeof ORDERS;

interface ListFlags extends RegistryFlags {
  top?: string;
  orderby?: OrderFlag;
  detail?: boolean;
  repository?: string;
}

interface ImageFlags extends RegistryFlags {
  repository?: string;
  image?: string;
  yes?: boolean;
}

interface TagAttributes {
  name: string;
  digest: string;
  createdTime: string;
  lastUpdateTime: string;
  signed?: boolean;
  changeableAttributes?: Record<string, boolean>;
}

interface ManifestAttributes {
  digest: string;
  imageSize?: number;
  createdTime: string;
  lastUpdateTime: string;
  architecture?: string;
  os?: string;
  mediaType?: string;
  tags?: string[];
  changeableAttributes?: Record<string, boolean>;
}

/** An image reference as az takes it: `repo:tag`, `repo@sha256:…`, or `repo` (tag latest). */
interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

function parseImage(value: string): ImageRef {
  const at = value.indexOf('@');
  if (at >= 0) {
    const repository = value.slice(0, at);
    const digest = value.slice(at + 1);
    if (!repository || !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) {
      throw cliError('notImage', { value });
    }
    return { repository, digest };
  }
  // The tag follows the last ':' after the last '/' (a repository never holds ':').
  const colon = value.lastIndexOf(':');
  const repository = colon > value.lastIndexOf('/') && colon >= 0 ? value.slice(0, colon) : value;
  const tag = colon > value.lastIndexOf('/') && colon >= 0 ? value.slice(colon + 1) : 'latest';
  if (!repository || !tag) throw cliError('notImage', { value });
  return { repository, tag };
}

function topOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw cliError('topValue', { value });
  return Number(value);
}

function requireRepository(flags: { repository?: string }): string {
  if (!flags.repository) throw cliError('repositoryRequired');
  return flags.repository;
}

const metadataRead = (repository: string) => `repository:${repository}:metadata_read`;

/** Runs `body` with a data-plane client for the registry -n/-r names. */
function withDataClient(command: Command, flags: RegistryFlags, body: (data: RegistryDataClient, context: CommandContext) => Promise<void>) {
  return runCommand(command, async (context) => {
    const data = await RegistryDataClient.open(context.client, context.profile, {
      name: registryNameOf(context, flags),
      id: registryPathOf(context, flags),
    });
    try {
      await body(data, context);
    } finally {
      await data.close();
    }
  });
}

async function confirm(question: string, language: Language): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return isYes(await prompt.question(confirmationPrompt(question, language)), language);
  } finally {
    prompt.close();
  }
}

const NAME_COLUMN: Column<string>[] = [{ header: 'result', value: (name) => name }];

const TAG_COLUMNS: Column<TagAttributes>[] = [
  { header: 'name', value: (t) => t.name },
  { header: 'digest', value: (t) => t.digest },
  { header: 'createdTime', value: (t) => t.createdTime },
  { header: 'lastUpdateTime', value: (t) => t.lastUpdateTime },
];

/** What `az acr repository show-manifests` prints without --detail. */
interface ManifestSummary {
  digest: string;
  tags: string[];
  timestamp: string;
}

const MANIFEST_SUMMARY_COLUMNS: Column<ManifestSummary>[] = [
  { header: 'digest', value: (m) => m.digest },
  { header: 'tags', value: (m) => m.tags.join(',') },
  { header: 'timestamp', value: (m) => m.timestamp },
];

const MANIFEST_COLUMNS: Column<ManifestAttributes>[] = [
  { header: 'digest', value: (m) => m.digest },
  { header: 'tags', value: (m) => (m.tags ?? []).join(',') },
  { header: 'mediaType', value: (m) => m.mediaType },
  { header: 'architecture', value: (m) => m.architecture },
  { header: 'os', value: (m) => m.os },
  { header: 'imageSize', value: (m) => m.imageSize },
  { header: 'lastUpdateTime', value: (m) => m.lastUpdateTime },
];

function listOptions(command: Command): Command {
  return withRegistry(command)
    .option('--top <n>', 'repositoryOptTop')
    .addOption(new Option('--orderby <order>', 'repositoryOptOrderby').choices(Object.keys(ORDERS)))
    .option('--detail', 'repositoryOptDetail');
}

export function registerRepositoryCommands(program: Command): void {
  const repository = program.command('repository').description('repository').addHelpText('after', helpText('repositoryHelp'));

  withRegistry(repository.command('list').description('repositoryList'))
    .option('--top <n>', 'repositoryListOptTop')
    .addHelpText(
      'after',
      examples(`
  wharf repository list -n myregistry
  wharf repository list -n myregistry --top 10 -o tsv`),
    )
    .action(async (flags: ListFlags, command: Command) =>
      withDataClient(command, flags, async (data, context) => {
        const names = await data.list<{ repositories?: string[] }, string>(
          '/acr/v1/_catalog',
          'registry:catalog:*',
          (p) => p.repositories,
          {},
          topOf(flags.top),
        );
        printList(names, NAME_COLUMN, context);
      }),
    );

  withRegistry(repository.command('show').description('repositoryShow'))
    .option('--repository <name>', 'optRepository')
    .option('-t, --image <image>', 'repositoryShowOptImage')
    .addHelpText(
      'after',
      examples(`
  wharf repository show -n myregistry --repository team/app
  wharf repository show -n myregistry --image team/app:v1
  wharf repository show -n myregistry --image team/app@sha256:<digest> -o table`),
    )
    .action(async (flags: ImageFlags, command: Command) =>
      withDataClient(command, flags, async (data, context) => {
        if (!!flags.repository === !!flags.image) throw cliError('repositoryOrImage');
        if (flags.repository) {
          const name = flags.repository;
          return printObject(await data.get(`/acr/v1/${repositoryPath(name)}`, metadataRead(name)), context);
        }
        const image = parseImage(flags.image!);
        const base = `/acr/v1/${repositoryPath(image.repository)}`;
        if (image.digest) {
          const found = await data.get<{ manifest: ManifestAttributes }>(
            `${base}/_manifests/${encodeURIComponent(image.digest)}`,
            metadataRead(image.repository),
          );
          return printObject(found.manifest, context);
        }
        const found = await data.get<{ tag: TagAttributes }>(`${base}/_tags/${encodeURIComponent(image.tag!)}`, metadataRead(image.repository));
        printObject(found.tag, context);
      }),
    );

  listOptions(repository.command('show-tags').description('repositoryShowTags'))
    .option('--repository <name>', 'optRepository')
    .addHelpText(
      'after',
      examples(`
  wharf repository show-tags -n myregistry --repository team/app
  wharf repository show-tags -n myregistry --repository team/app --orderby time_desc --top 1
  wharf repository show-tags -n myregistry --repository team/app --detail -o table`),
    )
    .action(async (flags: ListFlags, command: Command) =>
      withDataClient(command, flags, async (data, context) => {
        const name = requireRepository(flags);
        const tags = await data.list<{ tags?: TagAttributes[] }, TagAttributes>(
          `/acr/v1/${repositoryPath(name)}/_tags`,
          metadataRead(name),
          (p) => p.tags,
          { orderby: flags.orderby ? ORDERS[flags.orderby] : undefined },
          topOf(flags.top),
        );
        if (flags.detail) printList(tags, TAG_COLUMNS, context);
        else
          printList(
            tags.map((t) => t.name),
            NAME_COLUMN,
            context,
          );
      }),
    );

  listOptions(repository.command('show-manifests').description('repositoryShowManifests'))
    .option('--repository <name>', 'optRepository')
    .addHelpText(
      'after',
      examples(`
  wharf repository show-manifests -n myregistry --repository team/app
  wharf repository show-manifests -n myregistry --repository team/app --orderby time_asc --top 3
  wharf repository show-manifests -n myregistry --repository team/app --detail -o json`),
    )
    .action(async (flags: ListFlags, command: Command) =>
      withDataClient(command, flags, async (data, context) => {
        const name = requireRepository(flags);
        const manifests = await data.list<{ manifests?: ManifestAttributes[] }, ManifestAttributes>(
          `/acr/v1/${repositoryPath(name)}/_manifests`,
          metadataRead(name),
          (p) => p.manifests,
          { orderby: flags.orderby ? ORDERS[flags.orderby] : undefined },
          topOf(flags.top),
        );
        if (flags.detail) return printList(manifests, MANIFEST_COLUMNS, context);
        const summaries = manifests.map((m) => ({ digest: m.digest, tags: m.tags ?? [], timestamp: m.lastUpdateTime }));
        printList(summaries, MANIFEST_SUMMARY_COLUMNS, context);
      }),
    );

  withRegistry(repository.command('untag').description('repositoryUntag'))
    .requiredOption('-t, --image <image>', 'repositoryUntagOptImage')
    .addHelpText(
      'after',
      examples(`
  wharf repository untag -n myregistry --image team/app:old`),
    )
    .action(async (flags: ImageFlags, command: Command) =>
      withDataClient(command, flags, async (data, context) => {
        const image = parseImage(flags.image!);
        if (!image.tag) throw cliError('untagNeedsTag');
        await data.delete(`/acr/v1/${repositoryPath(image.repository)}/_tags/${encodeURIComponent(image.tag)}`, `repository:${image.repository}:delete`);
        process.stdout.write(`${cliTranslator(context.language)('untagged', { repository: image.repository, tag: image.tag })}\n`);
      }),
    );

  withRegistry(repository.command('delete').description('repositoryDelete'))
    .option('--repository <name>', 'repositoryDeleteOptRepository')
    .option('-t, --image <image>', 'repositoryDeleteOptImage')
    .option('-y, --yes', 'repositoryDeleteOptYes')
    .addHelpText('after', helpText('repositoryDeleteHelp'))
    .action(async (flags: ImageFlags, command: Command) =>
      withDataClient(command, flags, async (data, context) => {
        if (!!flags.repository === !!flags.image) throw cliError('repositoryOrImage');
        const registry = registryNameOf(context, flags);
        if (flags.repository) {
          const name = flags.repository;
          const what = cliText('deleteWhatRepository', { name });
          if (!flags.yes && !(await confirm(cliTranslator(context.language)('confirmDeletePrompt', { what: what.in(context.language) }), context.language))) {
            throw cliError('confirmDelete', { what });
          }
          const result = await data.delete<{ manifestsDeleted?: string[]; tagsDeleted?: string[] }>(
            `/acr/v1/${repositoryPath(name)}`,
            `repository:${name}:delete`,
          );
          process.stdout.write(
            `${cliTranslator(context.language)('deletedRepository', { name, registry, manifests: result?.manifestsDeleted?.length ?? 0, tags: result?.tagsDeleted?.length ?? 0 })}\n`,
          );
          return;
        }
        const image = parseImage(flags.image!);
        const scope = `repository:${image.repository}:metadata_read,delete`;
        const base = `/acr/v1/${repositoryPath(image.repository)}`;
        const digest = image.digest ?? (await data.get<{ tag: TagAttributes }>(`${base}/_tags/${encodeURIComponent(image.tag!)}`, scope)).tag.digest;
        const manifest = (await data.get<{ manifest: ManifestAttributes }>(`${base}/_manifests/${encodeURIComponent(digest)}`, scope)).manifest;
        const images = (manifest.tags ?? []).map((t) => `${image.repository}:${t}`);
        const quoted = images.map((i) => `'${i}'`).join(', ');
        const what = images.length > 0 ? cliText('deleteWhatManifestWithImages', { digest, images: quoted }) : cliText('deleteWhatManifest', { digest });
        if (!flags.yes && !(await confirm(cliTranslator(context.language)('confirmDeletePrompt', { what: what.in(context.language) }), context.language))) {
          throw cliError('confirmDelete', { what });
        }
        await data.delete(`/v2/${repositoryPath(image.repository)}/manifests/${encodeURIComponent(digest)}`, scope);
        const deleted = { repository: image.repository, digest, tags: images.join(', ') };
        process.stdout.write(`${cliTranslator(context.language)(images.length > 0 ? 'deletedImageWithTags' : 'deletedImage', deleted)}\n`);
      }),
    );
}
