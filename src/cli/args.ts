import { parseArgs } from 'node:util';
import { KijiError } from '../services/shared';

/** Parses a command's flags with node:util, turning its errors into usage errors (exit 2). */
export function parseCommandArgs(argv: string[], options: Record<string, { type: 'boolean' | 'string' }>) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export class UsageError extends KijiError {
  constructor(message: string) {
    super('BAD_USER_INPUT', message);
    this.name = 'UsageError';
  }
}
