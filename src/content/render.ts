/**
 * Markdown → sanitized HTML. Bodies come from many hands (18F posts embed `<script>` widgets), so
 * the HTML markdown-it lets through is filtered to an allow-list before anyone serves it.
 */
import sanitizeHtml from 'sanitize-html';
import { assignHeadingAnchors } from './headings';
import { ALLOWED_SCHEMES, md, MdToken } from './markdown';
import { Heading, PrepareOptions } from './types';
import { escapeKeyNames } from './vimKeys';

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    'img', 'figure', 'figcaption', 'picture', 'source', 'small', 'details', 'summary',
    'del', 'ins', 'kbd', 'sub', 'sup', 'abbr', 'mark', 'center', 'br', 'hr', 'caption',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'name', 'id'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    source: ['srcset', 'type', 'media'],
    h1: ['id'], h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'],
    code: ['class'],
    pre: ['class'],
    span: ['class'],
    div: ['class'],
    figure: ['class'],
    ol: ['start', 'type'],
    li: ['value'],
    th: ['colspan', 'rowspan', 'align', 'scope'],
    td: ['colspan', 'rowspan', 'align'],
    abbr: ['title'],
    details: ['open'],
    time: ['datetime'],
  },
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: true,
  // srcset can smuggle URLs past scheme checks; `source` keeps it only because `img` src is checked.
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'srcset'],
};

export interface Rendered {
  html: string;
  headings: Heading[];
}

// `options` is part of the signature so renders can later depend on site settings (URL template).
export function renderMarkdown(markdown: string, options?: PrepareOptions): Rendered {
  const { html, headings } = renderWithTokens(markdown, options);
  return { html, headings };
}

/** Rendering that also hands back the tokens, so the importer can take the excerpt from them. */
export function renderWithTokens(markdown: string, _options?: PrepareOptions): Rendered & { tokens: MdToken[] } {
  const env = {};
  const tokens = md.parse(escapeKeyNames(markdown), env);
  const headings = assignHeadingAnchors(tokens);
  const html = md.renderer.render(tokens, md.options, env);
  return { html: hasRawHtml(tokens) ? sanitizeHtml(html, SANITIZE) : html, headings, tokens };
}

/**
 * Sanitizing is most of the render cost. markdown-it escapes all text and checks every link with
 * the same scheme list, so only raw HTML written by the author can bring anything unsafe.
 */
function hasRawHtml(tokens: MdToken[]): boolean {
  for (const t of tokens) {
    if (t.type === 'html_block') return true;
    if (t.children) for (const c of t.children) if (c.type === 'html_inline') return true;
  }
  return false;
}
