import { maskMsisdn } from './mask';

describe('maskMsisdn', () => {
  it('keeps the prefix and the last four digits of a mobile number, and never the middle', () => {
    expect(maskMsisdn('13800000001')).toBe('138****0001');
    expect(maskMsisdn('8613912345678')).toBe('861******5678');
    expect(maskMsisdn('12345')).toBe('***45');
    expect(maskMsisdn('1234567')).toBe('*****67');
    for (const n of ['13800000001', '13912345678', '1234567', '12345']) {
      expect(maskMsisdn(n)).toHaveLength(n.length);
      expect(maskMsisdn(n)).not.toBe(n);
    }
  });
});
