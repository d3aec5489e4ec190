/**
 * The token-mode figures: Wharf in its default secure mode vs Distribution in token mode
 * (its `auth.token` configuration), both holding the same image and answering to Bearer tokens.
 *   manifestBearerRps — wrk manifest GETs with `Authorization: Bearer <pull token>`;
 *   tokenIssueRps     — wrk POSTs of a refresh-token grant to /oauth2/token: Wharf's own
 *                       token server vs the bench token server that signs Distribution's
 *                       tokens (Distribution has none of its own; see token-server.ts);
 *   tokenBasicRps     — wrk GET /oauth2/token with the admin user's Basic credential, as
 *                       `docker login` does: Wharf only (scrypt makes it slow by design).
 * With WHARF_CMD=distribution the Wharf column is a second token-mode Distribution behind the
 * same bench token server, to test this logic without Wharf.
 */
import { join } from 'node:path';
import { ROUNDS, type BenchConfig } from './config.js';
import { FigureBook, type Figures, type Log } from './measure.js';
import { bearerFor, ownerArmToken, type BootstrapOwner, readBootstrapOwner, refreshForm, wharfRefreshGrant, type RefreshGrant } from './registry-tokens.js';
import { startDistribution, startTokenServer, startWharf, type RunningRegistry } from './servers.js';
import { createTokenSigner } from './token-ca.js';
import { BENCH_TOKEN_ISSUER, TokenSigner } from './token-signer.js';
import { OCI_MANIFEST, pushImage, REPO } from './workloads.js';
import { enableAdminUser } from './wharf-admin.js';
import { writePostScript } from './wrk.js';

export interface TokenModeResults {
  readonly wharf: Figures;
  readonly distribution: Figures;
  readonly wharfLabel: string;
  readonly warnings: string[];
  /** The token-mode servers, still running (the caller stops them), for later phases on them (network-rules.ts). */
  readonly session: TokenSession;
}

/** A running token-mode registry and how a client gets its tokens. */
export interface TokenSide {
  readonly registry: RunningRegistry;
  readonly grant: RefreshGrant;
}

export interface TokenSession {
  /** `owner`: the identity that may call Wharf's ARM API; absent for the WHARF_CMD=distribution stand-in. */
  readonly wharf: TokenSide & { readonly owner?: BootstrapOwner };
  readonly distribution: TokenSide;
}

/** One column: where the data plane is, and where and how its tokens are issued. */
interface TokenTarget {
  readonly registry: RunningRegistry;
  readonly grant: RefreshGrant;
  /** The admin user's Basic credential (Wharf only), or why there is none. */
  readonly basic?: { authorization: string } | { unavailable: string };
  /** Wharf's first owner (Wharf only). */
  readonly owner?: BootstrapOwner;
}

const DISTRIBUTION_SERVICE = 'distribution.bench.localhost';
const STAND_IN_SERVICE = 'wharf-stand-in.bench.localhost';
/** The bench mints refresh tokens for Distribution's side itself; an hour outlasts any run. */
const REFRESH_SECONDS = 3600;
export const PULL = `repository:${REPO.image}:pull`;
const PUSH_PULL = `repository:${REPO.image}:pull,push`;

/**
 * Starts the token-mode servers (each is added to `started` at once, so the caller stops it
 * whatever happens), pushes the image, and measures.
 */
