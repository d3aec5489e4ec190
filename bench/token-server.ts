/**
 * The benchmark's own token server for Distribution in token mode, which has none of its
 * own. It is a real signer, so its issuance rate is a fair comparison for Wharf's
 * /oauth2/token: POST form grant_type=refresh_token&service=…&scope=…&refresh_token=… →
 * verify the refresh token (RS256), cut the scope down to its grants, sign an access token
 * (RS256, x5c). No database and no audit: it is the floor of what issuance costs in Node.
 *
 * Run as its own process (like the registries, so wrk measures it and not the bench):
 *   node token-server.js <signer dir> <port> <service> [<service>…]
 * Loopback only. GET /healthz answers 200 once it listens.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intersect, parseScopes, TokenSigner } from './token-signer.js';

const FORM_LIMIT = 64 * 1024;
export const ACCESS_TOKEN_SECONDS = 3600;

class BadRequest extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (Number(req.headers['content-length'] ?? 0) > FORM_LIMIT) throw new BadRequest(413, 'invalid_request', `the body is over ${FORM_LIMIT} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > FORM_LIMIT) throw new BadRequest(413, 'invalid_request', `the body is over ${FORM_LIMIT} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks, total).toString('utf8'));
}

export function createTokenServer(signer: TokenSigner, services: readonly string[]): Server {
  async function issue(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const grantType = form.get('grant_type') ?? '';
    if (grantType !== 'refresh_token') throw new BadRequest(400, 'unsupported_grant_type', `grant_type '${grantType}': only refresh_token`);
    const service = form.get('service') ?? '';
    if (!services.includes(service)) throw new BadRequest(400, 'invalid_request', `unknown service '${service}'`);
    let holder;
    try {
      holder = await signer.verifyRefresh(form.get('refresh_token') ?? '', service);
    } catch (error) {
      throw new BadRequest(401, 'invalid_grant', `refresh token refused: ${(error as Error).message}`);
    }
    const access = intersect(parseScopes(form.getAll('scope')), holder.grants);
    const token = await signer.mintAccess(service, holder.subject, access, ACCESS_TOKEN_SECONDS);
    sendJson(res, 200, { access_token: token, token, expires_in: ACCESS_TOKEN_SECONDS, issued_at: new Date().toISOString() });
  }

  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const work =
      path === '/healthz' && req.method === 'GET'
        ? Promise.resolve(sendJson(res, 200, { status: 'ok' }))
        : path === '/oauth2/token' && req.method === 'POST'
          ? issue(req, res)
          : Promise.reject(new BadRequest(404, 'not_found', `${req.method} ${path}: this token server only answers POST /oauth2/token`));
    work.catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof BadRequest) return sendJson(res, error.status, { error: error.code, error_description: error.message });
      process.stderr.write(`token server error: ${(error as Error).stack ?? String(error)}\n`);
      sendJson(res, 500, { error: 'server_error', error_description: 'internal error' });
    });
  });
}

function main(argv: string[]): void {
  const [dir, portText, ...services] = argv;
  const port = Number(portText);
  if (!dir || !Number.isInteger(port) || port <= 0 || services.length === 0) {
    process.stderr.write('usage: token-server.js <signer dir> <port> <service> [<service>…]\n');
    process.exit(2);
  }
  const signer = TokenSigner.load({ signerKeyFile: join(dir, 'signer.key'), signerCertFile: join(dir, 'signer.crt') });
  const server = createTokenServer(signer, services);
  server.keepAliveTimeout = 30_000; // wrk holds its connections for the whole run
  server.listen(port, '127.0.0.1', () => process.stdout.write(`token server on 127.0.0.1:${port} for ${services.join(', ')}\n`));
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
