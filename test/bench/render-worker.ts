/**
 * A worker thread of the archive builder (render-pool.ts): renders generated posts with Kiji's
 * content functions, tokenizes them for the search index, and counts the document frequency of
 * their terms (as TokenStatistics counts them), off the thread that generates the posts and writes them.
 */
import { makeExcerpt, readingTimeMinutes, renderMarkdown } from '../../src/content';
// By its file, not the folder's index: a worker thread need not load TypeORM.
import { splitTokens, tokenizePost } from '../../src/services/search/post-tokens';
import { answerRequests } from '../../src/services/shared';
import type { RenderReply, RenderRequest } from './render-pool';

/** Each term's document frequency over the posts this worker rendered. */
const df = new Map<string, number>();

function render(posts: { title: string; bodyMarkdown: string }[]): RenderReply {
  const started = performance.now();
  const bodies = posts.map(({ bodyMarkdown }) => {
    const rendered = renderMarkdown(bodyMarkdown);
    return { bodyHtml: rendered.html, headings: JSON.stringify(rendered.headings), excerpt: makeExcerpt(bodyMarkdown), readingTimeMinutes: readingTimeMinutes(bodyMarkdown) };
  });
  const counted = performance.now();
  // Tokenized once, as the importer's workers do: the search index's fields, and the terms counted.
  const rendered = bodies.map((body, i) => {
    const tokens = tokenizePost({ title: posts[i].title, excerpt: body.excerpt, bodyMarkdown: posts[i].bodyMarkdown });
    for (const term of splitTokens(tokens.terms)) df.set(term, (df.get(term) ?? 0) + 1);
    return { ...body, tokens: { title: tokens.title, excerpt: tokens.excerpt, body: tokens.body } };
  });
  return { kind: 'rendered', posts: rendered, renderMs: counted - started, countMs: performance.now() - counted };
}

answerRequests((request: RenderRequest) => ({ reply: request.kind === 'render' ? render(request.posts) : { kind: 'frequencies', df } }));
