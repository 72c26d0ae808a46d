/**
 * Plausible Japanese and English Markdown from word and phrase lists, driven by a seeded PRNG, so
 * the same seed gives the same archive. Vocabulary has a long tail (generated product and place
 * names drawn with Zipf-like popularity), so search terms and related-article vectors see rare
 * and common words as a real archive does.
 */
import { zipf } from './common';

const JA_NOUNS = (
  'データベース 冷却 液浸冷却 検索 全文検索 生成AI 機械学習 クラウド サーバー 性能 設計 運用 開発者 利用者 記事 編集部 市場 企業 投資 ' +
  '半導体 電力 効率 品質 課題 解決策 仕組み 基盤 環境 導入 移行 費用 安全性 認証 通信 遅延 容量 分析 可視化 自動化 監視 障害 復旧 ' +
  '変更 更新 公開 配信 キャッシュ 索引 言語 翻訳 文章 画像 動画 音声 端末 スマートフォン 表示 速度 計測 指標 目標 戦略 組織 チーム ' +
  '会議 研究 論文 実験 結果 仮説 評価 比較 改善 最適化 並列処理 分散 整合性 トランザクション 同期 非同期 設定 構成 依存関係 脆弱性 ' +
  '暗号化 権限 利用規約 個人情報 広告 収益 読者 編集 校正 見出し 本文 要約 抜粋 タグ 分類 著者 日本語 英語 文字コード 正規化 形態素解析 ' +
  '検索エンジン 推薦 関連記事 ランキング 人気 閲覧数 滞在時間 離脱率 表示速度 ネットワーク 帯域 負荷 負荷分散 冗長化 バックアップ ' +
  'データセンター 空調 消費電力 再生可能エネルギー 蓄電池 送電網 物流 倉庫 在庫 需要予測 価格 契約 顧客 営業 採用 教育 研修 働き方 ' +
  'リモートワーク 生産性 評価制度 文化 歴史 地域 自治体 行政 医療 介護 農業 漁業 観光 交通 鉄道 自動運転 ロボット 製造業 工場 ' +
  '品質管理 検査 センサー 画像認識 音声認識 対話 要件定義 仕様 試験 リリース 障害対応 振り返り 手順書 運用設計 コスト削減 ' +
  'オープンソース コミュニティ 貢献 ライセンス 互換性 後方互換 移植 型システム 静的解析 コンパイラ 実行時間 メモリ ガベージコレクション'
).split(' ');

const EN_NOUNS = (
  'database cache query latency throughput index search server client archive article editor pipeline schema migration ' +
  'deployment cluster container network protocol storage memory processor compiler language runtime framework library ' +
  'interface design review budget strategy product market customer feedback release version feature bug test benchmark ' +
  'metric dashboard alert incident outage recovery backup security encryption token permission policy compliance ' +
  'accessibility typography layout image video audio translation content workflow automation integration analytics ' +
  'experiment hypothesis result team meeting roadmap sprint backlog estimate deadline contract vendor platform service ' +
  'endpoint gateway proxy router balancer queue stream event message broker scheduler worker thread process kernel ' +
  'driver firmware sensor device battery charger display keyboard editor terminal shell script plugin extension theme ' +
  'template component state store reducer selector resolver loader mutation subscription transaction replica shard ' +
  'partition snapshot checkpoint journal ledger invoice payment subscription newsletter reader writer publisher ' +
  'newsroom headline summary excerpt outline heading paragraph footnote citation reference glossary tutorial guide ' +
  'handbook standard specification proposal prototype pilot launch rollout rollback canary fleet region zone datacenter ' +
  'cooling power energy grid solar turbine factory warehouse inventory forecast pricing revenue margin growth churn'
).split(' ');

const EN_ADJ = (
  'fast reliable simple careful modern legacy distributed shared private public small large new old better cheaper ' +
  'safer clearer quieter stable flexible portable practical honest subtle early late global local'
).split(' ');

const JA_VERBS = ['改善する', '実現する', '高速化する', '自動化する', '削減する', '見直す', '共有する', '検証する', '設計する', '運用する'];
const JA_VERBS_TE = ['普及し', '進化し', '拡大し', '変化し', '定着し', '成熟し'];
const EN_VERBS = ['improve', 'measure', 'replace', 'simplify', 'automate', 'rebuild', 'review', 'document', 'scale', 'migrate', 'cache', 'index'];

const KATAKANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴザジズゼゾダデドバビブベボパピプペポ';
const LATIN_SYLLABLES = 'ka ri zo vex ton mar lin qua sel dor pix nu bra tek lo fen gar ix ul sor vin mek ra tho zen cal'.split(' ');

/** Generated names: the long tail of a vocabulary (products, places, projects). */
function makeNames(count: number, random: () => number, make: () => string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let guard = 0; out.length < count && guard < count * 20; guard++) {
    const name = make();
    if (!seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  }
  void random;
  return out;
}

