import { ratingOf } from './survey-rating';

describe('the rating in a survey answer', () => {
  it('is the first digit 1–5, full-width digits included', () => {
    expect(ratingOf('5')).toBe(5);
    expect(ratingOf(' 4 满意')).toBe(4);
    expect(ratingOf('回复１')).toBe(1);
    expect(ratingOf('3#')).toBe(3);
  });

  it('is null without a digit, or when the first digit is 0 or above 5', () => {
    expect(ratingOf('谢谢')).toBeNull();
    expect(ratingOf('0')).toBeNull();
    expect(ratingOf('9 5')).toBeNull();
    expect(ratingOf('')).toBeNull();
  });
});
