#!/usr/bin/env node
import 'reflect-metadata';
import { COMMANDS } from './cli/commands';
import { UsageError } from './cli/args';
import { ConfigError } from './config';
import { KijiError } from './services/shared';

// Timestamps are stored and compared in UTC whatever the host's zone (SQLite keeps them as text).
process.env.TZ = 'UTC';

function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  kiji ${c.usage}\n`);
  return `usage: kiji <command>\n\n${lines.join('')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`kiji: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kiji: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError || (error instanceof KijiError && error.code === 'BAD_USER_INPUT')) {
      process.stderr.write(`kiji ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`kiji: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
