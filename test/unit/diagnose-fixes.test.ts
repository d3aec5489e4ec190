/**
 * The fixes `wharf diagnose` prints: every kind of fix is a wharf command that exists, with
 * options the command accepts (checked against the built CLI's own --help), and every
 * translation of the diagnose catalog keeps the English message's placeholders, so no command,
 * address or rule goes missing in another language.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fixCommands } from '../../src/health/diagnose.js';
import { diagnoseMessages } from '../../src/health/messages/diagnose-messages.js';
import { LANGUAGES } from '../../src/i18n/index.js';
import type { DiagnoseFix } from '../../src/management/resources/diagnose-types.js';
import { WHARF_CLI } from '../helpers/contract.js';

const REGISTRY_ID = '/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/reg';

const FIXES: DiagnoseFix[] = [
  { kind: 'addIpRule', params: { registry: 'reg', ipAddress: '203.0.113.7' } },
  { kind: 'enablePublicAccess', params: { registry: 'reg' } },
  { kind: 'approveConnection', params: { registry: 'reg', connection: 'conn', endpoint: 'pe' } },
  { kind: 'useOwnEndpoint', params: { registry: 'reg', endpoint: 'pe', endpointRegistry: 'other' } },
  { kind: 'addServiceEndpoint', params: { subnetId: 'id', subnet: 'sn', vnet: 'vn', resourceGroup: 'g' } },
  { kind: 'enableAdminUser', params: { registry: 'reg' } },
  { kind: 'enableToken', params: { registry: 'reg', token: 'tok' } },
  { kind: 'renewTokenPassword', params: { registry: 'reg', token: 'tok', password: 'password2' } },
  { kind: 'resetSecret', params: { appId: '11111111-2222-3333-4444-555555555555' } },
  { kind: 'checkIdentity', params: { registry: 'reg', identity: 'who' } },
  { kind: 'assignRole', params: { registry: 'reg', registryId: REGISTRY_ID, assignee: 'app', role: 'AcrPush' } },
  { kind: 'extendScopeMap', params: { registry: 'reg', scopeMap: 'map', repository: 'team/app', scopeMapAction: 'content/write' } },
  { kind: 'useSystemScopeMap', params: { registry: 'reg', token: 'tok', scopeMap: '_repositories_pull' } },
  { kind: 'enableAnonymousPull', params: { registry: 'reg' } },
  { kind: 'login', params: { registry: 'reg', loginServer: 'reg.localhost' } },
];

const helpCache = new Map<string, string>();
function helpOf(path: string[]): string {
  const key = path.join(' ');
  let help = helpCache.get(key);
  if (help === undefined) {
    help = execFileSync(process.execPath, [WHARF_CLI, ...path, '--help'], { encoding: 'utf8' });
    helpCache.set(key, help);
  }
  return help;
}

/** `wharf a b -x v --flag v` → the command path and its options. */
function parse(command: string): { path: string[]; options: string[] } {
  const words = command.split(' ').slice(1);
  const first = words.findIndex((w) => w.startsWith('-'));
  const path = first < 0 ? words : words.slice(0, first);
  return { path, options: words.filter((w) => w.startsWith('-')) };
}

describe('diagnose fixes', () => {
  it('covers every kind of fix once', () => {
    assert.equal(new Set(FIXES.map((f) => f.kind)).size, FIXES.length);
  });

  for (const fix of FIXES) {
    it(`${fix.kind}: the wharf command exists and takes these options`, () => {
      const commands = fixCommands(fix);
      assert.match(commands.az, /^(az|docker) /);
      for (const single of commands.command.split('; ')) {
        assert.match(single, /^(wharf|docker) /, single);
        if (!single.startsWith('wharf ')) continue;
        const { path, options } = parse(single);
        const help = helpOf(path);
        assert.match(help, new RegExp(`^Usage: wharf ${path.join(' ')} `, 'm'), `${single}\n${help}`);
        for (const option of options) {
          // `  -n, --name <name>` or `  --status <status>`: the option as commander lists it.
          const listed = new RegExp(option.startsWith('--') ? `(^\\s+|, )${option}( |$)` : `^\\s+${option}, `, 'm');
          assert.match(help, listed, `${single}: '${option}' is not an option of wharf ${path.join(' ')}`);
        }
      }
    });
  }
});

describe('diagnose messages', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  for (const language of LANGUAGES) {
    it(`${language} keeps every placeholder of the English messages`, () => {
      const en = diagnoseMessages.messages.en;
      const translated = diagnoseMessages.messages[language] as Record<string, string>;
      for (const [key, english] of Object.entries(en)) {
        assert.deepEqual(placeholders(translated[key]!), placeholders(english), `${language} ${key}`);
      }
    });
  }
});
