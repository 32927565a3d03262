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

  it('lets a username fail up to its limit, then refuses it with TOO_MANY_ATTEMPTS and Retry-After seconds', () => {
    for (let i = 0; i < 3; i++) {
      expect(refusal(() => throttle.check('agent1', '10.0.0.1'))).toBeUndefined();
      throttle.failed('agent1', '10.0.0.1');
      now += 1_000;
    }
    const e = refusal(() => throttle.check('agent1', '10.0.0.2'));
    expect(e).toBeInstanceOf(AppError);
    expect(e!.code).toBe('TOO_MANY_ATTEMPTS');
    expect(e!.httpStatus).toBe(429);
    // Window opened at the first failure; 3 s have passed.
    expect(e!.details).toEqual({ retryAfterSeconds: 57 });
    // Another username from the same address is not affected by the username count.
    expect(refusal(() => throttle.check('agent2', '10.0.0.1'))).toBeUndefined();
  });

  it('counts case variants of a username together', () => {
    for (const name of ['agent1', 'Agent1', ' AGENT1 ']) throttle.failed(name, `10.0.0.${name.length}`);
    expect(refusal(() => throttle.check('agent1', '10.9.9.9'))?.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('a successful login clears the username count, not the address count', () => {
    throttle.failed('agent1', '10.0.0.1');
    throttle.failed('agent1', '10.0.0.1');
    throttle.succeeded('agent1');
    throttle.failed('agent1', '10.0.0.1');
    throttle.failed('agent1', '10.0.0.1');
    expect(refusal(() => throttle.check('agent1', '10.0.0.9'))).toBeUndefined();
    // 4 failures from 10.0.0.1 so far; the 5th closes it for everyone behind it.
    throttle.failed('someone', '10.0.0.1');
    expect(refusal(() => throttle.check('qa1', '10.0.0.1'))?.code).toBe('TOO_MANY_ATTEMPTS');
    expect(refusal(() => throttle.check('qa1', '10.0.0.2'))).toBeUndefined();
  });

  it('limits an address spraying different usernames', () => {
    for (let i = 0; i < 5; i++) throttle.failed(`user${i}`, '10.0.0.7');
    expect(refusal(() => throttle.check('brand-new', '10.0.0.7'))?.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('opens again when the window closes', () => {
    for (let i = 0; i < 3; i++) throttle.failed('agent1', '10.0.0.1');
    now += 59_999;
    expect(refusal(() => throttle.check('agent1', '10.0.0.1'))?.details).toEqual({ retryAfterSeconds: 1 });
    now += 1;
    expect(refusal(() => throttle.check('agent1', '10.0.0.1'))).toBeUndefined();
    // A failure after the window starts a new count of one.
    throttle.failed('agent1', '10.0.0.1');
    expect(refusal(() => throttle.check('agent1', '10.0.0.1'))).toBeUndefined();
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
