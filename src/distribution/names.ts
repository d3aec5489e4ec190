/** Repository name, tag and reference grammar of the OCI Distribution Spec v1.1. */
import { errors } from '../kernel/errors.js';
import { localize } from '../i18n/localized.js';
import { distributionMessages } from './distribution-messages.js';

const PATH_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const NAME_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** Distribution's limit: the whole name, registry host excluded, fits in 255 characters. */
const MAX_NAME_LENGTH = 255;

export function checkRepositoryName(name: string): string {
  if (name.length === 0) throw errors.nameInvalid(name, localize(distributionMessages, 'nameEmpty'));
  if (name.length > MAX_NAME_LENGTH) throw errors.nameInvalid(name, localize(distributionMessages, 'nameTooLong', { max: MAX_NAME_LENGTH }));
  if (!NAME_RE.test(name)) {
    throw errors.nameInvalid(name, localize(distributionMessages, 'nameGrammar'));
  }
  return name;
}

export function isValidRepositoryName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export function checkTag(tag: string): string {
  if (!isValidTag(tag)) throw errors.tagInvalid(tag);
  return tag;
}
