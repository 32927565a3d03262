import sanitizeHtml from 'sanitize-html';

/**
 * Article bodies are rich text written by supervisors and shown on every agent's screen: only an
 * allow-list of formatting tags survives, links keep http(s)/mailto/tel and open safely; scripts,
 * styles, event handlers and unknown tags are dropped (their text kept, script/style text dropped).
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'ul',
    'ol',
    'li',
    'h3',
    'h4',
    'blockquote',
    'code',
    'pre',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
};

export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** The body as plain text: what search indexes and snippets quote. */
export function plainText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}
