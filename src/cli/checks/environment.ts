/**
 * The client environment (az acr check-health's first checks): which container clients are
 * installed and their versions, and whether the Docker daemon answers. az errors when docker is
 * missing or its daemon is down; Wharf only warns when podman or skopeo (which need no daemon)
 * can do the pulls instead. Helm is optional: a missing helm is a warning.
 */
import { execFile } from 'node:child_process';
import type { HealthContext } from './context.js';
import { sudoPrefix } from './privilege.js';

interface Run {
  ok: boolean;
  output: string;
  missing: boolean;
}

function run(command: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      resolve({ ok: !error, output: (stdout || stderr || (error?.message ?? '')).trim(), missing });
    });
  });
}

/** First line, with `version` numbers only (`Docker version 26.1.5+dfsg1, build a72d7cd` → as is). */
function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

export async function checkEnvironment(context: HealthContext): Promise<void> {
  const { t, log } = context;
  const timeoutMs = Math.max(context.timeoutMs, 5000);
  const [docker, podman, skopeo, helm, ps] = await Promise.all([
    run('docker', ['--version'], timeoutMs),
    run('podman', ['--version'], timeoutMs),
    run('skopeo', ['--version'], timeoutMs),
    run('helm', ['version', '--short'], timeoutMs),
    run('docker', ['ps', '--quiet'], timeoutMs),
  ]);
  const alternatives = [podman.ok && 'podman', skopeo.ok && 'skopeo'].filter(Boolean) as string[];
  for (const [name, result] of [
    ['docker', docker],
    ['podman', podman],
    ['skopeo', skopeo],
    ['helm', helm],
  ] as const) {
    if (result.ok) log.info('environment', t('clientVersion', { client: name, version: firstLine(result.output) }));
    else log.info('environment', t('clientMissing', { client: name }));
  }
  if (!docker.ok) {
    const finding = {
      check: 'environment',
      code: 'DOCKER_COMMAND_ERROR',
      message: t('dockerCommandError'),
      cause: t('dockerMissingCause'),
      fix: alternatives.length > 0 ? t('dockerAlternativesFix', { clients: alternatives.join(', ') }) : t('dockerInstallFix'),
    };
    if (alternatives.length > 0) log.warning(finding);
    else throw log.fail(finding);
  } else if (!ps.ok) {
    const finding = {
      check: 'environment',
      code: 'DOCKER_DAEMON_ERROR',
      message: t('dockerDaemonError'),
      cause: t('dockerDaemonCause', { detail: firstLine(ps.output) }),
      fix:
        alternatives.length > 0
          ? t('dockerDaemonAlternativesFix', { clients: alternatives.join(', '), sudo: sudoPrefix(context.env) })
          : t('dockerDaemonFix', { sudo: sudoPrefix(context.env) }),
    };
    if (alternatives.length > 0) log.warning(finding);
    else throw log.fail(finding);
  } else {
    log.info('environment', t('dockerDaemonOk'));
  }
  if (!helm.ok) {
    log.warning({ check: 'environment', code: 'HELM_COMMAND_ERROR', message: t('helmCommandError'), cause: t('helmMissingCause'), fix: t('helmFix') });
  }
}
