/**
 * A small XML writer for the feeds. Kiji writes its RSS and Atom itself rather than through the
 * `feed` package, whose writer (xml-js) wraps text in CDATA and breaks it only at the first
 * `]]>`, escapes nothing but `&` in attributes, and turns `&amp;` in text back into `&`: a
 * title or a tag name could end its element and inject others. Here every text and attribute
 * value is escaped, always, and nothing is ever written raw but the element names, which are
 * constants of this folder.
 */

/** Characters XML 1.0 cannot hold at all, even escaped (a stray control character in a title would make the whole feed unreadable). */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text less the characters XML cannot hold. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '');
}

/** Element content: `>` too, so that `]]>` never appears; `\r` as a reference, or a parser would make it `\n`. */
function escapeText(text: string): string {
  return xmlText(text).replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c]!);
}

/** An attribute value in double quotes: tabs and line breaks as references, or a parser would normalize them to spaces. */
function escapeAttribute(text: string): string {
  return xmlText(text).replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);
}

/** Written XML: only `element` makes one, so a plain string is always text to escape. */
export class Markup {
  constructor(readonly xml: string) {}
}

export type Child = Markup | string | null | undefined | false;
export type Attributes = Record<string, string | undefined>;

/** `<name attributes>children</name>`, or `<name attributes/>` without children; undefined attributes and null children are left out. */
export function element(name: string, attributes: Attributes = {}, ...children: Child[]): Markup {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`)
    .join('');
  const content = children.map((c) => (c instanceof Markup ? c.xml : c ? escapeText(c) : '')).join('');
  return new Markup(content === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`);
}

/** A whole document: the XML declaration, then the root. */
export function xmlDocument(root: Markup): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${root.xml}\n`;
}
