import { XMLParser, XMLValidator } from 'fast-xml-parser';

/*
 * A strict check of an XML document, for feeds and sitemaps: feed parsers (rss-parser, and
 * fast-xml-parser's own parser) read much that is not XML, so a test that only parses would
 * pass an unescaped `<` in an attribute or an undeclared prefix. This says what a strict
 * reader would refuse: not well-formed (XMLValidator), or a prefix used where it is not declared.
 */

type Node = Record<string, unknown>;

const ATTRIBUTES = ':@';
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, processEntities: false });

/** The prefixes used and not declared in scope, as `prefix (in element)`. */
function undeclaredPrefixes(nodes: Node[], inScope: Set<string>, found: string[]): void {
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ATTRIBUTES);
    if (!name || name.startsWith('#') || name.startsWith('?')) continue;
    const attributes = (node[ATTRIBUTES] ?? {}) as Record<string, string>;
    const scope = new Set(inScope);
    for (const attribute of Object.keys(attributes)) if (attribute.startsWith('xmlns:')) scope.add(attribute.slice('xmlns:'.length));
    for (const qualified of [name, ...Object.keys(attributes).filter((a) => a !== 'xmlns' && !a.startsWith('xmlns:'))]) {
      const prefix = qualified.includes(':') ? qualified.split(':')[0] : undefined;
      if (prefix && !scope.has(prefix)) found.push(`${prefix} (in <${name}>)`);
    }
    undeclaredPrefixes(node[name] as Node[], scope, found);
  }
}

/** Text less its references: no `&` may be left (there is no DTD, so only the five predefined entities). */
const REFERENCES = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/g;

/**
 * What XMLValidator lets through: `<` or a bare `&` in an attribute value, a bare `&` or `]]>`
 * in text (XML 1.0 section 2.4), and a DTD (which a feed has no use for).
 */
function lexicalProblems(text: string): string[] {
  const found: string[] = [];
  const at = (i: number) => `at offset ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 30), i + 30))}`;
  const skipTo = (end: string, from: number) => {
    const i = text.indexOf(end, from);
    return i < 0 ? text.length : i + end.length;
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('<![CDATA[', i)) i = skipTo(']]>', i);
    else if (text.startsWith('<!--', i)) i = skipTo('-->', i);
    else if (text.startsWith('<?', i)) i = skipTo('?>', i);
    else if (text.startsWith('<!', i)) {
      found.push(`a DTD or declaration ${at(i)}`);
      i = skipTo('>', i);
    } else if (text[i] === '<') {
      let j = i + 1;
      while (j < text.length && text[j] !== '>') {
        if (text[j] === '"' || text[j] === "'") {
          const close = text.indexOf(text[j], j + 1);
          const value = text.slice(j + 1, close < 0 ? text.length : close);
          if (value.includes('<') || value.replace(REFERENCES, '').includes('&')) found.push(`an unescaped < or & in an attribute ${at(j)}`);
          j = close < 0 ? text.length : close + 1;
        } else j += 1;
      }
      i = j + 1;
    } else {
      const end = text.indexOf('<', i) < 0 ? text.length : text.indexOf('<', i);
      const run = text.slice(i, end);
      if (run.includes(']]>')) found.push(`]]> in text ${at(i)}`);
      if (run.replace(REFERENCES, '').includes('&')) found.push(`a bare & in text ${at(i)}`);
      i = end;
    }
  }
  return found;
}

/** What is wrong with the document as XML 1.0 with namespaces; [] when nothing is. */
export function strictXmlProblems(text: string): string[] {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) return [`not well-formed: ${valid.err.msg} (line ${valid.err.line})`];
  const found = lexicalProblems(text);
  if (found.length > 0) return found;
  const prefixes: string[] = [];
  undeclaredPrefixes(parser.parse(text) as Node[], new Set(['xml']), prefixes);
  return prefixes.map((problem) => `undeclared namespace prefix ${problem}`);
}

/** Jest: `expect(strictXmlProblems(text)).toEqual([])` with the document's start in the message. */
export function expectStrictXml(text: string): void {
  const problems = strictXmlProblems(text);
  if (problems.length > 0) throw new Error(`${problems.join('; ')}\n${text.slice(0, 2000)}`);
}
