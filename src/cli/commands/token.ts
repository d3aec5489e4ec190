/**
 * `wharf token create|update|show|list|delete|credential generate|credential delete`:
 * repository-scoped tokens (ARM `registries/{r}/tokens`), as `az acr token` manages them.
 */
import type { Command } from 'commander';
import { lastSegment, scopeMapId, tokenId } from '../arm-ids.js';
import { expiryFrom, runCommand, type CommandContext } from '../command-context.js';
import { ApiError } from '../management-client.js';
import { printList, printObject, type Column } from '../output.js';
import { REPOSITORY_ACTIONS, scopeMapActions } from '../repository-actions.js';
import { examples, helpKey, helpText } from '../localized-command.js';
import { cliError, cliText } from '../cli-error.js';
import { cliTranslator, type CliMessageKey } from '../cli-messages.js';

type PasswordName = 'password1' | 'password2';

interface TokenPassword {
  name: PasswordName;
  value?: string;
  creationTime?: string;
  expiry?: string | null;
}

interface Token {
  id: string;
  name: string;
  type: string;
  properties: {
    creationDate?: string;
    provisioningState?: string;
    scopeMapId?: string;
    status?: 'enabled' | 'disabled';
    credentials?: { passwords?: TokenPassword[]; certificates?: unknown[]; username?: string };
  };
}

interface GeneratedCredentials {
  username: string;
  passwords: TokenPassword[];
}

interface RegistryFlags {
  registry?: string;
  resourceGroup?: string;
}

function withRegistry(command: Command): Command {
  return command.option('-r, --registry <name>', 'optName').option('-g, --resource-group <name>', 'optResourceGroup');
}

function registryOf(context: CommandContext, flags: RegistryFlags): string {
  return context.registryId(context.registryName(flags.registry), flags.resourceGroup);
}

function statusFrom(value: string | undefined): 'enabled' | 'disabled' | undefined {
  if (value === undefined) return undefined;
  const status = value.toLowerCase();
  if (status !== 'enabled' && status !== 'disabled') throw cliError('statusValue', { value });
  return status;
}

function generateCredentials(
  context: CommandContext,
  registry: string,
  token: string,
  options: { name?: PasswordName; expiry?: string },
): Promise<GeneratedCredentials> {
  return context.client.post<GeneratedCredentials>(`${registry}/generateCredentials`, {
    tokenId: tokenId(registry, token),
    ...(options.name ? { name: options.name } : {}),
    ...(options.expiry ? { expiry: options.expiry } : {}),
  });
}

function passwordValue(passwords: TokenPassword[] | undefined, name: PasswordName): string | undefined {
  return passwords?.find((p) => p.name === name)?.value;
}

/** As a table, generated passwords are the columns that matter. */
const CREDENTIAL_COLUMNS: Column<GeneratedCredentials>[] = [
  { header: 'username', value: (c) => c.username },
  { header: 'password1', value: (c) => passwordValue(c.passwords, 'password1') },
  { header: 'password2', value: (c) => passwordValue(c.passwords, 'password2') },
];

const CREATED_TOKEN_COLUMNS: Column<Token>[] = [
  { header: 'name', value: (t) => t.name },
  { header: 'scopeMap', value: (t) => (t.properties.scopeMapId ? lastSegment(t.properties.scopeMapId) : '') },
  { header: 'status', value: (t) => t.properties.status },
  { header: 'password1', value: (t) => passwordValue(t.properties.credentials?.passwords, 'password1') },
  { header: 'password2', value: (t) => passwordValue(t.properties.credentials?.passwords, 'password2') },
];

interface CreateFlags extends RegistryFlags {
  name: string;
  scopeMap?: string;
  repository?: string[];
  expirationInDays?: string;
  expiration?: string;
  passwords: boolean;
  status?: string;
}

interface ScopeMapResource {
  properties?: { description?: string; actions?: string[] };
}

