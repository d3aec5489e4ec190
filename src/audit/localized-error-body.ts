/**
 * The one rule for rendering an error body in the request's language (src/kernel/request-language.ts):
 * the audit keeps the English reason whatever the client reads.
 */
import type { FastifyRequest } from 'fastify';
import { reasonFromErrorBody } from './failure-reason.js';
import type { Language } from '../i18n/index.js';
import type { Text } from '../i18n/localized.js';
import { requestLanguage } from '../kernel/request-language.js';

/**
 * The error body in the request's language. The audit's reason (when the handler gave none) is
 * the English body's message, so audit rows and diagnose stay in one language; when the error's
 * message (`why`) is a catalog message, the row keeps its key and values too, and a reader sees
 * it in their own language. A request with an access decision needs none: its reason is the decision’s.
 */
export function localizedErrorBody<B>(request: Pick<FastifyRequest, 'headers' | 'audit'>, body: (language: Language) => B, why?: Text): B {
  const language = requestLanguage(request);
  const audit = request.audit;
  if (audit !== undefined && audit.reason === undefined && audit.decision === undefined) {
    const message = typeof why === 'object' ? why.message : undefined;
    if (language !== 'en' || message !== undefined) {
      const reason = reasonFromErrorBody(JSON.stringify(body('en')), 'application/json');
      if (reason !== undefined) {
        audit.reason = reason;
        // The key only when the body says what the message says (a plane may word the error its own way).
        if (message !== undefined && reason === String(why)) audit.message = message;
      }
    }
  }
  return body(language);
}
