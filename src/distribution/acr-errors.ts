/**
 * Errors of ACR's data-plane extras (/acr/v1 and the changeable attributes), in the same
 * OCI/ACR error shape as every data-plane error: `{"errors":[{code, message, detail}]}`.
 */
import { localize, type LocalizedText, type MessageValue } from '../i18n/localized.js';
import { RegistryError } from '../kernel/errors.js';
import type { ChangeableAttributes } from '../storage/metadata/store.js';
import { acrErrorMessages } from './acr-error-messages.js';

const m = (key: Extract<keyof typeof acrErrorMessages.messages.en, string>, values?: Record<string, MessageValue>) => localize(acrErrorMessages, key, values);

/** What a changeable attribute is set on: the repository, one tag, or one manifest. */
export type AttributeTarget =
  | { level: 'repository'; registry: string; repository: string }
  | { level: 'tag'; registry: string; repository: string; tag: string }
  | { level: 'manifest'; registry: string; repository: string; digest: string };

export type GatedOperation = 'read' | 'write' | 'delete';

function describeTarget(target: AttributeTarget): LocalizedText {
  switch (target.level) {
    case 'repository':
      return m('targetRepository', { repository: target.repository });
    case 'tag':
      return m('targetTag', { repository: target.repository, tag: target.tag });
    case 'manifest':
      return m('targetManifest', { repository: target.repository, digest: target.digest });
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

const VERB = { read: 'verbRead', write: 'verbWrite', delete: 'verbDelete' } as const satisfies Record<GatedOperation, string>;

export const acrErrors = {
  /** A changeable attribute refuses the operation (ACR: "The operation is disallowed"). */
  disallowed: (operation: GatedOperation, target: AttributeTarget, attribute: keyof ChangeableAttributes) =>
    new RegistryError(
      403,
      'DENIED',
      m(attribute === 'writeEnabled' ? 'disallowedLocked' : 'disallowed', {
        verb: m(VERB[operation]),
        target: describeTarget(target),
        attribute,
        fix: fixCommand(target, attribute),
      }),
      { attribute, ...target },
    ),
  repositoryUnknown: (registry: string, repository: string) =>
    new RegistryError(404, 'NAME_UNKNOWN', m('repositoryUnknown', { registry, repository }), { name: repository }),
  tagUnknown: (repository: string, tag: string) => new RegistryError(404, 'MANIFEST_UNKNOWN', m('tagUnknown', { repository, tag }), { name: repository, tag }),
  manifestUnknown: (repository: string, digest: string) =>
    new RegistryError(404, 'MANIFEST_UNKNOWN', m('manifestUnknown', { repository, digest }), { name: repository, digest }),
  orderInvalid: (value: string) => new RegistryError(400, 'UNSUPPORTED', m('orderInvalid', { value }), { orderby: value }),
  /** Paging by time continues from the position `last` has now; a vanished item has none. */
  pagePositionUnknown: (what: 'tag' | 'manifest', last: string) =>
    new RegistryError(400, 'UNSUPPORTED', m(what === 'tag' ? 'tagPositionUnknown' : 'manifestPositionUnknown', { last }), { last }),
  attributesInvalid: (why: LocalizedText) => new RegistryError(400, 'UNSUPPORTED', m('attributesInvalid', { why })),
  bodyTooLarge: (limit: number) => new RegistryError(413, 'SIZE_INVALID', m('bodyTooLarge', { limit }), { limit }),
} as const;
