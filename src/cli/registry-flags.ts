/**
 * `-n/--name`, `-r/--registry` and `-g/--resource-group` naming one registry. As az: `-n/--name`
 * names the resource the command acts on, `-r/--registry` the registry of a sub-resource (a
 * token, a scope map, a replication…). Every command that takes a registry accepts
 * `-r/--registry`, and where `-n` is the registry itself `-r` works too, so either habit works.
 * (`wharf import` is az's exception: there `-r` is the source registry.)
 */
import type { Command } from 'commander';
import { isArmScope } from './arm-ids.js';
import type { CommandContext } from './command-context.js';
import { cliError } from './cli-error.js';

export interface RegistryFlags {
  registry?: string;
  name?: string;
  resourceGroup?: string;
}

/** Adds -n/-r/-g; with `nameIsRegistry` false, -n is left to the command (it names something else). */
export function withRegistry(command: Command, nameIsRegistry = true): Command {
  if (nameIsRegistry) command.option('-n, --name <name>', 'optName');
  return command.option('-r, --registry <name>', nameIsRegistry ? 'optRegistry' : 'optName').option('-g, --resource-group <name>', 'optResourceGroup');
}

export function registryNameOf(context: CommandContext, flags: RegistryFlags, nameIsRegistry = true): string {
  const byName = nameIsRegistry ? flags.name : undefined;
  if (flags.registry && byName && flags.registry !== byName) throw cliError('registryOnce');
  return context.registryName(flags.registry ?? byName);
}

/** The registry's ARM id; -r may also be a full id (a registry in another subscription). */
export function registryPathOf(context: CommandContext, flags: RegistryFlags, nameIsRegistry = true): string {
  const name = registryNameOf(context, flags, nameIsRegistry);
  return isArmScope(name) ? name : context.registryId(name, flags.resourceGroup);
}

/** The registry a command creates or deletes: -n or -r, given once (no default: it must be named). */
export function requiredRegistryName(flags: RegistryFlags): string {
  if (flags.registry && flags.name && flags.registry !== flags.name) throw cliError('registryOnce');
  const name = flags.registry ?? flags.name;
  if (!name) throw cliError('registryNameRequired');
  return name;
}
