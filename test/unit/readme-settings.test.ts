/**
 * The README's settings table lists every setting: each config key of the schema (nested ones
 * as `group.key`), each WHARF_* variable the configuration reads, and each `wharf serve` flag.
 * A setting added without its row fails here. Also the operations listener and log format
 * settings, from the file, the environment and their validation.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { ConfigError, configSchema, loadConfig } from '../../src/kernel/config.js';
import { logFormatOf } from '../../src/server/logger.js';
import { REPO_ROOT, WHARF_CLI } from '../helpers/contract.js';

interface SettingsTable {
  flags: Set<string>;
  keys: Set<string>;
  variables: Set<string>;
}

/** The first table under "### Settings": flags, config keys and variables named in backticks. */
function readmeSettings(): SettingsTable {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n### Settings\n'));
  const lines = section.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows = lines.slice(first).filter((_, i, all) => all.slice(0, i + 1).every((line) => line.startsWith('|')));
  const table: SettingsTable = { flags: new Set(), keys: new Set(), variables: new Set() };
  const quoted = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  for (const row of rows.slice(2)) {
    const [flag = '', key = '', variable = ''] = row
      .split('|')
      .slice(1)
      .map((cell) => cell.trim());
    for (const text of quoted(flag)) for (const name of text.match(/--[a-z][a-z-]*/g) ?? []) table.flags.add(name);
    for (const text of quoted(key)) {
      const path = /^[A-Za-z][\w.]*/.exec(text)?.[0];
      if (path) table.keys.add(path);
    }
    for (const text of quoted(variable)) table.variables.add(text);
  }
  return table;
}

/** Every leaf key of the schema, `group.key` for nested ones (arrays and unions of objects: their own keys). */
function schemaKeys(schema: z.ZodType, prefix = '', out = new Set<string>()): Set<string> {
  const def = (
    schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; options?: z.ZodType[] } } }
  )._zod.def;
  if (def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault') return schemaKeys(def.innerType!, prefix, out);
  if (def.type === 'pipe') return schemaKeys(def.in!, prefix, out);
  if (def.type === 'object') {
    for (const [key, value] of Object.entries(def.shape!)) schemaKeys(value, prefix ? `${prefix}.${key}` : key, out);
  } else if (def.type === 'union') {
    for (const option of def.options!) schemaKeys(option, prefix, out);
  } else {
    out.add(prefix);
  }
  return out;
}

describe('README settings table', () => {
  const table = readmeSettings();

  it('parses: the table has rows', () => {
    assert.ok(table.keys.has('data') && table.variables.has('WHARF_DATA') && table.flags.has('--data'), JSON.stringify([...table.keys]));
  });

  it('lists every config key', () => {
    const keys = [...schemaKeys(configSchema as unknown as z.ZodType)];
    assert.ok(keys.length > 30 && keys.includes('auth.masterKey') && keys.includes('metadata.url'), `the schema walk found ${keys.join(', ')}`);
    assert.deepEqual(
      keys.filter((key) => !table.keys.has(key)),
      [],
      'config keys missing from the README settings table',
    );
  });

  it('lists every WHARF_* variable the configuration reads', () => {
    const source = readFileSync(join(REPO_ROOT, 'src', 'kernel', 'config.ts'), 'utf8');
    const variables = [...new Set(source.match(/WHARF_[A-Z_]+/g) ?? [])];
    assert.ok(variables.includes('WHARF_PORT'));
    assert.deepEqual(
      variables.filter((name) => !table.variables.has(name)),
      [],
      'variables missing from the README settings table',
    );
  });

  it("lists every 'wharf serve' flag", () => {
    const help = spawnSync(process.execPath, [WHARF_CLI, 'serve', '--help'], { encoding: 'utf8' }).stdout;
    const own = help.slice(0, help.indexOf('Global Options:') >= 0 ? help.indexOf('Global Options:') : undefined);
    const flags = [...new Set(own.match(/--[a-z][a-z-]*/g) ?? [])].filter((flag) => flag !== '--help');
    assert.ok(flags.includes('--port'), own);
    assert.deepEqual(
      flags.filter((flag) => !table.flags.has(flag)),
      [],
      'serve flags missing from the README settings table',
    );
  });
});

describe('operations listener and log format settings', () => {
  it('come from the file, the environment and the flags', () => {
    assert.equal(loadConfig({ env: {} }).operations.listen, undefined);
    assert.equal(loadConfig({ env: {} }).logFormat, undefined);
    assert.equal(loadConfig({ env: { WHARF_OPS_LISTEN: '127.0.0.1:9090', WHARF_LOG_FORMAT: 'json' } }).operations.listen, '127.0.0.1:9090');
    assert.equal(loadConfig({ env: { WHARF_LOG_FORMAT: 'pretty' } }).logFormat, 'pretty');
    assert.equal(loadConfig({ env: { WHARF_OPS_LISTEN: '127.0.0.1:9090' }, flags: { operations: { listen: '[::1]:9100' } } }).operations.listen, '[::1]:9100');
  });
  it('log format: pretty on a terminal and JSON otherwise, unless one is set', () => {
    assert.equal(logFormatOf({}, true), 'pretty');
    assert.equal(logFormatOf({}, false), 'json');
    assert.equal(logFormatOf({ logFormat: 'json' }, true), 'json');
    assert.equal(logFormatOf({ logFormat: 'pretty' }, false), 'pretty');
  });
  it('refuses an operations address that is not host:port, and an unknown log format', () => {
    assert.throws(
      () => loadConfig({ env: { WHARF_OPS_LISTEN: 'metrics.example.com' } }),
      (error: Error) => error instanceof ConfigError && /operations\.listen: host:port, e\.g\. 127\.0\.0\.1:9090/.test(error.message),
    );
    assert.throws(
      () => loadConfig({ env: { WHARF_LOG_FORMAT: 'xml' } }),
      (error: Error) => error instanceof ConfigError && /logFormat/.test(error.message),
    );
  });
});
