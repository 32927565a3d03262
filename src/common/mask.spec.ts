import { maskMsisdn, maskName } from './mask';

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

describe('maskName', () => {
  it('keeps the first character of each word', () => {
    expect(maskName('张伟')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('Emily Chen')).toBe('E**** C***');
    expect(maskName('𠮷野家')).toBe('𠮷**'); // a character outside the BMP counts once
  });
});
