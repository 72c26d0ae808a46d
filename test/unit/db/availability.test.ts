import { DatabaseAvailability, isDatabaseTimeout, isDatabaseUnavailable, isDatabaseUnreachable, withinMs } from '../../../src/db/availability';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('which database errors mean "unavailable"', () => {
  it('tells an unreachable or timed-out database from a wrong statement', () => {
    expect(isDatabaseUnreachable(withCode('ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnreachable(withCode('57P01'))).toBe(true); // admin shutdown
    expect(isDatabaseUnreachable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    // TypeORM's QueryFailedError keeps the driver's error beside its own.
    expect(isDatabaseTimeout({ message: 'canceling statement due to statement timeout', driverError: { code: '57014' } })).toBe(true);
    expect(isDatabaseUnavailable(withCode('23505'))).toBe(false); // unique violation
    expect(isDatabaseUnavailable(withCode('42P01'))).toBe(false); // no such table
    expect(isDatabaseUnavailable(new Error('post 3 has no author'))).toBe(false);
  });

  it('bounds a promise in time', async () => {
    await expect(withinMs(new Promise(() => undefined), 20)).rejects.toThrow('database did not answer within 20 ms');
    await expect(withinMs(Promise.resolve(1), 20)).resolves.toBe(1);
  });
});

describe('DatabaseAvailability', () => {
  it('goes down on an unreachable error, logs once, and comes back when a probe succeeds', async () => {
    const lines: string[] = [];
    let reachable = false;
    const availability = new DatabaseAvailability(
      async () => {
        if (!reachable) throw withCode('ECONNREFUSED');
      },
      (message) => lines.push(message),
      10,
    );
    availability.report(withCode('23505'));
    expect(availability.available).toBe(true);
    availability.report(withCode('ECONNREFUSED'));
    availability.report(withCode('ECONNREFUSED'));
    expect(availability.available).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(availability.available).toBe(false);
    reachable = true;
    for (let i = 0; i < 50 && !availability.available; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(availability.available).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^database unreachable/), 'database reachable again']);
    availability.stop();
  });
});
