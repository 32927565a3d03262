import { pgLogUnavailable } from './pg-log-errors';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('pgLogUnavailable: which PostgreSQL failures refuse the whole batch with LOG_UNAVAILABLE', () => {
  it('the store refusing writes: connection, resources, shutdown, I/O, read-only, internal, lost sockets', () => {
    expect(pgLogUnavailable(pgError('53100'))).toMatchObject({
      code: 'LOG_UNAVAILABLE',
      details: { reason: '53100' },
      message: expect.stringMatching(/disk is full/),
    });
    expect(pgLogUnavailable(pgError('25006'))).toMatchObject({ code: 'LOG_UNAVAILABLE', message: expect.stringMatching(/read-only/) });
    for (const code of ['08006', '08001', '53300', '57P01', '57P03', '58030', 'XX000', 'ECONNREFUSED', 'ECONNRESET']) {
      expect(pgLogUnavailable(pgError(code))).toMatchObject({ code: 'LOG_UNAVAILABLE', details: { reason: code } });
    }
    expect(pgLogUnavailable(new Error('Connection terminated unexpectedly'))).toMatchObject({ details: { reason: 'CONNECTION_LOST' } });
  });

  it('a bad row is not the store failing', () => {
    for (const code of ['23505', '23503', '23514', '22P02', '42P01']) expect(pgLogUnavailable(pgError(code))).toBeNull();
    expect(pgLogUnavailable(new Error('boom'))).toBeNull();
    expect(pgLogUnavailable(null)).toBeNull();
  });
});
