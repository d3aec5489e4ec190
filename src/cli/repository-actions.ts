/**
 * `--repository <repo> <action...>` as `az acr scope-map create` and `az acr token create`
 * take it: each occurrence names a repository followed by its actions, and the option can be
 * repeated. Commander concatenates the values of every occurrence into one list, so the list
 * is split again here: a value that looks like an action belongs to the repository before it.
 */
import { SCOPE_MAP_ACTIONS } from '../access/scope-maps.js';

export const REPOSITORY_ACTIONS = Object.keys(SCOPE_MAP_ACTIONS);

const ACTION_SHAPE = /^(content|metadata)\/[^/]+$/i;

/** ['team/app', 'content/read', 'content/write', 'other', 'content/read'] → ACR action strings. */
export function scopeMapActions(values: string[], option = '--repository'): string[] {
  const actions: string[] = [];
  let repository: string | undefined;
  let repositoryActions = 0;
  const closeRepository = () => {
    if (repository !== undefined && repositoryActions === 0) {
      throw new Error(`${option} ${repository} needs at least one action (${REPOSITORY_ACTIONS.join(', ')})`);
    }
  };
  for (const raw of values) {
    const value = raw.trim().toLowerCase();
    if (ACTION_SHAPE.test(value)) {
      if (!REPOSITORY_ACTIONS.includes(value)) {
        throw new Error(`'${raw}' is not a repository action: expected ${REPOSITORY_ACTIONS.join(', ')}`);
      }
      if (repository === undefined) throw new Error(`${option} takes a repository first, then its actions: '${raw}' came first`);
      const action = `repositories/${repository}/${value}`;
      if (!actions.includes(action)) actions.push(action);
      repositoryActions++;
    } else {
      closeRepository();
      if (!value || value.startsWith('/') || value.endsWith('/')) throw new Error(`'${raw}' is not a repository name`);
      repository = value;
      repositoryActions = 0;
    }
  }
  closeRepository();
  return actions;
}