export interface Vocabulary {
  ja: { noun: () => string; rare: () => string };
  en: { noun: () => string; rare: () => string };
  /** Topic words of a tag: posts with the tag use them often, so they share text. */
  topicsOf(tag: number): { ja: string[]; en: string[] };
}

export function makeVocabulary(random: () => number, tags: number): Vocabulary {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const jaRare = makeNames(20000, random, () => {
    const n = 3 + Math.floor(random() * 4);
    let s = '';
    for (let i = 0; i < n; i++) s += KATAKANA[Math.floor(random() * KATAKANA.length)];
    return s;
  });
  const enRare = makeNames(20000, random, () => {
    const n = 2 + Math.floor(random() * 2);
    let s = '';
    for (let i = 0; i < n; i++) s += pick(LATIN_SYLLABLES);
    return s.charAt(0).toUpperCase() + s.slice(1);
  });
  const jaNoun = zipf(JA_NOUNS.length, 0.9, random);
  const enNoun = zipf(EN_NOUNS.length, 0.9, random);
  const jaRareZ = zipf(jaRare.length, 1.05, random);
  const enRareZ = zipf(enRare.length, 1.05, random);
  const topics = new Map<number, { ja: string[]; en: string[] }>();
  // Topic words come from their own generator, so a tag's words do not depend on draw order.
  const topicRandom = (tag: number) => {
    let a = (tag * 2654435761) >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };
  return {
    ja: { noun: () => JA_NOUNS[jaNoun()], rare: () => jaRare[jaRareZ()] },
    en: { noun: () => EN_NOUNS[enNoun()], rare: () => enRare[enRareZ()] },
    topicsOf(tag: number) {
      let t = topics.get(tag);
      if (!t) {
        const r = topicRandom(tag + 1);
        const from = <T>(list: readonly T[], n: number) => Array.from({ length: n }, () => list[Math.floor(r() * list.length)]);
        t = { ja: [...from(JA_NOUNS, 3), ...from(jaRare, 3)], en: [...from(EN_NOUNS, 3), ...from(enRare, 3)] };
        topics.set(tag, t);
      }
      void tags;
      return t;
    },
  };
}

export interface GeneratedText {
  title: string;
  body: string;
}

/** A post of about `targetBytes` UTF-8 bytes in `language`, about the given tags' topics. */
export function makePost(language: 'ja' | 'en', targetBytes: number, tagIds: number[], vocab: Vocabulary, random: () => number): GeneratedText {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const topic = tagIds.map((t) => vocab.topicsOf(t));
  const num = () => String(2 + Math.floor(random() * 97));
  if (language === 'ja') {
    const w = () => {
      const x = random();
      if (x < 0.35) return pick(pick(topic).ja);
      if (x < 0.45) return vocab.ja.rare();
      return vocab.ja.noun();
    };
    const sentences: (() => string)[] = [
      () => `${w()}の${w()}について考えます。`,
      () => `${w()}は${w()}と${w()}を組み合わせることで、${w()}を${pick(JA_VERBS)}ことができます。`,
      () => `多くの${w()}では、${w()}の${w()}が課題になっています。`,
      () => `${w()}を導入した結果、${w()}の${w()}は約${num()}%改善しました。`,
      () => `しかし、${w()}だけでは${w()}の問題を解決できません。`,
      () => `${w()}と${w()}の違いを理解することが、${w()}の第一歩です。`,
      () => `私たちは${w()}の${w()}を${num()}か月かけて検証しました。`,
      () => `${w()}によって${w()}が${pick(JA_VERBS_TE)}、${w()}の${w()}も変わりつつあります。`,
      () => `なぜ${w()}は${w()}よりも${w()}を重視するのでしょうか？`,
      () => `今回は**${w()}**の${w()}を中心に、${w()}との関係を整理します。`,
    ];
    const title = pick([
      () => `${w()}で${w()}を${pick(JA_VERBS).replace('する', 'する方法')}`,
      () => `${w()}と${w()}：${w()}の現在地`,
      () => `なぜ${w()}は${w()}を変えるのか`,
      () => `${w()}の${w()}を${num()}%${pick(['短縮', '削減', '改善'])}した話`,
    ])();
    const paragraph = () => Array.from({ length: 3 + Math.floor(random() * 4) }, () => pick(sentences)()).join('');
    const heading = (level: number) => `${'#'.repeat(level)} ${w()}と${w()}`;
    const list = () => Array.from({ length: 3 + Math.floor(random() * 3) }, () => `- ${w()}の${w()}`).join('\n');
    return { title, body: assemble(targetBytes, paragraph, heading, list, random) };
  }
  const w = () => {
    const x = random();
    if (x < 0.35) return pick(pick(topic).en);
    if (x < 0.45) return vocab.en.rare();
    return vocab.en.noun();
  };
  const sentences: (() => string)[] = [
    () => `The ${w()} of the ${w()} is one of the most ${pick(EN_ADJ)} parts of any ${w()}.`,
    () => `We measured the ${w()} across ${num()} ${w()}s and found that the ${w()} improved by ${num()}%.`,
    () => `Most teams treat the ${w()} as a ${w()} problem, but it is really about the ${w()}.`,
    () => `When a ${w()} meets a ${pick(EN_ADJ)} ${w()}, the ${w()} changes quickly.`,
    () => `In practice, the ${w()} depends on the ${w()}, the ${w()} and a careful ${w()}.`,
    () => `This is why the ${w()} matters more than the ${w()} for ${w()} work.`,
    () => `Our ${w()} team had to ${pick(EN_VERBS)} the ${w()} in ${num()} weeks.`,
    () => `Can a ${pick(EN_ADJ)} ${w()} really ${pick(EN_VERBS)} the ${w()}?`,
    () => `See [the ${w()} notes](https://example.com/${w().toLowerCase()}/${num()}) for the **${w()}** details.`,
  ];
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const title = pick([
    () => `How we ${pick(EN_VERBS)} the ${w()} with ${w()}`,
    () => `${cap(w())} and ${w()}: where the ${w()} stands`,
    () => `Why the ${w()} changes the ${w()}`,
    () => `A ${pick(EN_ADJ)} ${w()} for ${w()} ${w()}s`,
  ])();
  const paragraph = () => Array.from({ length: 3 + Math.floor(random() * 4) }, () => pick(sentences)()).join(' ');
  const heading = (level: number) => `${'#'.repeat(level)} ${cap(w())} and the ${w()}`;
  const list = () => Array.from({ length: 3 + Math.floor(random() * 3) }, () => `- A ${pick(EN_ADJ)} ${w()} for the ${w()}`).join('\n');
  return { title, body: assemble(targetBytes, paragraph, heading, list, random) };
}

