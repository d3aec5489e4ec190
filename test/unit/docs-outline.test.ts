/**
 * The troubleshooting docs exist in several languages that share one outline, so that a link
 * to `troubleshoot-login.md#check-expiry` or `health-errors.md#connectivity_dns_error` works in
 * every language (check-health and diagnose print such links). Checks, for every language
 * directory under docs/: the three guides are there, each has the fixed section anchors, the
 * error reference has a section for every code, and every relative link resolves to a file and
 * an anchor that exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DOCS = join(ROOT, 'docs');
const LANGUAGES = ['en', 'fr', 'sv', 'pl', 'pt-BR'];

const OUTLINE: Record<string, string[]> = {
  'troubleshoot-login.md': [
    'symptoms',
    'causes',
    'further-diagnosis',
    'check-docker-configuration',
    'specify-correct-registry-name',
    'confirm-credentials',
    'confirm-authorization',
    'check-expiry',
    'advanced',
  ],
  'troubleshoot-network.md': [
    'symptoms',
    'causes',
    'further-diagnosis',
    'configure-client-firewall',
    'configure-public-access',
    'configure-vnet-access',
    'configure-private-endpoint',
    'configure-data-endpoint',
    'configure-trusted-services',
    'configure-proxy-tls',
    'advanced',
  ],
  // One section per code that check-health, check-pull and diagnose report (ACR's and Wharf's own).
  'health-errors.md': [
    'DOCKER_COMMAND_ERROR',
    'DOCKER_DAEMON_ERROR',
    'DOCKER_VERSION_ERROR',
    'HELM_COMMAND_ERROR',
    'HELM_VERSION_ERROR',
    'LOGIN_SERVER_ERROR',
    'CONNECTIVITY_DNS_ERROR',
    'CONNECTIVITY_FORBIDDEN_ERROR',
    'CONNECTIVITY_CHALLENGE_ERROR',
    'CONNECTIVITY_AAD_LOGIN_ERROR',
    'CONNECTIVITY_WWW_AUTHENTICATE_ERROR',
    'CONNECTIVITY_REFRESH_TOKEN_ERROR',
    'CONNECTIVITY_ACCESS_TOKEN_ERROR',
    'CONNECTIVITY_SSL_ERROR',
    'CONNECTIVITY_TOOMANYREQUESTS_ERROR',
    'UNEXPECTED_ERROR',
    'PROXY_CONNECT_ERROR',
    'CONNECTIVITY_TCP_ERROR',
    'LOGIN_SERVER_UNREACHABLE_ERROR',
    'CONNECTIVITY_TIMEOUT_ERROR',
    'PROVIDER_NOT_REGISTERED_ERROR',
    'PERMISSION_DENIED_ERROR',
    'CREDENTIALS_EXPIRED_ERROR',
    'CREDENTIALS_EXPIRING_WARNING',
    'CLOCK_SKEW_ERROR',
    'IMAGE_NOT_FOUND_ERROR',
    'BLOB_PULL_ERROR',
    'DATA_ENDPOINT_DNS_ERROR',
    'DATA_ENDPOINT_ERROR',
    'PRIVATE_ENDPOINT_DNS_ERROR',
    'NETWORK_DENIED',
    'AUTHENTICATION_FAILED',
    'AUTHORIZATION_DENIED',
    'PRIVATE_ENDPOINT_CONNECTION_ERROR',
    'PRIVATE_ENDPOINT_LISTENER_ERROR',
    'ENTRA_SIGN_IN_ERROR',
  ].map((code) => code.toLowerCase()),
};

const present = LANGUAGES;

/** Explicit `<a id>` anchors, plus the ids GitHub derives from headings. */
function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const anchors = new Set([...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!));
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
    anchors.add(
      heading!
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\- _]/gu, '')
        .replace(/ /g, '-'),
    );
  }
  return anchors;
}

/** Relative Markdown links outside code blocks: [text](target#fragment). */
function linksOf(file: string): { target: string; fragment: string }[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((link) => !/^[a-z]+:/i.test(link))
    .map((link) => {
      const [target = '', fragment = ''] = link.split('#');
      return { target, fragment };
    });
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

describe('docs in every language share one outline', () => {
  test('every language has its folder', () => {
    const missing = LANGUAGES.filter((language) => !existsSync(join(DOCS, language)));
    assert.deepEqual(missing, []);
  });

  for (const language of present) {
    for (const [file, ids] of Object.entries(OUTLINE)) {
      test(`${language}/${file} has every section of the outline`, () => {
        const path = join(DOCS, language, file);
        assert.ok(existsSync(path), `${path} is missing`);
        const text = readFileSync(path, 'utf8');
        const missing = ids.filter((id) => !text.includes(`<a id="${id}"></a>`));
        assert.deepEqual(missing, [], `${language}/${file} lacks the anchors ${missing.join(', ')}`);
      });
    }
  }
});

describe('relative links resolve', () => {
  const files = [join(ROOT, 'README.md'), ...markdownFiles(DOCS)];
  for (const file of files) {
    test(file.slice(ROOT.length + 1), () => {
      const broken: string[] = [];
      for (const { target, fragment } of linksOf(file)) {
        const path = target === '' ? file : normalize(join(dirname(file), target));
        if (!existsSync(path)) {
          broken.push(`${target}#${fragment}: no such file`);
          continue;
        }
        if (fragment && path.endsWith('.md') && !anchorsOf(path).has(fragment)) broken.push(`${target}#${fragment}: no such anchor`);
      }
      assert.deepEqual(broken, []);
    });
  }
});
