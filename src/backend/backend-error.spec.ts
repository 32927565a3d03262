import { BackendError } from './backend.port';

describe('BackendError', () => {
  it('is a typed refusal with its code and message, and no stack to capture', () => {
    const limit = Error.stackTraceLimit;
    const e = new BackendError('BOSS_UNAVAILABLE', 'BOSS billing did not accept the request');
    expect(e).toBeInstanceOf(BackendError);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ code: 'BOSS_UNAVAILABLE', message: 'BOSS billing did not accept the request', name: 'BackendError' });
    expect(e.stack).toBe('BackendError: BOSS billing did not accept the request');
    // Every other error keeps its stack.
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('x').stack!.split('\n').length).toBeGreaterThan(1);
  });
});
