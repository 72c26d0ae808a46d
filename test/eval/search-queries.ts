/**
 * Queries with the posts they should find, checked by reading ../shared/corpora (grep over the
 * files; `files` says in how many files the words occur, as a reminder of how selective each is).
 * A post is named by the end of its source path, so duplicate slugs across folders cannot confuse
 * it. `top` is how high the first expected post must rank; any one of `expect` satisfies it.
 */
export interface SearchExpectation {
  query: string;
  expect: string[];
  top: 1 | 3;
  why: string;
}

const VIM = 'vim-jp.github.io/_posts/';
const JEKYLL = 'jekyll/docs/_posts/';
const GOV = '18f.gsa.gov/content/posts/';
const SEED = 'samples/000_20020096e96e7224.txt';

export const SEARCH_EXPECTATIONS: SearchExpectation[] = [
  // Japanese inside unsegmented running text (vim-jp).
  { query: '正規表現', expect: [`${VIM}blog/2013-05-23-vim-7.4-want-more-testers-for-new-regexp-engine.md`], top: 1, why: '18 files; the only title with it' },
  { query: '永続化', expect: [`${VIM}blog/2014-11-12-Did-you-know-about-persistent-undo.md`], top: 1, why: '1 file, title 「undo の永続化って知ってる？」' },
  { query: '絵文字', expect: [`${VIM}blog/2017-11-27-windows-colored-emoji.md`], top: 1, why: '6 files; the only title with it' },
  { query: 'ビットコイン', expect: [`${VIM}blog/2013-06-15-vim_charity_donate_bitcoins.md`], top: 1, why: '1 file (katakana word)' },
  { query: '任意のコード実行', expect: [`${VIM}blog/2016-11-24-CVE-2016-1248.md`], top: 1, why: '1 file; a phrase across kanji, kana and katakana' },
  { query: 'ヘルプ翻訳', expect: [`${VIM}blog/2011-10-14-vimdoc_ja.md`], top: 1, why: '1 file; 翻訳 alone is in 24' },
  { query: '亡くなりました', expect: [`${VIM}blog/2023-08-05-Vim-boss-passed-away.md`], top: 1, why: '1 file, in the title' },
  { query: '暗号化', expect: [`${VIM}vimmagazine/2014-08-31-vimmagazine.md`], top: 1, why: '1 file, body only (a Vim Magazine issue)' },
  { query: 'バッジ', expect: [`${VIM}blog/2016-03-27-vital-badge.md`], top: 1, why: '1 file' },
  {
    query: 'VimConf 2017 タイムテーブル',
    expect: [`${VIM}blog/2017-10-25-vimconf-2017-timetable-ja.md`],
    top: 1,
    why: 'mixed query; タイムテーブル is in 5 files, one titled for 2017',
  },
  { query: 'Windows バイナリ', expect: [`${VIM}blog/2019-12-22-windows-binaries-change.md`], top: 1, why: 'mixed query; title 「Windows バイナリのリンク先変更のお知らせ」' },
  {
    query: 'チャリティー 決算報告',
    expect: [
      `${VIM}blog/2012-03-21-vim_charity_financial_results.md`,
      `${VIM}blog/2013-01-24-vim_charity_financial_results.md`,
      `${VIM}blog/2014-03-03-vim_charity_financial_report_2013.md`,
      `${VIM}blog/2015-02-18-vim_charity_financial_report_2014.md`,
      `${VIM}blog/2016-03-11-vim_charity_financial_report_2015.md`,
    ],
    top: 1,
    why: 'five yearly reports titled 「Vim チャリティー決算報告」',
  },
  { query: 'migemo', expect: [`${VIM}blog/2014-08-08-dropped-migemo-from-ctrlp-vim.md`], top: 1, why: '1 file' },
  { query: 'MIGEMO', expect: [`${VIM}blog/2014-08-08-dropped-migemo-from-ctrlp-vim.md`], top: 1, why: 'case-insensitive' },
  // The seed article (Japanese, with English product names).
  { query: 'GPU争奪戦', expect: [SEED], top: 1, why: 'only in the seed' },
  { query: 'Amazon 1兆円', expect: [SEED], top: 1, why: 'the seed title' },
  { query: '生成AI', expect: [SEED], top: 1, why: 'the seed body; a kanji+Latin word' },
  // English, jekyll.
  { query: 'sass converter', expect: [`${JEKYLL}2022-12-21-jekyll-sass-converter-3.0-released.markdown`], top: 1, why: 'both words in one title' },
  { query: 'Google Summer of Code', expect: [`${JEKYLL}2016-06-03-update-on-jekyll-s-google-summer-of-code-projects.markdown`], top: 1, why: '4 files mention it; one title' },
  { query: 'alfred xing', expect: [`${JEKYLL}2014-12-17-alfredxing-welcome-to-jekyll-core.md`], top: 1, why: '10 files (release credits); one title' },
  { query: 'jekyll talk', expect: [`${JEKYLL}2015-02-26-introducing-jekyll-talk.markdown`], top: 3, why: '8 files link to talk.jekyllrb.com; one title' },
  { query: 'Frank', expect: [`${JEKYLL}2021-09-14-goodbye-dear-frank.markdown`], top: 1, why: '29 files mention a Frank; one title' },
  { query: 'stickers', expect: [`${JEKYLL}2014-06-04-jekyll-stickers-1-dollar-stickermule.markdown`], top: 1, why: 'the sticker announcement' },
  // English, 18F.
  { query: 'pepperoni pizza', expect: [`${GOV}2014-04-12-how-a-pepperoni-pizza-is-inspiring-open-government.md`], top: 1, why: '1 file' },
  { query: 'Estonia', expect: [`${GOV}2015-06-17-what-estonia-can-teach-us-about-government-records.md`], top: 1, why: '1 file' },
  { query: 'elasticsearch', expect: [`${GOV}2016-04-08-how-we-get-high-availability-with-elasticsearch-and-ruby-on-rails.md`], top: 1, why: '6 files; one title' },
  { query: 'pair programming', expect: [`${GOV}2015-05-01-pair-programming-why-two-heads-are-better-than-one.md`], top: 1, why: '1 file with the phrase' },
  { query: 'Sandi Metz', expect: [`${GOV}2016-06-24-5-lessons-in-object-oriented-design-from-sandi-metz.md`], top: 1, why: '1 file' },
  { query: 'azure', expect: [`${GOV}2018-02-01-moving-a-legacy-microsoft-environment-to-the-azure-cloud.md`], top: 1, why: '9 files; one title' },
  { query: 'Kids to Parks', expect: [`${GOV}2016-05-20-get-your-pass-for-kids-to-parks-day.md`], top: 1, why: '1 file' },
  { query: 'DAWSON tax court', expect: [`${GOV}2023-04-25-18f-checks-in-with-the-dawson-project-at-the-us-tax-court.md`], top: 1, why: '5 files; one title with both' },
  { query: 'Nepal earthquake', expect: [`${GOV}2015-06-11-moveforward-map-give-video.md`], top: 1, why: '2 files; one title' },
  {
    query: 'FBOpen',
    expect: [`${GOV}2014-03-31-announcing-fbopen-government-opportunities-made-easier.md`, `${GOV}2014-05-11-18f-shows-what-is-possible-in-government-with-fbopen.md`],
    top: 1,
    why: '11 files; two titles',
  },
  { query: 'lego', expect: [`${GOV}2015-08-31-how-playing-with-legos-taught-executives-agile.md`], top: 3, why: '8 files; one title' },
];
