import { readAuthorProfiles } from '../../../src/content/authorProfiles';
import { imageUrl, linkKind, socialUrl, websiteUrl } from '../../../src/content/profileLinks';

const FILE = '_data/authors.yml';
const read = (text: string, file = FILE) => readAuthorProfiles(file, text);
const byHandle = (text: string, file = FILE) => new Map(read(text, file).profiles.map((p) => [p.handle, p]));

describe('readAuthorProfiles: the shapes sites use', () => {
  it('reads a map keyed by handle, with the avatar, website and social accounts as the theme writes them', () => {
    const profiles = byHandle(
      [
        'dirtyf:',
        '  name: Frank Taillandier',
        '  bio: Jekyll maintainer.',
        '  avatar: /img/dirtyf.jpg',
        '  url: https://dirtyf.example',
        '  twitter: "@DirtyF"',
        '  github: DirtyF',
        '  email: frank@example.com',
        '  location: Paris', // unknown keys are the theme's business
        'parkr: Parker Moore', // the name alone
      ].join('\n'),
    );
    expect(profiles.get('dirtyf')).toEqual({
      handle: 'dirtyf',
      line: 1,
      name: 'Frank Taillandier',
      bio: 'Jekyll maintainer.',
      avatarUrl: '/img/dirtyf.jpg',
      links: [
        { kind: 'website', url: 'https://dirtyf.example' },
        { kind: 'twitter', url: 'https://twitter.com/DirtyF' },
        { kind: 'github', url: 'https://github.com/DirtyF' },
        { kind: 'email', url: 'mailto:frank@example.com' },
      ],
    });
    expect(profiles.get('parkr')).toEqual({ handle: 'parkr', line: 10, name: 'Parker Moore' });
  });

  it("reads minimal-mistakes' entries: a handle with spaces, `links` with labels and icons", () => {
    const profiles = byHandle(
      [
        'Billy Rick:',
        '  name       : "Billy Rick"',
        '  bio        : "What do you want, jewels?"',
        '  avatar     : "assets/images/bio-photo-2.jpg"',
        '  links:',
        '    - label: "Email"',
        '      icon: "fas fa-fw fa-envelope-square"',
        '      url: "mailto:billyrick@rick.com"',
        '    - label: "My Blog"',
        '      url: "https://thewhip.com"',
        '    - url: "https://github.com/billy"',
      ].join('\n'),
    );
    expect(profiles.get('Billy Rick')).toMatchObject({
      name: 'Billy Rick',
      avatarUrl: '/assets/images/bio-photo-2.jpg',
      links: [
        { kind: 'email', url: 'mailto:billyrick@rick.com' },
        { kind: 'my-blog', url: 'https://thewhip.com' },
        { kind: 'github', url: 'https://github.com/billy' },
      ],
    });
  });

  it('reads a list of entries naming their handle by id, handle, slug or name', () => {
    const { profiles, issues } = read(
      ['- id: melody', '  name: Melody Kramer', '  image: https://cdn.example/m.png', '- handle: becky', '  picture: /b.png', '- slug: ann', '- name: Carolyn Dew', '  photo: c.jpg', '- bio: nobody'].join('\n'),
    );
    expect(profiles.map((p) => [p.handle, p.name, p.avatarUrl])).toEqual([
      ['melody', 'Melody Kramer', 'https://cdn.example/m.png'],
      ['becky', undefined, '/b.png'],
      ['Carolyn Dew', 'Carolyn Dew', '/c.jpg'],
    ]);
    expect(issues.map((i) => [i.file, i.line, i.code])).toEqual([[FILE, 9, 'AUTHOR_ENTRY']]);
    expect(issues[0].message).toContain('needs one of `id`');
  });

  it('reads JSON, and a file wrapping its authors in one `authors:` key', () => {
    const json = JSON.stringify({ mattr: { name: 'Matt Rogers', homepage: 'mattr.example/blog', links: { mastodon: '@mattr@hachyderm.io' } } }, null, 2);
    expect(byHandle(json, '_data/authors.json').get('mattr')).toEqual({
      handle: 'mattr',
      line: 2,
      name: 'Matt Rogers',
      links: [
        { kind: 'website', url: 'https://mattr.example/blog' },
        { kind: 'mastodon', url: 'https://hachyderm.io/@mattr' },
      ],
    });
    expect(byHandle('authors:\n  - id: oe\n    name: Olivia\n').get('oe')?.name).toBe('Olivia');
  });

  it('leaves out what an entry does not give, and keeps a numeric handle', () => {
    expect(byHandle('42:\n  github: someone\n').get('42')).toEqual({ handle: '42', line: 1, links: [{ kind: 'github', url: 'https://github.com/someone' }] });
    expect(read('').profiles).toEqual([]);
    expect(read('ghost:\n').profiles).toEqual([]);
  });
});