export async function measureTokenMode(root: string, config: BenchConfig, log: Log, started: RunningRegistry[]): Promise<TokenModeResults> {
  const standIn = config.wharfCmd === 'distribution';
  log('token mode: throwaway CA and signer for Distribution');
  const signerDir = join(root, 'token-ca');
  const signerFiles = createTokenSigner(signerDir);
  const signer = TokenSigner.load(signerFiles);

  const services = standIn ? [DISTRIBUTION_SERVICE, STAND_IN_SERVICE] : [DISTRIBUTION_SERVICE];
  const tokenServer = await startTokenServer(join(root, 'token-server'), signerDir, services);
  started.push(tokenServer);
  const tokenUrl = `${tokenServer.baseUrl}/oauth2/token`;

  /** A token-mode Distribution whose refresh token the bench mints (it plays the identity provider). */
  const distributionTarget = async (dir: string, label: string, service: string): Promise<TokenTarget> => {
    const registry = await startDistribution(dir, label, { realm: tokenUrl, service, issuer: BENCH_TOKEN_ISSUER, rootCertBundle: signerFiles.caCertFile });
    started.push(registry);
    const grants = [{ type: 'repository', name: REPO.image, actions: ['pull', 'push'] }];
    return { registry, grant: { tokenUrl, service, refreshToken: await signer.mintRefresh(service, 'bench', grants, REFRESH_SECONDS) } };
  };

  let wharf: TokenTarget;
  if (standIn) {
    wharf = await distributionTarget(join(root, 'wharf-secure'), 'wharf (=distribution, token mode)', STAND_IN_SERVICE);
  } else {
    const dir = join(root, 'wharf-secure');
    const registry = await startWharf(dir, config.wharfCmd, config.wharfReadyPath, 'secure');
    started.push(registry);
    log(`token mode: ${registry.label} — identity-plane token, /oauth2/exchange, /oauth2/token`);
    const owner = await readBootstrapOwner(join(dir, 'data'));
    const armToken = await ownerArmToken(registry.baseUrl, owner);
    const grant = await wharfRefreshGrant(registry.baseUrl, owner, armToken);
    // Optional figure: a failure here is reported, and the Bearer figures still run.
    const basic = await enableAdminUser(registry.baseUrl, owner, armToken, grant.service).then(
      (authorization) => ({ authorization }),
      (error: unknown) => ({ unavailable: (error as Error).message }),
    );
    wharf = { registry, grant, basic, owner };
  }
  const distribution = await distributionTarget(join(root, 'distribution-token'), 'distribution (token mode)', DISTRIBUTION_SERVICE);
  log(
    `token mode: ${wharf.registry.label} on ${wharf.registry.baseUrl}; ${distribution.registry.label} on ${distribution.registry.baseUrl}; ` +
      `${tokenServer.label} on ${tokenServer.baseUrl}`,
  );

  const targets = new Map<RunningRegistry, TokenTarget & { pull: string; issueScript: string }>();
  for (const target of [wharf, distribution]) {
    log(`token mode: push test image with a Bearer token — ${target.registry.label}`);
    await pushImage(target.registry, await bearerFor(target.grant, PUSH_PULL));
    // What wrk sends: the token a pulling client holds, and the grant a client redeems for it.
    const pull = await bearerFor(target.grant, PULL);
    const script = join(root, `issue-${targets.size}.lua`);
    targets.set(target.registry, { ...target, pull, issueScript: writePostScript(script, new URLSearchParams(refreshForm(target.grant, PULL)).toString()) });
  }

  const book = new FigureBook([wharf.registry, distribution.registry], ROUNDS, config.seconds, log);
  await book.figure('manifestBearerRps', `wrk manifest GET with Bearer token -c64 ${config.seconds}s`, 1, (r) =>
    book.wrk(r, 'manifestBearerRps', `${r.baseUrl}/v2/${REPO.image}/manifests/v1`, {
      connections: 64,
      headers: { Accept: OCI_MANIFEST, Authorization: targets.get(r)!.pull },
    }),
  );
  await book.figure('tokenIssueRps', `wrk POST /oauth2/token refresh_token grant -c16 ${config.seconds}s (distribution: bench token server)`, 1, (r) => {
    const target = targets.get(r)!;
    return book.wrk(r, 'tokenIssueRps', target.grant.tokenUrl, { connections: 16, script: target.issueScript });
  });

  const basic = wharf.basic;
  if (basic && 'authorization' in basic) {
    const only = new FigureBook([wharf.registry], ROUNDS, config.seconds, log);
    const url = `${wharf.grant.tokenUrl}?${new URLSearchParams({ service: wharf.grant.service, scope: PULL })}`;
    await only.figure('tokenBasicRps', `wrk GET /oauth2/token with admin Basic credential -c16 ${config.seconds}s`, 1, (r) =>
      only.wrk(r, 'tokenBasicRps', url, { connections: 16, headers: { Authorization: basic.authorization } }),
    );
    book.set(wharf.registry, 'tokenBasicRps', only.figures.get(wharf.registry)!.tokenBasicRps!);
    book.warnings.push(...only.warnings);
  } else if (basic) {
    book.warnings.push(`NOTE token issuance with Basic credentials not measured: admin user setup failed: ${basic.unavailable}`);
  }

  return {
    wharf: book.figures.get(wharf.registry)!,
    distribution: book.figures.get(distribution.registry)!,
    wharfLabel: wharf.registry.label,
    warnings: book.warnings,
    session: {
      wharf: { registry: wharf.registry, grant: wharf.grant, owner: wharf.owner },
      distribution: { registry: distribution.registry, grant: distribution.grant },
    },
  };
}
