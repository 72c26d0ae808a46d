/*
 * Starts GraphiQL on Kiji's explorer page (src/http/explorer.ts). A file of its own, not an
 * inline script, so the page's Content-Security-Policy can say `script-src 'self'`. React,
 * ReactDOM and GraphiQL are the UMD globals of the scripts loaded before this one.
 */
/* global document, location, URL, React, ReactDOM, GraphiQL */
'use strict';

(function startExplorer() {
  var root = document.getElementById('graphiql');
  // Resolved against the page itself: the endpoint is this origin's, whatever host name the browser used.
  var endpoint = new URL(root.getAttribute('data-endpoint'), location.href).href;
  var defaultQuery = [
    '# Kiji GraphQL explorer: ▶ (Ctrl-Enter) runs the query, Docs shows the schema.',
    '# With a key: Headers, below, {"Authorization": "Bearer <key>"}',
    '',
    'query LatestPosts {',
    '  posts(first: 10) {',
    '    edges {',
    '      node {',
    '        title',
    '        slug',
    '        publishedAt',
    '        author {',
    '          name',
    '        }',
    '      }',
    '    }',
    '    pageInfo {',
    '      hasNextPage',
    '      endCursor',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: endpoint }),
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      // A key typed into the header editor stays in this tab; it is never written to localStorage.
      shouldPersistHeaders: false,
    }),
  );
})();
