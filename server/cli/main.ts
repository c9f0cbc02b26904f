import { parseArgs } from 'node:util';
import path from 'node:path';
import { checkCommand, compileCommand, validateCommand, type Output } from './commands.js';
import { CliError, findRulesFolder, NO_RULES_FOLDER } from './rules-folder.js';

const USAGE = `Usage: tollgate <command>

  compile <graph.json> [--out FILE | --stdout]   compile a policy graph (or a rule file's graph) into rules/<id>.json
  compile --check [FILE|DIR ...]                 fail when a rule file differs from what its graph compiles to (default: rules/)
  validate <rule-file|DIR> ...                   check rule files: schema, diagnostics, and a json-rules-engine load

Options: --rules DIR names the rules folder (also TOLLGATE_RULES); by default the nearest rules/
folder at or above the working directory. Relative paths are taken from the working directory.`;

const io: Output = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { check: { type: 'boolean' }, out: { type: 'string', short: 'o' }, rules: { type: 'string' }, stdout: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || !command || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  const rulesDir = () => {
    const dir = findRulesFolder({ flag: values.rules, env: process.env.TOLLGATE_RULES || undefined, cwd: process.cwd() });
    if (!dir) throw new CliError(NO_RULES_FOLDER);
    return dir;
  };
  if (command === 'compile' && values.check) return checkCommand(positionals.length ? positionals.map((p) => path.resolve(p)) : [rulesDir()], io);
  if (command === 'compile' && positionals.length === 1) {
    const out = values.out ? path.resolve(values.out) : undefined;
    return compileCommand(path.resolve(positionals[0]!), { out, stdout: values.stdout, rulesDir: out || values.stdout ? '' : rulesDir() }, io);
  }
  if (command === 'validate' && positionals.length > 0) return validateCommand(positionals.map((p) => path.resolve(p)), io);
  io.err(USAGE);
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // A wrong path or folder is the user's to fix: say what, without a stack trace.
  const code = (error as NodeJS.ErrnoException).code;
  if (!(error instanceof CliError) && !code) throw error;
  io.err(`tollgate: ${(error as Error).message}`);
  process.exitCode = 2;
}
