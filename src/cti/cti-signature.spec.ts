import { createHmac } from 'node:crypto';
import { signatureProblem, signCtiEvent } from './cti-signature';

const SECRET = 'a-shared-secret-of-at-least-32-characters';
const BODY = Buffer.from('{"eventId":"e1","type":"call.offered","ctiCallId":"c1","callerNumber":"13800000001","ivrPath":["1"]}');
const NOW = 1_796_000_000;
const WINDOW = 300;
const signed = (timestamp: number, body = BODY, secret = SECRET) => ({
  timestamp: String(timestamp),
  signature: signCtiEvent(secret, String(timestamp), body),
  body,
});

describe('CTI event signatures', () => {
  it('is the HMAC-SHA-256 of "<timestamp>.<raw body>", as docs/CTI.md shows it with openssl', () => {
    const hex = createHmac('sha256', SECRET).update(`${NOW}.${BODY.toString()}`).digest('hex');
    expect(signCtiEvent(SECRET, String(NOW), BODY)).toBe(`sha256=${hex}`);
  });

  it('accepts a body signed with the secret within the window, either side of the clock', () => {
    expect(signatureProblem(SECRET, signed(NOW), NOW, WINDOW)).toBeNull();
    expect(signatureProblem(SECRET, signed(NOW - WINDOW), NOW, WINDOW)).toBeNull();
    expect(signatureProblem(SECRET, signed(NOW + WINDOW), NOW, WINDOW)).toBeNull();
    const upper = signed(NOW);
    expect(signatureProblem(SECRET, { ...upper, signature: upper.signature.toUpperCase().replace('SHA256=', 'sha256=') }, NOW, WINDOW)).toBeNull();
  });

  it('refuses a timestamp outside the window (stale or from the future)', () => {
    expect(signatureProblem(SECRET, signed(NOW - WINDOW - 1), NOW, WINDOW)).toBe('stale');
    expect(signatureProblem(SECRET, signed(NOW + WINDOW + 1), NOW, WINDOW)).toBe('stale');
  });

  it('refuses another secret, an altered body, and a timestamp changed after signing', () => {
    expect(signatureProblem(SECRET, signed(NOW, BODY, `${SECRET}x`), NOW, WINDOW)).toBe('bad-signature');
    const good = signed(NOW);
    expect(signatureProblem(SECRET, { ...good, body: Buffer.from(BODY.toString().replace('13800000001', '13800000002')) }, NOW, WINDOW)).toBe('bad-signature');
    // Re-serialised JSON (spaces) is not the body that was signed.
    expect(signatureProblem(SECRET, { ...good, body: Buffer.from(JSON.stringify(JSON.parse(BODY.toString()), null, 1)) }, NOW, WINDOW)).toBe('bad-signature');
    expect(signatureProblem(SECRET, { ...good, timestamp: String(NOW - 1) }, NOW, WINDOW)).toBe('bad-signature');
  });

  it('checks the signature before the time: a stale forgery is a bad signature', () => {
    expect(signatureProblem(SECRET, signed(NOW - 10 * WINDOW, BODY, 'another-secret-of-at-least-32-characters'), NOW, WINDOW)).toBe('bad-signature');
  });

  it('refuses missing and malformed headers without comparing anything', () => {
    const good = signed(NOW);
    expect(signatureProblem(SECRET, { ...good, timestamp: undefined }, NOW, WINDOW)).toBe('missing');
    expect(signatureProblem(SECRET, { ...good, signature: undefined }, NOW, WINDOW)).toBe('missing');
    expect(signatureProblem(SECRET, { ...good, timestamp: '17.5' }, NOW, WINDOW)).toBe('malformed');
    expect(signatureProblem(SECRET, { ...good, timestamp: '' }, NOW, WINDOW)).toBe('malformed');
    expect(signatureProblem(SECRET, { ...good, signature: good.signature.slice('sha256='.length) }, NOW, WINDOW)).toBe('malformed');
    expect(signatureProblem(SECRET, { ...good, signature: good.signature.slice(0, -2) }, NOW, WINDOW)).toBe('malformed');
    expect(signatureProblem(SECRET, { ...good, signature: `sha1=${'0'.repeat(40)}` }, NOW, WINDOW)).toBe('malformed');
  });
});
