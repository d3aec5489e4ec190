/**
 * The `wharf` command tree takes its words from the help catalog: every command, option and
 * argument is described by a key, and the help of every command, rendered in each language,
 * has no description line left in English.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from 'commander';
import { isCliHelpKey } from '../../src/cli/help-messages/catalog.js';
import { buildProgram } from '../../src/cli/program.js';
import { similarNames } from '../../src/cli/localized-command.js';

/** Words every English sentence has and no command does. */
const ENGLISH_PROSE = /(?<![\w-])(the|of|and|to|for|with|from|or|is|default|only|its|this|that)(?![\w-])/;

function commandsOf(command: Command): Command[] {
  return [command, ...command.commands.flatMap(commandsOf)];
}

function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The help of every command of a program whose --lang is `language`. */
function helpIn(language: string): Map<string, string> {
  const program = buildProgram();
  program.setOptionValue('lang', language);
  return new Map(commandsOf(program).map((command) => [pathOf(command), command.helpInformation()]));
}

test('every command, option and argument is described by a key of the help catalog', () => {
  const problems: string[] = [];
  for (const command of commandsOf(buildProgram())) {
    const where = pathOf(command);
    if (!isCliHelpKey(command.description())) problems.push(`${where}: description '${command.description()}'`);
    for (const option of command.options) {
      if (!isCliHelpKey(option.description)) problems.push(`${where} ${option.flags}: '${option.description}'`);
    }
    for (const argument of command.registeredArguments) {
      if (argument.description !== '' && !isCliHelpKey(argument.description)) problems.push(`${where} <${argument.name()}>: '${argument.description}'`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the help of every command reads in the chosen language, English only by default', () => {
  const english = helpIn('en');
  assert.ok(english.size > 80, `${english.size} commands`);
  assert.match(english.get('wharf')!, /^Usage: wharf \[options\] \[command\]$/m);
  assert.match(english.get('wharf check-health')!, /check the client environment and the path to a registry/);
  const titles: Record<string, RegExp> = { fr: /^Utilisation : wharf/, sv: /^Användning: wharf/, pl: /^Użycie: wharf/, 'pt-BR': /^Uso: wharf/ };
  for (const [language, title] of Object.entries(titles)) {
    const translated = helpIn(language);
    const left: string[] = [];
    for (const [path, help] of translated) {
      assert.match(help, title, `${path} (${language})`);
      const englishLines = new Set(
        english
          .get(path)!
          .split('\n')
          .map((l) => l.trim()),
      );
      for (const line of help.split('\n').map((l) => l.trim())) {
        // A line that is only a command, an option's flags or a value list is the same in every language.
        if (line === '' || !englishLines.has(line) || /^(wharf|help) /.test(line) || /^[-<["]/.test(line) || !ENGLISH_PROSE.test(line)) continue;
        left.push(`${path}: ${line}`);
      }
    }
    assert.deepEqual(left, [], `English left in the ${language} help`);
  }
});

test('a mistyped command or option is answered with the closest names, as commander does', () => {
  assert.deepEqual(similarNames('shw', ['show', 'list', 'serve']), ['show']);
  assert.deepEqual(similarNames('--registy', ['--registry', '--repository', '--resource-group']), ['--registry']);
  assert.deepEqual(similarNames('--nothing-like-it', ['--registry', '--name']), []);
});
