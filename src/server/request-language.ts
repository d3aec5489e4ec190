/**
 * The language a request's error messages are written in (its Accept-Language, else English),
 * and the one rule for rendering them: the audit keeps the English reason whatever the client reads.
 */
import type { FastifyRequest } from 'fastify';
import { reasonFromErrorBody } from '../audit/failure-reason.js';
import { languageOfAcceptLanguage, type Language } from '../i18n/index.js';

export function requestLanguage(request: Pick<FastifyRequest, 'headers'> | undefined): Language {
  const header = request?.headers['accept-language'];
  return languageOfAcceptLanguage(Array.isArray(header) ? header.join(',') : header);
}

/**
 * The error body in the request's language. When that is not English, the audit's reason (read
 * from the body when the handler gave none) is taken from the English body first, so audit rows
 * and diagnose stay in one language. A request with an access decision needs none: its reason is the decision’s.
 */
export function localizedErrorBody<B>(request: Pick<FastifyRequest, 'headers' | 'audit'>, body: (language: Language) => B): B {
  const language = requestLanguage(request);
  const audit = request.audit;
  if (language !== 'en' && audit !== undefined && audit.reason === undefined && audit.decision === undefined) {
    const reason = reasonFromErrorBody(JSON.stringify(body('en')), 'application/json');
    if (reason !== undefined) audit.reason = reason;
  }
  return body(language);
}
