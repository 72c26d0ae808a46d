import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { escapeHtml } from '../content/searchSnippet';
import type { Context } from '../graphql/context';
import { PROJECT_ROOT } from '../paths';
import { compressAnswers } from './compression';
import { refuse } from './refusal';

/*
 * The explorer `GET /graphql` answers to a browser (Accept: text/html): GraphiQL 4, served from
 * Kiji's own node_modules (its prebuilt UMD bundle on React 18's), so it needs no CDN and makes
 * no request anywhere but this server; its Content-Security-Policy says so to the browser too.
 * GraphiQL 5 has no prebuilt bundle (ESM and Monaco workers, a bundler's job), hence 4.
 */
export const EXPLORER_ASSETS_PATH = '/explorer';

export interface ExplorerOptions {
  /** The GraphQL endpoint the page talks to, as a path on the same origin. */
  endpoint: string;
}

interface Asset {
  file: string;
  /** A hash of the content: the page asks for `name?v=version`, which is then cacheable for good. */
  version: string;
}

const OWN_FILES = path.join(PROJECT_ROOT, 'src', 'http', 'explorer');

/** A file of an installed package (by its package.json: GraphiQL's `exports` hide the bundle). */
function packageFile(name: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
}

let assets: Map<string, Asset> | undefined;

/** Every file the explorer serves, by the name in its URL; nothing else under EXPLORER_ASSETS_PATH is. */
function explorerFiles(): Map<string, Asset> {
  assets ??= new Map(
    Object.entries({
      'react.js': packageFile('react', 'umd/react.production.min.js'),
      'react-dom.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
      'graphiql.js': packageFile('graphiql', 'graphiql.min.js'),
      'graphiql.css': packageFile('graphiql', 'graphiql.min.css'),
      'explorer.js': path.join(OWN_FILES, 'explorer.js'),
      'explorer.css': path.join(OWN_FILES, 'explorer.css'),
    }).map(([name, file]) => [name, { file, version: createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16) }]),
  );
  return assets;
}

/*
 * Scripts only from this origin (so no inline script), requests only to it. Styles may be inline:
 * GraphiQL's dialogs add a <style> element; its fonts and icons are data: URLs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function explorerPage(options: ExplorerOptions): string {
  const files = explorerFiles();
  const url = (name: string) => escapeHtml(`${EXPLORER_ASSETS_PATH}/${name}?v=${files.get(name)!.version}`);
  const styles = ['graphiql.css', 'explorer.css'].map((name) => `<link rel="stylesheet" href="${url(name)}">`);
  const scripts = ['react.js', 'react-dom.js', 'graphiql.js', 'explorer.js'].map((name) => `<script src="${url(name)}"></script>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<title>Kiji GraphQL explorer</title>',
    // No favicon: the browser would ask for /favicon.ico, and be answered a JSON 404.
    '<link rel="icon" href="data:,">',
    ...styles,
    '</head>',
    '<body>',
    `<div id="graphiql" data-endpoint="${escapeHtml(options.endpoint)}">`,
    `<noscript>The explorer needs JavaScript. GraphQL is served at ${escapeHtml(options.endpoint)} (POST or GET).</noscript>`,
    '</div>',
    ...scripts,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Apollo's landing-page hook: the page `GET /graphql` answers to a browser, made once at start. */
export function explorerLandingPage(options: ExplorerOptions): ApolloServerPlugin<Context> {
  return {
    async serverWillStart() {
      const html = explorerPage(options);
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

const FOR_GOOD = 'public, max-age=31536000, immutable';

/** The explorer's static files (scripts, styles), mounted at EXPLORER_ASSETS_PATH. */
export function explorerAssets(): RequestHandler {
  const files = explorerFiles();
  // GraphiQL's bundle is 1 MB; compressed as it streams, once per browser (then cached for good).
  const compress = compressAnswers();
  return (req, res, next) => {
    const asset = files.get(req.path.slice(1));
    if (!asset) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'The explorer files are read with GET', { headers: { allow: 'GET, HEAD' } });
    }
    // The versioned URL the page uses never changes content; any other asks the server again (ETag).
    const cacheControl = req.query.v === asset.version ? FOR_GOOD : 'no-cache';
    // `nosniff`, like every answer's, comes from the request frame.
    const headers = { 'cache-control': cacheControl };
    compress(req, res, () => res.sendFile(asset.file, { cacheControl: false, headers }, (error) => error && next(error)));
  };
}
