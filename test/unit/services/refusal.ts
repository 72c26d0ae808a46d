import { KijiError } from '../../../src/services/shared/errors';

/** The KijiError `run` throws, so a test can compare its code, message and details as a client gets them. */
export function refusal(run: () => unknown): KijiError {
  try {
    run();
  } catch (error) {
    if (error instanceof KijiError) return error;
    throw error;
  }
  throw new Error('expected a KijiError; nothing was thrown');
}
