import { parseArgs } from 'node:util';
import path from 'node:path';
import { checkCommand, compileCommand, validateCommand, type Output } from './commands.js';

const USAGE = `Usage: tollgate <command>

  compile <graph.json> [--out FILE | --stdout]   compile a policy graph (or a rule file's graph) into rules/<id>.json
  compile --check [FILE|DIR ...]                 fail when a rule file differs from what its graph compiles to (default: rules/)
  validate <rule-file|DIR> ...                   check rule files: schema, diagnostics, and a json-rules-engine load

Environment: TOLLGATE_RULES sets the rules folder (default ./rules).`;

const io: Output = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const rulesDir = path.resolve(process.env.TOLLGATE_RULES ?? 'rules');
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { check: { type: 'boolean' }, out: { type: 'string', short: 'o' }, stdout: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
  if (command === 'compile' && values.check) return checkCommand(positionals.length ? positionals : [rulesDir], io);
  if (command === 'compile' && positionals.length === 1) {
    return compileCommand(positionals[0]!, { out: values.out, stdout: values.stdout, rulesDir }, io);
  }
  if (command === 'validate' && positionals.length > 0) return validateCommand(positionals, io);
  io.err(USAGE);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
