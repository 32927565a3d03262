import { AppError } from '../common/app-error';
import { FailureWindows, LoginThrottle } from './login-throttle';

const settings = { maxFailuresPerUser: 3, maxFailuresPerIp: 5, windowMs: 60_000 };

function refusal(fn: () => void): AppError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e as AppError;
  }
}

describe('LoginThrottle', () => {
  let now: number;
  let throttle: LoginThrottle;
  beforeEach(() => {
    now = 1_000_000;
    throttle = new LoginThrottle(settings, () => now);
  });
  const attempt = (username: string, ip: string) => refusal(() => throttle.attempt(username, ip));

  it('lets a username try up to its limit, then refuses it with TOO_MANY_ATTEMPTS and Retry-After seconds', () => {
    for (let i = 0; i < 3; i++) {
      expect(attempt('agent1', '10.0.0.1')).toBeUndefined();
      now += 1_000;
    }
    const e = attempt('agent1', '10.0.0.2');
    expect(e).toBeInstanceOf(AppError);
    expect(e!.code).toBe('TOO_MANY_ATTEMPTS');
    expect(e!.httpStatus).toBe(429);
    // Window opened at the first attempt; 3 s have passed.
    expect(e!.details).toEqual({ retryAfterSeconds: 57 });
    // Another username from the same address is not affected by the username count.
    expect(attempt('agent2', '10.0.0.1')).toBeUndefined();
  });

  it('counts an attempt before its password is checked: 60 at once let exactly the limit through (issue 17 item 3)', () => {
    const outcomes = Array.from({ length: 60 }, (_, i) => attempt('agent1', `10.0.1.${i}`));
    expect(outcomes.filter((e) => e === undefined)).toHaveLength(3);
    expect(outcomes.filter((e) => e?.code === 'TOO_MANY_ATTEMPTS')).toHaveLength(57);
  });

  it('counts case variants of a username together', () => {
    for (const name of ['agent1', 'Agent1', ' AGENT1 ']) expect(attempt(name, `10.0.0.${name.length}`)).toBeUndefined();
    expect(attempt('agent1', '10.9.9.9')?.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('a right password takes its attempt back: the username count is cleared, the address gives back one', () => {
    attempt('agent1', '10.0.0.1');
    attempt('agent1', '10.0.0.1');
    throttle.succeeded('agent1', '10.0.0.1');
    attempt('agent1', '10.0.0.1');
    attempt('agent1', '10.0.0.1');
    expect(attempt('agent1', '10.0.0.9')).toBeUndefined();
    // 10.0.0.1: 4 counted, 1 given back = 3; two more close it for everyone behind it.
    attempt('someone', '10.0.0.1');
    attempt('someone', '10.0.0.1');
    expect(attempt('qa1', '10.0.0.1')?.code).toBe('TOO_MANY_ATTEMPTS');
    expect(attempt('qa1', '10.0.0.2')).toBeUndefined();
  });

  it('limits an address spraying different usernames', () => {
    for (let i = 0; i < 5; i++) expect(attempt(`user${i}`, '10.0.0.7')).toBeUndefined();
    expect(attempt('brand-new', '10.0.0.7')?.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('opens again when the window closes', () => {
    for (let i = 0; i < 3; i++) attempt('agent1', '10.0.0.1');
    now += 59_999;
    expect(attempt('agent1', '10.0.0.1')?.details).toEqual({ retryAfterSeconds: 1 });
    now += 1;
    // A new window: this attempt is its first.
    expect(attempt('agent1', '10.0.0.1')).toBeUndefined();
    expect(attempt('agent1', '10.0.0.1')).toBeUndefined();
  });
});

describe('FailureWindows', () => {
  it('stays bounded under a flood of keys, dropping expired then oldest windows', () => {
    const windows = new FailureWindows(1, 1_000, 100);
    for (let i = 0; i < 1_000; i++) windows.fail(`k${i}`, 0);
    expect(windows.size).toBe(100);
    expect(windows.blockedFor('k999', 0)).toBe(1_000);
    expect(windows.blockedFor('k0', 0)).toBe(0);
    windows.fail('late', 5_000);
    expect(windows.size).toBe(1);
  });
});
