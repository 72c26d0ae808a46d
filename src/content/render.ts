/**
 * Markdown → sanitized HTML. Bodies come from many hands (18F posts embed `<script>` widgets), so
 * the HTML markdown-it lets through is filtered to an allow-list before anyone serves it.
 */
import sanitizeHtml from 'sanitize-html';
import { BodyMedia } from './bodyMedia';
import { assignHeadingAnchors } from './headings';
import { ALLOWED_SCHEMES, md, MdToken } from './markdown';
import { firstBodyImage, ImageRef } from './media';
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
    img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'decoding'],
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
  /** The body's first image (a Markdown image or a raw `<img>`), its source a path on the site or an absolute URL. */
  firstImage: ImageRef | null;
}

export function renderMarkdown(markdown: string, options?: PrepareOptions): Rendered {
  const { html, headings, firstImage } = renderWithTokens(markdown, options);
  return { html, headings, firstImage };
}

/** Rendering that also hands back the tokens, so the importer can take the excerpt from them. */
export function renderWithTokens(markdown: string, options?: PrepareOptions): Rendered & { tokens: MdToken[] } {
  const env = {};
  const tokens = md.parse(escapeKeyNames(markdown), env);
  const headings = assignHeadingAnchors(tokens);
  const media = new BodyMedia(options);
  const firstImage = firstBodyImage(tokens, (src) => media.sitePath(src));
  const raw = rewriteMedia(tokens, media);
  const html = md.renderer.render(tokens, md.options, env);
  return { html: raw ? sanitizeHtml(html, sanitizeOptions(media)) : html, headings, firstImage, tokens };
}

/**
 * Images and links of the Markdown made absolute and images lazy (raw HTML's are done by the
 * sanitizer); answers whether the body has raw HTML. Sanitizing is most of the render cost:
 * markdown-it escapes all text and checks every link with the same scheme list, so only raw
 * HTML written by the author can bring anything unsafe, and only then is the HTML sanitized.
 */
function rewriteMedia(tokens: MdToken[], media: BodyMedia): boolean {
  let raw = false;
  for (const t of tokens) {
    if (t.type === 'html_block') raw = true;
    if (!t.children) continue;
    for (const c of t.children) {
      if (c.type === 'html_inline') raw = true;
      else if (c.type === 'image') {
        const image = media.image(c.attrGet('src') ?? '');
        c.attrSet('src', image.src);
        if (image.size && c.attrGet('width') === null && c.attrGet('height') === null) {
          c.attrSet('width', String(image.size.width));
          c.attrSet('height', String(image.size.height));
        }
        c.attrSet('loading', 'lazy');
        c.attrSet('decoding', 'async');
      } else if (c.type === 'link_open' && media.active) {
        const href = c.attrGet('href');
        if (href !== null) c.attrSet('href', media.link(href));
      }
    }
  }
  return raw;
}

/** A raw `<img>` treated as a Markdown image is; the author's own width, height and loading win. */
function lazyImage(media: BodyMedia): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const out = { ...attribs };
    if (out.src) {
      const image = media.image(out.src);
      out.src = image.src;
      if (image.size && !out.width && !out.height) {
        out.width = String(image.size.width);
        out.height = String(image.size.height);
      }
    }
    out.loading ??= 'lazy';
    out.decoding ??= 'async';
    return { tagName, attribs: out };
  };
}

const PLAIN_SANITIZE: sanitizeHtml.IOptions = { ...SANITIZE, transformTags: { img: lazyImage(new BodyMedia(undefined)) } };

function sanitizeOptions(media: BodyMedia): sanitizeHtml.IOptions {
  if (!media.active) return PLAIN_SANITIZE;
  return {
    ...SANITIZE,
    transformTags: {
      img: lazyImage(media),
      a: (tagName, attribs) => ({ tagName, attribs: attribs.href ? { ...attribs, href: media.link(attribs.href) } : attribs }),
      source: (tagName, attribs) => ({ tagName, attribs: attribs.srcset ? { ...attribs, srcset: media.srcset(attribs.srcset) } : attribs }),
    },
  };
}
