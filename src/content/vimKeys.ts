/**
 * Key names like `<C-w>`, `<Esc>`, `<Leader>` in prose look like HTML tags to markdown-it and
 * would be dropped by the sanitizer. Escaping the `<` of any tag-like token whose name is not an
 * HTML element keeps them visible. `&lt;` (not `\<`) because it also works inside raw HTML blocks
 * such as the tables of vim-jp posts. Code is never touched.
 */
import { codeRanges, mapOutside } from './markdown';

const HTML_ELEMENTS = new Set(
  (
    'a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink blockquote body br button ' +
    'canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset ' +
    'figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins ' +
    'kbd label legend li link main map mark marquee math menu meta meter nav nobr noembed noframes noscript object ol optgroup ' +
    'option output p param picture plaintext pre progress q rb rp rt rtc ruby s samp script search section select slot small ' +
    'source span strike strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track ' +
    'tt u ul var video wbr xmp ' +
    // SVG and MathML children, so inline drawings are not shown as source text
    'circle clippath defs ellipse g line lineargradient mask path pattern polygon polyline radialgradient rect stop symbol text tspan use ' +
    'mi mn mo mrow msup msub mfrac msqrt mtext'
  ).split(' '),
);

// `\\<CR>` is already escaped by its author.
const TAG_LIKE = /(?<!\\)<(\/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])/g;

function isHtmlTag(name: string): boolean {
  const lower = name.toLowerCase();
  if (!HTML_ELEMENTS.has(lower)) return false;
  // `<Del>`, `<Home>`-style capitalised names are Vim keys even when they spell an element.
  return name === lower || name === name.toUpperCase();
}

function escapeChunk(chunk: string): string {
  return chunk.replace(TAG_LIKE, (m, _slash: string, name: string) => (isHtmlTag(name) ? m : `&lt;${m.slice(1)}`));
}

export function escapeKeyNames(markdown: string): string {
  let needed = false;
  TAG_LIKE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG_LIKE.exec(markdown))) {
    if (!isHtmlTag(m[2])) {
      needed = true;
      break;
    }
  }
  if (!needed) return markdown;
  return mapOutside(markdown, codeRanges(markdown), escapeChunk);
}
