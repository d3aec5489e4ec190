/**
 * Commander, speaking the user's language: descriptions given to `.description()`, `.option()`
 * and `.argument()` are keys of the help catalog, rendered when help is shown; commander's
 * headings and parse errors are rendered from the same catalog. The language is the CLI's:
 * `--lang`, else LC_ALL, LC_MESSAGES, LANG, LANGUAGE, else English.
 */
import { Command, Help, type AddHelpTextContext, type Argument, type Option } from 'commander';
import { languageOf, pickLanguage, type Language } from '../i18n/index.js';
import { cliHelpTranslator, isCliHelpKey, type CliHelpKey } from './help-messages/catalog.js';

type Values = Record<string, string | number>;

/** Values of keys whose text names a constant (a default, a list of choices), set once where the key is used. */
const keyValues = new Map<CliHelpKey, Values>();

/** A description key whose message has placeholders, with their values. */
export function helpKey(key: CliHelpKey, values: Values): CliHelpKey {
  keyValues.set(key, values);
  return key;
}

/** The language a command runs in: `--lang` of the program, else the locale. */
export function languageOfCommand(command: Command): Language {
  let root = command;
  while (root.parent) root = root.parent;
  const flag = root.getOptionValue('lang') as string | undefined;
  try {
    return languageOf(flag);
  } catch {
    return pickLanguage(process.env.LC_ALL, process.env.LC_MESSAGES, process.env.LANG, process.env.LANGUAGE?.split(':')[0]);
  }
}

function helpTextIn(language: Language) {
  const t = cliHelpTranslator(language);
  /** A description: a key of the help catalog, or text that is not a sentence (a list of names). */
  return (description: string, values?: Values): string => (isCliHelpKey(description) ? t(description, values ?? keyValues.get(description)) : description);
}

/**
 * The "Examples:" heading in the user's language, over command lines that need no translation or
 * over a key of the help catalog (examples that explain themselves).
 */
export function examples(linesOrKey: string): (context: AddHelpTextContext) => string {
  return (context) => {
    const text = helpTextIn(languageOfCommand(context.command));
    return `\n${text('examplesTitle')}\n${text(linesOrKey).replace(/^\n/, '')}`;
  };
}

/** A block of help text after a command's options, from the help catalog. */
export function helpText(key: CliHelpKey): (context: AddHelpTextContext) => string {
  return (context) => `\n${helpTextIn(languageOfCommand(context.command))(key)}`;
}

const TITLES: Record<string, CliHelpKey> = {
  'Usage:': 'usageTitle',
  'Arguments:': 'argumentsTitle',
  'Options:': 'optionsTitle',
  'Global Options:': 'globalOptionsTitle',
  'Commands:': 'commandsTitle',
};

class LocalizedHelp extends Help {
  constructor(private readonly text: ReturnType<typeof helpTextIn>) {
    super();
  }

  override styleTitle(title: string): string {
    const key = TITLES[title];
    return key ? this.text(key) : title;
  }

  /** `[options]` and `[command]` are words of the usage line too. */
  private usageWords(usage: string): string {
    return usage.replace('[options]', this.text('usageOptions')).replace('[command]', this.text('usageCommand'));
  }

  override commandUsage(command: Command): string {
    return this.usageWords(super.commandUsage(command));
  }

  override subcommandTerm(command: Command): string {
    return this.usageWords(super.subcommandTerm(command));
  }

  override commandDescription(command: Command): string {
    return this.text(command.description());
  }

  override subcommandDescription(command: Command): string {
    return this.text(command.summary() || command.description());
  }

  override optionDescription(option: Option): string {
    const extra: string[] = [];
    if (option.argChoices) extra.push(this.text('choicesInfo', { choices: option.argChoices.map((c) => JSON.stringify(c)).join(', ') }));
    const showDefault = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
    if (option.defaultValue !== undefined && showDefault) {
      extra.push(this.text('defaultInfo', { value: option.defaultValueDescription ?? JSON.stringify(option.defaultValue) }));
    }
    const description = this.text(option.description ?? '');
    return extra.length === 0 ? description : `${description} (${extra.join(', ')})`.trim();
  }

  override argumentDescription(argument: Argument): string {
    const extra: string[] = [];
    if (argument.argChoices) extra.push(this.text('choicesInfo', { choices: argument.argChoices.map((c) => JSON.stringify(c)).join(', ') }));
    if (argument.defaultValue !== undefined) {
      extra.push(this.text('defaultInfo', { value: argument.defaultValueDescription ?? JSON.stringify(argument.defaultValue) }));
    }
    const description = this.text(argument.description);
    return extra.length === 0 ? description : `${description} (${extra.join(', ')})`.trim();
  }
}

