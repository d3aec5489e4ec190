/**
 * The Docker client config (`$DOCKER_CONFIG/config.json`, default ~/.docker/config.json), where
 * `docker login` keeps registry credentials and where skopeo, podman and buildah also look
 * (containers/image reads it after its own auth.json). An ACR refresh token is stored the way
 * `docker login` stores an identity token, which is what `az acr login` leaves behind:
 *   auths["<loginServer>"] = { auth: base64("00000000-0000-0000-0000-000000000000:"), identitytoken }
 * The clients then trade the identity token for access tokens (grant_type=refresh_token).
 * The file holds credentials: written atomically, readable by its owner only; every other
 * entry and setting in it is kept.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cliError } from './cli-error.js';

/** The user name docker and ACR pair with an identity (refresh) token. */
export const NULL_GUID = '00000000-0000-0000-0000-000000000000';

function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(homedir(), '.docker', 'config.json'));
}

interface DockerConfig {
  auths?: Record<string, Record<string, unknown>>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

function readConfig(path: string): DockerConfig {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw cliError('dockerConfigNotJson', { path, cause: (error as Error).message });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw cliError('dockerConfigNotObject', { path });
  return parsed as DockerConfig;
}

interface StoredToken {
  path: string;
  /** Set when docker will ask a credential helper for this registry instead of reading `auths`. */
  helper?: string;
}

/** Stores `identityToken` for `loginServer`; keeps everything else in the file. */
export function storeIdentityToken(loginServer: string, identityToken: string, env: NodeJS.ProcessEnv = process.env): StoredToken {
  const path = dockerConfigPath(env);
  const config = readConfig(path);
  const auths = config.auths && typeof config.auths === 'object' ? config.auths : {};
  auths[loginServer] = { auth: Buffer.from(`${NULL_GUID}:`).toString('base64'), identitytoken: identityToken };
  config.auths = auths;
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A temporary file next to it, then rename: readers see the old file or the new one, never half.
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(config, null, '\t') + '\n', { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw cliError('cannotWriteDockerConfig', { path, cause: (error as Error).message });
  }
  const helper = config.credHelpers?.[loginServer] ?? config.credsStore;
  return { path, ...(helper ? { helper } : {}) };
}
