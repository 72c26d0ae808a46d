import { renderMarkdown } from '../../../src/content';
import { options } from './helpers';

const html = (md: string) => renderMarkdown(md, options).html;

describe('sanitizing', () => {
  it('strips scripts, styles, event handlers and javascript: URLs', () => {
    const out = html(
      'Hi <img src="x.png" onerror="alert(1)"> <a href="javascript:alert(1)">x</a> [y](javascript:alert(2))\n\n<script>alert(3)</script>\n\n<style>p{}</style>\n\n<div onclick="x()">d</div>\n',
    );
    expect(out).not.toMatch(/<script|<style|onerror|onclick|(?:href|src)\s*=\s*["']?javascript:/i);
    expect(out).toContain('<a>x</a>');
    // Raw images are lazy like Markdown ones (issue 15), and keep nothing else of what the author wrote.
    expect(out).toMatch(/<img src="x.png" loading="lazy" decoding="async" ?\/?>/);
  });

  it('keeps tables, figures, small, details, code and images', () => {
    const out = html(
      '| a | b |\n|---|---|\n| 1 | 2 |\n\n<figure><img src="/a.png" alt="A"><figcaption>Cap</figcaption></figure>\n\n<small>fine print</small>\n\n<details><summary>More</summary>hidden</details>\n\n`code`\n\n![alt](https://e.x/i.png)\n',
    );
    for (const tag of ['<table>', '<td>1</td>', '<figure>', '<figcaption>Cap</figcaption>', '<small>', '<details>', '<summary>More</summary>', '<code>code</code>', '<img src="https://e.x/i.png" alt="alt"']) {
      expect(out).toContain(tag);
    }
  });

  it('keeps http, https, mailto and relative links', () => {
    const out = html('[a](https://x.y/) [b](http://x.y/) [c](mailto:a@b.c) [d](/rel/) [e](ftp://x/)\n');
    expect(out).toContain('href="https://x.y/"');
    expect(out).toContain('href="mailto:a@b.c"');
    expect(out).toContain('href="/rel/"');
    expect(out).not.toContain('href="ftp');
  });

  it('linkifies bare URLs', () => {
    expect(html('see https://example.com/page\n')).toContain('<a href="https://example.com/page">');
  });
});

describe('headings', () => {
  it('gives headings slug anchors, deduplicated with -2, -3', () => {
    const r = renderMarkdown('# Intro\n\n## Intro\n\n### Intro\n\n## 概要：まとめ\n', options);
    expect(r.headings).toEqual([
      { level: 1, text: 'Intro', anchor: 'intro' },
      { level: 2, text: 'Intro', anchor: 'intro-2' },
      { level: 3, text: 'Intro', anchor: 'intro-3' },
      { level: 2, text: '概要：まとめ', anchor: '概要-まとめ' },
    ]);
    expect(r.html).toContain('<h2 id="intro-2">Intro</h2>');
  });

  it('uses the text of inline code and emphasis in anchors', () => {
    expect(renderMarkdown('## The `map` *function*\n', options).headings[0].anchor).toBe('the-map-function');
  });
});

describe('Vim key names', () => {
  it('shows <c-a>, <Esc>, <C-w>, <Leader> as text', () => {
    const out = html('Press <c-a> then <Esc>, <C-w> or <Leader>w.\n\n<Esc>\n');
    expect(out).toContain('Press &lt;c-a&gt; then &lt;Esc&gt;, &lt;C-w&gt; or &lt;Leader&gt;w.');
    expect(out).toContain('<p>&lt;Esc&gt;</p>');
  });

  it('shows key names inside raw HTML tables, and keeps real tags working', () => {
    const out = html('<table><tr><td><C-a></td><td><b>bold</b></td></tr></table>\n');
    expect(out).toContain('<td>&lt;C-a&gt;</td>');
    expect(out).toContain('<b>bold</b>');
  });

  it('leaves code alone and respects an author\'s own backslash', () => {
    const out = html('`<c-a>` and \\<CR>\n\n```vim\nnnoremap <Leader>w <C-w>\n```\n');
    expect(out).toContain('<code>&lt;c-a&gt;</code>');
    expect(out).toContain('and &lt;CR&gt;');
    expect(out).toContain('nnoremap &lt;Leader&gt;w &lt;C-w&gt;');
    expect(out).not.toContain('&amp;lt;');
  });

  it('does not break autolinks', () => {
    expect(html('<https://vim.org/>\n')).toContain('<a href="https://vim.org/">');
  });
});
