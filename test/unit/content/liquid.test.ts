import { codes, prep, source } from './helpers';

const body = (md: string, fm = 'title: T') => prep(source(fm, md)).bodyMarkdown;

describe('Liquid links', () => {
  it('resolves post_url, with or without a folder prefix, through postUrl', () => {
    expect(body('See [it]({% post_url 2019-01-07-vimconf %}).\n')).toBe('See [it](/posts/vimconf).\n');
    expect(body('[x]({% post_url /blog/2017-10-12-vimconf2017-speakers %})\n')).toBe('[x](/posts/vimconf2017-speakers)\n');
  });

  it('resolves link to a post like post_url, and other paths to /path without extension', () => {
    expect(body('[a]({% link _posts/2019-1-7-vimconf.md %})\n')).toBe('[a](/posts/vimconf)\n');
    expect(body('[h]({% link _docs/history.md %})\n')).toBe('[h](/_docs/history)\n');
  });

  it('keeps the string of url filters on a literal', () => {
    expect(body('[d]({{ "/docs/x/" | relative_url }}) [e]({{ \'/y/\' | absolute_url }}) [f]({{ "/z/" | url }})\n')).toBe(
      '[d](/docs/x/) [e](/y/) [f](/z/)\n',
    );
  });

  it('drops site.baseurl without leaving a gap', () => {
    expect(body('[a]({{ site.baseurl }}/about/)\n')).toBe('[a](/about/)\n');
  });

  it('uses front-matter values for page variables with url filters', () => {
    expect(body('![cap]({{ image | url }})\n', 'title: T\nimage: /assets/a.png')).toBe('![cap](/assets/a.png)\n');
  });
});

describe('images and shortcodes', () => {
  it('turns Eleventy image shortcodes into Markdown images', () => {
    expect(body('{% image "assets/blog/a.jpg" "A diagram" %}\n')).toBe('![A diagram](/assets/blog/a.jpg)\n');
    expect(body('{% image_with_class "assets/b.png" "width-400px" "Stick figure [1]" %}\n')).toBe(
      '![Stick figure \\[1\\]](/assets/b.png)\n',
    );
  });

  it('turns an include with image/alt/caption into a figure', () => {
    const md = body('Intro.\n\n{% include "linked-figure.html",\n  image: "/assets/c.jpg",\n  alt: "Alt text",\n  caption: "A caption" %}\n\nAfter.\n');
    expect(md).toBe('Intro.\n\n<figure>\n<img src="/assets/c.jpg" alt="Alt text">\n<figcaption>A caption</figcaption>\n</figure>\n\nAfter.\n');
    expect(prep(source('title: T', md)).bodyHtml).toContain('<figcaption>A caption</figcaption>');
  });

  it('removes an image tag whose source cannot be found', () => {
    expect(body('Before.\n\n{% include footer.html %}\n\nAfter.\n')).toBe('Before.\n\nAfter.\n');
  });
});

describe('block tags', () => {
  it('turns highlight into a fenced block, leaving its content alone', () => {
    const md = body('Run:\n\n{% highlight ruby linenos %}\nputs "{{ x }}"\n{% endhighlight %}\n\nDone.\n');
    expect(md).toBe('Run:\n\n```ruby\nputs "{{ x }}"\n```\n\nDone.\n');
  });

  it('outputs raw content verbatim, even inside inline code', () => {
    expect(body('Use `{% raw %}{{ site.baseurl }}{% endraw %}` here.\n')).toBe('Use `{{ site.baseurl }}` here.\n');
    expect(body('{% raw %}{% post_url x %} and {{ y }}{% endraw %}\n')).toBe('{% post_url x %} and {{ y }}\n');
  });

  it('removes comments, loops and unknown tags cleanly', () => {
    const md = body('One.\n\n{% comment %}\nhidden {{ x }}\n{% endcomment %}\n\nTwo {% if a %}kept{% endif %} words.\n\n{% assign n = 1 %}\n{% for i in list %}\n- {{ i }}\n{% endfor %}\n\nThree.\n');
    expect(md).toBe('One.\n\nTwo kept words.\n\nThree.\n');
    expect(md).not.toMatch(/\n\n\n/);
  });

  it('reports what it removed with the line', () => {
    const a = prep(source('title: T', 'One.\n\n{{ site.repository }}/issues\n'));
    const issue = a.contentIssues.find((i) => i.code === 'LIQUID_REMOVED');
    expect(issue?.line).toBe(6);
    expect(codes(prep(source('title: T', '[x]({% post_url nodate %})\n')).contentIssues)).toContain('UNRESOLVED_LINK');
  });
});

describe('code stays as written', () => {
  it('does not touch Liquid in fenced, indented or inline code', () => {
    const md = 'Text `{% post_url 2019-01-07-a %}` and ``{{ "/x" | relative_url }}``.\n\n```liquid\n{% if x %}{{ y }}{% endif %}\n```\n\n    {% include a.html %}\n';
    expect(body(md)).toBe(md);
  });
});
