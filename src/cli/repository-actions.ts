/**
 * `--repository <repo> <action...>` as `az acr scope-map create` and `az acr token create`
 * take it: each occurrence names a repository followed by its actions, and the option can be
 * repeated. Commander concatenates the values of every occurrence into one list, so the list
 * is split again here: a value that looks like an action belongs to the repository before it.
 */
import { SCOPE_MAP_ACTIONS } from '../access/scope-maps.js';
import { cliError } from './cli-error.js';

export const REPOSITORY_ACTIONS = Object.keys(SCOPE_MAP_ACTIONS);

const ACTION_SHAPE = /^(content|metadata)\/[^/]+$/i;

/** ['team/app', 'content/read', 'content/write', 'other', 'content/read'] → ACR action strings. */
export function scopeMapActions(values: string[], option = '--repository'): string[] {
  const actions: string[] = [];
  let repository: string | undefined;
  let repositoryActions = 0;
  const closeRepository = () => {
    if (repository !== undefined && repositoryActions === 0) {
      throw cliError('repositoryNeedsAction', { option, repository, actions: REPOSITORY_ACTIONS.join(', ') });
    }
  };
  for (const raw of values) {
    const value = raw.trim().toLowerCase();
    if (ACTION_SHAPE.test(value)) {
      if (!REPOSITORY_ACTIONS.includes(value)) {
        throw cliError('notRepositoryAction', { value: raw, actions: REPOSITORY_ACTIONS.join(', ') });
      }
      if (repository === undefined) throw cliError('repositoryBeforeActions', { option, value: raw });
      const action = `repositories/${repository}/${value}`;
      if (!actions.includes(action)) actions.push(action);
      repositoryActions++;
    } else {
      closeRepository();
      if (!value || value.startsWith('/') || value.endsWith('/')) throw cliError('notRepositoryName', { value: raw });
      repository = value;
      repositoryActions = 0;
    }
  }
  closeRepository();
  return actions;
}