/** Optimal string alignment distance, bounded: commander's measure for "did you mean". */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Math.max(a.length, b.length);
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let j = 1; j <= b.length; j++) {
    for (let i = 1; i <= a.length; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidates to a mistyped word (as commander suggests them). */
export function similarNames(word: string, candidates: string[]): string[] {
  const options = word.startsWith('--');
  const strip = (s: string) => (options ? s.slice(2) : s);
  let best = 3;
  let similar: string[] = [];
  for (const candidate of new Set(candidates)) {
    if (strip(candidate).length <= 1) continue;
    const distance = editDistance(strip(word), strip(candidate));
    const length = Math.max(strip(word).length, strip(candidate).length);
    if ((length - distance) / length <= 0.4) continue;
    if (distance < best) [best, similar] = [distance, [candidate]];
    else if (distance === best) similar.push(candidate);
  }
  return similar.sort((a, b) => a.localeCompare(b));
}

/** A commander Command whose help and parse errors are in the user's language. */
export class LocalizedCommand extends Command {
  override createCommand(name?: string): LocalizedCommand {
    return new LocalizedCommand(name);
  }

  override createHelp(): Help {
    return Object.assign(new LocalizedHelp(helpTextIn(languageOfCommand(this))), this.configureHelp());
  }

  private t(key: CliHelpKey, values?: Values): string {
    return helpTextIn(languageOfCommand(this))(key, values);
  }

  private suggestion(word: string, candidates: string[]): string {
    const similar = similarNames(word, candidates);
    if (similar.length === 0) return '';
    return `\n${this.t(similar.length > 1 ? 'didYouMeanOneOf' : 'didYouMean', { candidates: similar.join(', ') })}`;
  }

  /** Every parse error ends with the hint to ask for help, in the same language. */
  override error(message: string, options?: { code?: string; exitCode?: number }): never {
    return super.error(`${message}\n${this.t('addHelpForUsage')}`, options);
  }

  // Commander's parse errors, rendered from the catalog (commander calls these by name).
  missingArgument(name: string): never {
    return this.error(this.t('missingArgument', { name }), { code: 'commander.missingArgument' });
  }

  optionMissingArgument(option: Option): never {
    return this.error(this.t('optionMissingArgument', { flags: option.flags }), { code: 'commander.optionMissingArgument' });
  }

  missingMandatoryOptionValue(option: Option): never {
    return this.error(this.t('missingMandatoryOption', { flags: option.flags }), { code: 'commander.missingMandatoryOptionValue' });
  }

  unknownOption(flag: string): void {
    const candidates: string[] = [];
    // Options of this command and of its parents, as commander looks them up.
    // Walks up from this command to the root (the loop variable is not an alias kept around).
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    for (let command: Command | null = this; command; command = command.parent) {
      candidates.push(
        ...command
          .createHelp()
          .visibleOptions(command)
          .flatMap((option) => (option.long ? [option.long] : [])),
      );
    }
    const suggestion = flag.startsWith('--') ? this.suggestion(flag, candidates) : '';
    this.error(`${this.t('unknownOption', { flag })}${suggestion}`, { code: 'commander.unknownOption' });
  }

  unknownCommand(): void {
    const name = String(this.args[0]);
    const candidates = this.createHelp()
      .visibleCommands(this)
      .flatMap((command) => [command.name(), ...(command.alias() ? [command.alias()] : [])]);
    this.error(`${this.t('unknownCommand', { name })}${this.suggestion(name, candidates)}`, { code: 'commander.unknownCommand' });
  }

  _excessArguments(received: string[]): void {
    const values = { command: this.name(), expected: this.registeredArguments.length, received: received.length };
    this.error(this.t('excessArguments', values), { code: 'commander.excessArguments' });
  }

  _callParseArg(target: Option | Argument, value: string, previous: unknown, _english: string): unknown {
    try {
      return target.parseArg!(value, previous);
    } catch (error) {
      if ((error as { code?: string }).code !== 'commander.invalidArgument') throw error;
      const invalid =
        'flags' in target ? this.t('invalidOptionValue', { flags: target.flags, value }) : this.t('invalidArgumentValue', { value, name: target.name() });
      const why = target.argChoices ? this.t('allowedChoices', { choices: target.argChoices.join(', ') }) : (error as Error).message;
      return this.error(`${invalid} ${why}`, { code: 'commander.invalidArgument', exitCode: (error as { exitCode?: number }).exitCode });
    }
  }
}
