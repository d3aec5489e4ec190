/**
 * The one rule for rendering an error body in the request's language (src/kernel/request-language.ts):
 * the audit keeps the English reason whatever the client reads.
 */
import type { FastifyRequest } from 'fastify';
import { clip, reasonFromErrorBody } from './failure-reason.js';
import type { Language } from '../i18n/index.js';
import type { Text } from '../i18n/localized.js';
import { requestLanguage } from '../kernel/request-language.js';

/**
 * The error body in the request's language. When the handler gave no reason, the audit's is
 * the error's own message: when that message (`why`) is localized text, its English text, and
 * its key and values too when it is a catalog message, so a reader sees it in their own language;
 * no body is read back. Free text (`why` a string, or none) is the English body's message, so
 * audit rows and diagnose stay in one language. A request with an access decision needs none:
 * its reason is the decision’s.
 */
export function localizedErrorBody<B>(request: Pick<FastifyRequest, 'headers' | 'audit'>, body: (language: Language) => B, why?: Text): B {
  const language = requestLanguage(request);
  const audit = request.audit;
  if (audit !== undefined && audit.reason === undefined && audit.decision === undefined) {
    if (typeof why === 'object') {
      audit.reason = clip(String(why));
      if (why.message !== undefined) audit.message = why.message;
    } else if (language !== 'en') {
      const reason = reasonFromErrorBody(JSON.stringify(body('en')), 'application/json');
      if (reason !== undefined) audit.reason = reason;
    }
  }
  return body(language);
}
