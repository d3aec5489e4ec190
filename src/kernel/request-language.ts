/** The language a request's messages are written in: its Accept-Language, else English. */
import type { FastifyRequest } from 'fastify';
import { languageOfAcceptLanguage, type Language } from '../i18n/index.js';

export function requestLanguage(request: Pick<FastifyRequest, 'headers'> | undefined): Language {
  const header = request?.headers['accept-language'];
  return languageOfAcceptLanguage(Array.isArray(header) ? header.join(',') : header);
}