describe('readAuthorProfiles: bad files and entries are issues with their line, never a throw', () => {
  it('reports unreadable YAML with its line and reads nothing from it', () => {
    const { profiles, issues } = read('dirtyf:\n  name: Frank\n  bio: [unclosed\nparkr: x\n');
    expect(profiles).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: FILE, code: 'AUTHORS_UNREADABLE' });
    expect(issues[0].message).toContain('not valid YAML');
    expect(issues[0].line).toBeGreaterThanOrEqual(3);
  });

  it('reports unreadable JSON with its line', () => {
    const { issues } = read('{\n  "a": { "name": "A" },\n  "b": { "name": \n}\n', '_data/authors.json');
    expect(issues[0]).toMatchObject({ file: '_data/authors.json', code: 'AUTHORS_UNREADABLE' });
    expect(issues[0].message).toContain('not valid JSON');
    expect(issues[0].line).toBeGreaterThanOrEqual(3);
  });

  it('reports a duplicate key, a file that is neither map nor list, and entries of the wrong shape', () => {
    expect(read('a: 1\na: 2\n').issues[0]).toMatchObject({ code: 'AUTHORS_UNREADABLE', line: 2 });
    expect(read('just text').issues[0]).toMatchObject({ code: 'AUTHOR_ENTRY', line: 1 });
    const { profiles, issues } = read('a:\n  - 1\nb:\n  name: B\n  bio: [1, 2]\nB:\n  name: again\n');
    expect(profiles).toEqual([{ handle: 'b', line: 3, name: 'B' }]);
    expect(issues.map((i) => [i.line, i.code])).toEqual([
      [2, 'AUTHOR_ENTRY'],
      [5, 'AUTHOR_FIELD'],
      [6, 'AUTHOR_DUPLICATE'],
    ]);
  });

  it('leaves out text over the limits, and links past the twentieth', () => {
    const links = Array.from({ length: 22 }, (_, i) => `    - https://example.com/${i}`).join('\n');
    const { profiles, issues } = read(`a:\n  name: ${'n'.repeat(201)}\n  bio: ${'b'.repeat(5001)}\n  links:\n${links}\n`);
    expect(profiles[0].name).toBeUndefined();
    expect(profiles[0].bio).toBeUndefined();
    expect(profiles[0].links).toHaveLength(20);
    expect(issues.map((i) => i.line)).toEqual([2, 3, 25, 26]);
  });
});

describe('readAuthorProfiles: only http(s) and mailto addresses are kept', () => {
  it('drops javascript:, data: and unreadable addresses with an issue naming the field and line', () => {
    const { profiles, issues } = read(
      [
        'eve:',
        '  avatar: "javascript:alert(1)"',
        '  url: "javascript:alert(1)"',
        '  twitter: "data:text/html,x"',
        '  github: "not a handle"',
        '  mastodon: justme',
        '  email: "not-an-address"',
        '  links:',
        '    - { label: Blog, url: "ftp://example.com" }',
        '    - { label: Site, url: "https://ok.example" }',
      ].join('\n'),
    );
    expect(profiles[0]).toEqual({ handle: 'eve', line: 1, links: [{ kind: 'site', url: 'https://ok.example' }] });
    expect(issues.map((i) => [i.line, i.code])).toEqual([
      [2, 'AUTHOR_URL'],
      [3, 'AUTHOR_URL'],
      [4, 'AUTHOR_URL'],
      [5, 'AUTHOR_URL'],
      [6, 'AUTHOR_URL'],
      [7, 'AUTHOR_URL'],
      [9, 'AUTHOR_URL'],
    ]);
    expect(issues[0].message).toContain('avatar');
  });

  it('turns handles into profile pages and keeps full URLs', () => {
    expect(socialUrl('twitter', '@dirtyf')).toBe('https://twitter.com/dirtyf');
    expect(socialUrl('github', 'https://github.com/jekyll')).toBe('https://github.com/jekyll');
    expect(socialUrl('github', 'github.com/jekyll')).toBe('https://github.com/jekyll');
    expect(socialUrl('linkedin', 'parkr')).toBe('https://www.linkedin.com/in/parkr');
    expect(socialUrl('bluesky', 'me.bsky.social')).toBe('https://bsky.app/profile/me.bsky.social');
    expect(socialUrl('mastodon', 'https://mastodon.social/@me')).toBe('https://mastodon.social/@me');
    expect(socialUrl('twitter', 'javascript:alert(1)')).toBeNull();
  });

  it('reads websites and pictures as people write them', () => {
    expect(websiteUrl('//example.com/x')).toBe('https://example.com/x');
    expect(websiteUrl('http://example.com')).toBe('http://example.com');
    expect(websiteUrl('vbscript:x')).toBeNull();
    expect(imageUrl('./me.png')).toBe('/me.png');
    expect(imageUrl('data:image/png;base64,AAAA')).toBeNull();
    expect(imageUrl('/a b.png')).toBeNull();
  });

  it('names a link by its label, else by its address', () => {
    expect(linkKind('My Blog!', 'https://x.example')).toBe('my-blog');
    expect(linkKind('ブログ', 'https://x.example')).toBe('website');
    expect(linkKind(null, 'https://www.linkedin.com/in/x')).toBe('linkedin');
    expect(linkKind(null, 'mailto:a@b.example')).toBe('email');
  });
});
