import { withRetry } from '../../../../../lambda/backends/redis/purge/retry';

function failing(times: number, error: Error): { command: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    command: async () => {
      calls++;
      if (calls <= times) throw error;
      return 'ok';
    },
    calls: () => calls,
  };
}

describe('withRetry', () => {
  it('repeats a command that timed out, and answers with its reply', async () => {
    const { command, calls } = failing(2, new Error('Command timed out'));

    await expect(withRetry(command, 3, 1)).resolves.toBe('ok');
    expect(calls()).toBe(3);
  });

  it('gives up after the last attempt with the last error', async () => {
    const { command, calls } = failing(5, new Error('Command timed out'));

    await expect(withRetry(command, 3, 1)).rejects.toThrow('Command timed out');
    expect(calls()).toBe(3);
  });

  it('never repeats a refusal of the server itself', async () => {
    const refusal = Object.assign(new Error("NOPERM this user has no permissions to run the 'unlink' command"), { name: 'ReplyError' });
    const { command, calls } = failing(1, refusal);

    await expect(withRetry(command, 3, 1)).rejects.toThrow('NOPERM');
    expect(calls()).toBe(1);
  });
});
