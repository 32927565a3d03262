import { grams, normalize, score } from './ranking';
import { plainText, sanitizeBody } from './sanitize';

describe('article bodies are sanitized', () => {
  it('keeps formatting, drops scripts, handlers, styles and unsafe links', () => {
    const html = sanitizeBody(
      '<h3>停机</h3><p onclick="x()" style="color:red">月租<b>照收</b><script>alert(1)</script><img src=x onerror=alert(2)><iframe src="//e"></iframe></p>' +
        '<a href="javascript:alert(3)">bad</a><a href="https://example.com" target="_self">good</a>',
    );
    expect(html).toBe(
      '<h3>停机</h3><p>月租<b>照收</b></p><a rel="noopener noreferrer" target="_blank">bad</a><a href="https://example.com" target="_blank" rel="noopener noreferrer">good</a>',
    );
  });

  it('plain text for search has no tags and no script text', () => {
    expect(plainText('<p>出国<b>保号</b></p><script>steal()</script><ul><li>a</li><li>b</li></ul>')).toBe('出国保号ab');
  });
});

describe('ranking', () => {
  it('normalizes width and case and cuts Chinese into overlapping grams', () => {
    expect(normalize('  ＳＵＳＰＥＮＤ   停机 ')).toBe('suspend 停机');
    expect(grams('停机保号', 3)).toEqual(['停机保', '机保号']);
    expect(grams('停机保号', 2)).toEqual(['停机', '机保', '保号']);
    expect(grams('停机 ab', 3)).toEqual(['停机', 'ab']);
  });

  it('the whole query in the title ranks first; a typo or another word order still scores above unrelated text', () => {
    const title = '出国停机保号须知';
    const exact = score('停机保号', title, '');
    const typo = score('停机保好', title, '');
    const order = score('保号停机', title, '');
    const unrelated = score('停机保号', '账单查询', '话费太高');
    expect(exact).toBeGreaterThan(typo);
    expect(exact).toBeGreaterThan(order);
    expect(typo).toBeGreaterThan(unrelated);
    expect(order).toBeGreaterThan(unrelated);
    expect(unrelated).toBe(0);
  });

  it('the title weighs more than the body', () => {
    expect(score('保号', '保号须知', '其他')).toBeGreaterThan(score('保号', '其他', '保号须知'));
  });
});
