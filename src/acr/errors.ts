/**
 * Errors of ACR's data-plane extras (/acr/v1 and the changeable attributes), in the same
 * OCI/ACR error shape as every data-plane error: `{"errors":[{code, message, detail}]}`.
 */
import { RegistryError } from '../server/errors.js';
import type { ChangeableAttributes } from '../storage/metadata/store.js';

/** What a changeable attribute is set on: the repository, one tag, or one manifest. */
export type AttributeTarget =
  | { level: 'repository'; registry: string; repository: string }
  | { level: 'tag'; registry: string; repository: string; tag: string }
  | { level: 'manifest'; registry: string; repository: string; digest: string };

export type GatedOperation = 'read' | 'write' | 'delete';

function describeTarget(target: AttributeTarget): string {
  switch (target.level) {
    case 'repository':
      return `repository '${target.repository}'`;
    case 'tag':
      return `tag '${target.repository}:${target.tag}'`;
    case 'manifest':
      return `manifest '${target.repository}@${target.digest}'`;
  }
}

/** The `az acr repository update` that changes the attribute (it works against Wharf too). */
function fixCommand(target: AttributeTarget, attribute: keyof ChangeableAttributes): string {
  const what =
    target.level === 'repository'
      ? `--repository ${target.repository}`
      : `--image ${target.repository}${target.level === 'tag' ? `:${target.tag}` : `@${target.digest}`}`;
  const flag = attribute.replace(/Enabled$/, '').replace(/^./, (c) => `--${c}`) + '-enabled';
  return `az acr repository update --name ${target.registry} ${what} ${flag} true`;
}

const VERB: Record<GatedOperation, string> = { read: 'reading', write: 'writing', delete: 'deleting' };

export const acrErrors = {
  /** A changeable attribute refuses the operation (ACR: "The operation is disallowed"). */
  disallowed: (operation: GatedOperation, target: AttributeTarget, attribute: keyof ChangeableAttributes) => {
    const locked = attribute === 'writeEnabled' ? ', the image is locked' : '';
    const action = attribute === 'writeEnabled' ? 'unlock it' : 'enable it';
    return new RegistryError(
      403,
      'DENIED',
      `The operation is disallowed: ${VERB[operation]} is disabled on ${describeTarget(target)} ` +
        `(${attribute}=false${locked}); ${action} with '${fixCommand(target, attribute)}'`,
      { attribute, ...target },
    );
  },
  repositoryUnknown: (registry: string, repository: string) =>
    new RegistryError(404, 'NAME_UNKNOWN', `repository '${repository}' is not known to registry '${registry}'`, { name: repository }),
  tagUnknown: (repository: string, tag: string) =>
    new RegistryError(404, 'MANIFEST_UNKNOWN', `tag '${tag}' is not in repository '${repository}'`, { name: repository, tag }),
  manifestUnknown: (repository: string, digest: string) =>
    new RegistryError(404, 'MANIFEST_UNKNOWN', `manifest '${digest}' is not in repository '${repository}'`, { name: repository, digest }),
  orderInvalid: (value: string) =>
    new RegistryError(400, 'UNSUPPORTED', `invalid orderby '${value}': use timeasc, timedesc or none`, { orderby: value }),
  /** Paging by time continues from the position `last` has now; a vanished item has none. */
  pagePositionUnknown: (what: 'tag' | 'manifest', last: string) =>
    new RegistryError(
      400,
      'UNSUPPORTED',
      `cannot continue paging after ${what} '${last}': it no longer exists; list again from the start (without 'last')`,
      { last },
    ),
  attributesInvalid: (why: string) =>
    new RegistryError(400, 'UNSUPPORTED', `invalid changeable attributes: ${why}; send a JSON object such as {"writeEnabled": false}`),
  bodyTooLarge: (limit: number) =>
    new RegistryError(413, 'SIZE_INVALID', `request body larger than the ${limit}-byte limit`, { limit }),
} as const;
