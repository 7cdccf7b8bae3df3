import { ConfigError, resolveConfig } from '../../../lib/config/app-config';

const resolve = (context: Record<string, unknown>) => resolveConfig((key) => context[key]);

describe('resolveConfig: alarmEmail', () => {
  it('leaves alarmEmail unset by default (alarms without notifications)', () => {
    expect(resolve({}).settings).not.toHaveProperty('alarmEmail');
  });

  it('accepts an email address, trimmed', () => {
    expect(resolve({ alarmEmail: ' ops@example.com ' }).settings.alarmEmail).toBe('ops@example.com');
  });

  it.each(['ops', 'ops@example', 'ops @example.com', '@example.com', ''])('refuses alarmEmail=%j with a message naming the key', (alarmEmail) => {
    expect(() => resolve({ alarmEmail })).toThrow(ConfigError);
    expect(() => resolve({ alarmEmail })).toThrow(`alarmEmail=${alarmEmail} is invalid; expected an email address such as ops@example.com`);
  });
});