/** The resource at `id`, or undefined when there is none (404). */
async function existing<T>(context: CommandContext, id: string): Promise<T | undefined> {
  try {
    return await context.client.get<T>(id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

async function create(flags: CreateFlags, command: Command): Promise<void> {
  await runCommand(command, async (context) => {
    if (Boolean(flags.scopeMap) === Boolean(flags.repository)) throw cliError('scopeMapOrRepository');
    const status = statusFrom(flags.status);
    const expiry = expiryFrom({ days: flags.expirationInDays, date: flags.expiration, what: cliText('thePasswords') });
    if (expiry && !flags.passwords) throw cliError('noPasswordsNoExpiry');
    const registry = registryOf(context, flags);
    // What this run changed, undone newest first when a later step fails: a failed create
    // leaves no scope map (nor a token without passwords) behind.
    const undo: { what: CliMessageKey; name: string; run: () => Promise<unknown> }[] = [];
    try {
      let scopeMap = flags.scopeMap;
      if (flags.repository) {
        const actions = scopeMapActions(flags.repository);
        scopeMap = `${flags.name}-scope-map`;
        const mapId = scopeMapId(registry, scopeMap);
        const before = await existing<ScopeMapResource>(context, mapId);
        await context.client.put(mapId, { properties: { description: `Created by token: ${flags.name}`, actions } });
        undo.push(
          before
            ? {
                what: 'undoRestoreScopeMap',
                name: scopeMap,
                run: () => context.client.put(mapId, { properties: { description: before.properties?.description, actions: before.properties?.actions } }),
              }
            : { what: 'undoDeleteScopeMap', name: scopeMap, run: () => context.client.delete(mapId) },
        );
        process.stderr.write(`${cliTranslator(context.language)('createdScopeMap', { name: scopeMap })}\n`);
      }
      const id = tokenId(registry, flags.name);
      const tokenExisted = flags.passwords && (await existing<Token>(context, id)) !== undefined;
      const token = await context.client.put<Token>(id, {
        properties: { scopeMapId: scopeMapId(registry, scopeMap!), ...(status ? { status } : {}) },
      });
      if (!flags.passwords) return printObject(token, context);
      if (!tokenExisted) undo.push({ what: 'undoDeleteToken', name: flags.name, run: () => context.client.delete(id) });
      const credentials = await generateCredentials(context, registry, flags.name, { expiry });
      undo.length = 0;
      process.stderr.write(`${cliTranslator(context.language)('savePasswordsNow')}\n`);
      printObject(
        {
          ...token,
          properties: {
            ...token.properties,
            credentials: { ...token.properties.credentials, username: credentials.username, passwords: credentials.passwords },
          },
        },
        context,
        CREATED_TOKEN_COLUMNS,
      );
    } catch (error) {
      const t = cliTranslator(context.language);
      for (const step of undo.reverse()) {
        try {
          await step.run();
          process.stderr.write(`${t('tokenCreationUndone', { step: t(step.what, { name: step.name }) })}\n`);
        } catch (undoError) {
          process.stderr.write(`${t('tokenCreationUndoFailed', { step: t(step.what, { name: step.name }), cause: (undoError as Error).message })}\n`);
        }
      }
      throw error;
    }
  });
}

export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('token')
    .addHelpText(
      'after',
      examples(`
  wharf token create -n ci-push -r myregistry --repository team/app content/write content/read
  wharf token list -r myregistry
  wharf token credential generate -n ci-push -r myregistry --password1 --expiration-in-days 30
  wharf token update -n ci-push -r myregistry --status disabled`),
    );

  withRegistry(
    token
      .command('create')
      .description('tokenCreate')
      .requiredOption('-n, --name <name>', 'tokenCreateOptName')
      .option('--scope-map <name>', 'tokenCreateOptScopeMap')
      .option('--repository <repo-and-actions...>', helpKey('tokenCreateOptRepository', { actions: REPOSITORY_ACTIONS.join(', ') }))
      .option('--expiration-in-days <n>', 'tokenCreateOptExpirationInDays')
      .option('--expiration <date>', 'tokenCreateOptExpiration')
      .option('--no-passwords', 'tokenCreateOptNoPasswords')
      .option('--status <status>', 'tokenCreateOptStatus'),
  )
    .addHelpText('after', helpText('tokenCreateHelp'))
    .action(create);

  withRegistry(
    token
      .command('update')
      .description('tokenUpdate')
      .addHelpText(
        'after',
        examples(`
  wharf token update -n ci-push -r myregistry --status disabled
  wharf token update -n ci-push -r myregistry --scope-map _repositories_pull`),
      )
      .requiredOption('-n, --name <name>', 'tokenOptName')
      .option('--status <status>', 'tokenUpdateOptStatus')
      .option('--scope-map <name>', 'tokenUpdateOptScopeMap'),
  ).action(async (flags: RegistryFlags & { name: string; status?: string; scopeMap?: string }, command: Command) =>
    runCommand(command, async (context) => {
      const status = statusFrom(flags.status);
      if (!status && !flags.scopeMap) throw cliError('tokenNothingToUpdate');
      const registry = registryOf(context, flags);
      const updated = await context.client.patch<Token>(tokenId(registry, flags.name), {
        properties: { ...(status ? { status } : {}), ...(flags.scopeMap ? { scopeMapId: scopeMapId(registry, flags.scopeMap) } : {}) },
      });
      printObject(updated, context);
    }),
  );

  withRegistry(
    token
      .command('show')
      .description('tokenShow')
      .addHelpText(
        'after',
        examples(`
  wharf token show -n ci-push -r myregistry
  wharf token show -n ci-push -r myregistry -o table`),
      )
      .requiredOption('-n, --name <name>', 'tokenOptName'),
  ).action(async (flags: RegistryFlags & { name: string }, command: Command) =>
    runCommand(command, async (context) => {
      printObject(await context.client.get<Token>(tokenId(registryOf(context, flags), flags.name)), context);
    }),
  );

  withRegistry(
    token
      .command('list')
      .description('tokenList')
      .addHelpText(
        'after',
        examples(`
  wharf token list -r myregistry
  wharf token list -r myregistry -o tsv`),
      ),
  ).action(async (flags: RegistryFlags, command: Command) =>
    runCommand(command, async (context) => {
      printList(
        await context.client.list<Token>(`${registryOf(context, flags)}/tokens`),
        [
          { header: 'name', value: (t) => t.name },
          { header: 'scopeMap', value: (t) => (t.properties.scopeMapId ? lastSegment(t.properties.scopeMapId) : '') },
          { header: 'status', value: (t) => t.properties.status },
          { header: 'passwords', value: (t) => (t.properties.credentials?.passwords ?? []).map((p) => p.name).join(',') },
          { header: 'creationDate', value: (t) => t.properties.creationDate },
        ],
        context,
      );
    }),
  );

  withRegistry(
    token
      .command('delete')
      .description('tokenDelete')
      .addHelpText(
        'after',
        examples(`
  wharf token delete -n ci-push -r myregistry`),
      )
      .requiredOption('-n, --name <name>', 'tokenOptName'),
  ).action(async (flags: RegistryFlags & { name: string }, command: Command) =>
    runCommand(command, async (context) => {
      await context.client.delete(tokenId(registryOf(context, flags), flags.name));
      process.stdout.write(`${cliTranslator(context.language)('deletedToken', { name: flags.name })}\n`);
    }),
  );

  const credential = token
    .command('credential')
    .description('tokenCredential')
    .addHelpText(
      'after',
      examples(`
  wharf token credential generate -n ci-push -r myregistry --password1
  wharf token credential delete -n ci-push -r myregistry --password2`),
    );

  withRegistry(
    credential
      .command('generate')
      .description('credentialGenerate')
      .addHelpText(
        'after',
        examples(`
  wharf token credential generate -n ci-push -r myregistry
  wharf token credential generate -n ci-push -r myregistry --password2 --expiration-in-days 30
  wharf token credential generate -n ci-push -r myregistry --expiration 2030-01-31T00:00:00Z`),
      )
      .requiredOption('-n, --name <name>', 'tokenOptName')
      .option('--password1', 'credentialGenerateOptPassword1')
      .option('--password2', 'credentialGenerateOptPassword2')
      .option('--expiration-in-days <n>', 'credentialGenerateOptExpirationInDays')
      .option('--expiration <date>', 'credentialGenerateOptExpiration'),
  ).action(
    async (
      flags: RegistryFlags & { name: string; password1?: boolean; password2?: boolean; expirationInDays?: string; expiration?: string },
      command: Command,
    ) =>
      runCommand(command, async (context) => {
        const expiry = expiryFrom({ days: flags.expirationInDays, date: flags.expiration, what: cliText('thePasswords') });
        const name: PasswordName | undefined =
          flags.password1 && !flags.password2 ? 'password1' : flags.password2 && !flags.password1 ? 'password2' : undefined;
        const credentials = await generateCredentials(context, registryOf(context, flags), flags.name, { name, expiry });
        process.stderr.write(`${cliTranslator(context.language)('savePasswordsNow')}\n`);
        printObject(credentials, context, CREDENTIAL_COLUMNS);
      }),
  );

  withRegistry(
    credential
      .command('delete')
      .description('credentialDelete')
      .addHelpText(
        'after',
        examples(`
  wharf token credential delete -n ci-push -r myregistry --password1`),
      )
      .requiredOption('-n, --name <name>', 'tokenOptName')
      .option('--password1', 'credentialDeleteOptPassword1')
      .option('--password2', 'credentialDeleteOptPassword2'),
  ).action(async (flags: RegistryFlags & { name: string; password1?: boolean; password2?: boolean }, command: Command) =>
    runCommand(command, async (context) => {
      const removed = new Set<PasswordName>([...(flags.password1 ? ['password1' as const] : []), ...(flags.password2 ? ['password2' as const] : [])]);
      if (removed.size === 0) throw cliError('password1Or2');
      const path = tokenId(registryOf(context, flags), flags.name);
      const current = await context.client.get<Token>(path);
      // As az does: PATCH the token with the passwords that remain.
      const remaining = (current.properties.credentials?.passwords ?? []).filter((p) => !removed.has(p.name)).map((p) => ({ name: p.name }));
      const updated = await context.client.patch<Token>(path, { properties: { credentials: { passwords: remaining } } });
      printObject(updated, context);
    }),
  );
}