function assemble(targetBytes: number, paragraph: () => string, heading: (level: number) => string, list: () => string, random: () => number): string {
  const blocks: string[] = [paragraph()];
  let bytes = Buffer.byteLength(blocks[0]);
  // Bounded: each block adds at least a few dozen bytes, and the cap stops any surprise.
  for (let i = 0; bytes < targetBytes && i < 500; i++) {
    const x = random();
    let block: string;
    if (x < 0.12) block = heading(2);
    else if (x < 0.18) block = heading(3);
    else if (x < 0.24) block = list();
    else if (x < 0.27) block = '```ts\nconst result = await client.query({ first: 20 });\nconsole.log(result.data);\n```';
    else block = paragraph();
    blocks.push(block);
    bytes += Buffer.byteLength(block) + 2;
  }
  return blocks.join('\n\n') + '\n';
}

const JA_SURNAMES = '佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 清水 山崎 森 池田 橋本 阿部 石川'.split(' ');
const JA_GIVEN = '健太 陽子 翔 美咲 大輔 直子 拓也 彩 悠斗 恵 誠 由美 亮 香織 剛 舞 隆 智子 浩 優子'.split(' ');
const EN_FIRST = 'Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory Niaj Olivia Peggy Rupert Sybil Trent Victor Walter Yvonne'.split(' ');
const EN_LAST = 'Smith Johnson Brown Taylor Miller Wilson Moore Anderson Thomas Jackson White Harris Martin Thompson Garcia Clark Lewis Lee Walker Hall'.split(' ');

export function authorName(i: number, random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  return i % 2 === 0 ? `${pick(JA_SURNAMES)} ${pick(JA_GIVEN)}` : `${pick(EN_FIRST)} ${pick(EN_LAST)}`;
}

/** `count` distinct tag names, Japanese and English, shuffled so popularity does not follow script. */
export function tagNames(count: number, random: () => number): string[] {
  const base = [...JA_NOUNS, ...EN_NOUNS.map((n) => n.charAt(0).toUpperCase() + n.slice(1))];
  const out = new Set<string>(base);
  for (let guard = 0; out.size < count && guard < count * 50; guard++) {
    out.add(
      random() < 0.5
        ? JA_NOUNS[Math.floor(random() * JA_NOUNS.length)] + JA_NOUNS[Math.floor(random() * JA_NOUNS.length)]
        : `${EN_ADJ[Math.floor(random() * EN_ADJ.length)]} ${EN_NOUNS[Math.floor(random() * EN_NOUNS.length)]}`,
    );
  }
  const list = [...out].slice(0, count);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

export const CATEGORIES = ['テクノロジー', 'Engineering', 'ニュース', 'Design', 'イベント', 'Culture', 'リリース', 'Opinion'];

export const SEARCH_WORDS = {
  ja: ['冷却', '検索', 'データベース', '機械学習', '生成AI', '性能', '運用', '半導体'],
  en: ['database', 'latency', 'cache', 'search', 'benchmark', 'schema', 'release', 'incident'],
};
