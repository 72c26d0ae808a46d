import { buildSchema, parse } from 'graphql';
import { documentPolicy } from '../../../src/http/cache-policy';

const schema = buildSchema(`
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query { feed: [Post!]! me: Reader version: String hot: Post @cacheControl(maxAge: 5) }
  type Post { title: String views: Int @cacheControl(maxAge: 2) author: Author stats: Stats @cacheControl(inheritMaxAge: true) }
  type Author @cacheControl(maxAge: 300) { name: String }
  type Stats { shares: Int }
  type Reader @cacheControl(scope: PRIVATE) { name: String }
`);
const policy = (query: string) => documentPolicy(schema, parse(query), 60);

describe('cache policy from hints', () => {
  it('gives root fields and objects without hints the default max-age; scalars inherit', () => {
    expect(policy('{ feed { title } }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
    expect(policy('{ version }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
  });

  it('takes the lowest max-age met, from a field hint or from the type returned', () => {
    expect(policy('{ feed { views } }')).toEqual({ maxAge: 2, scope: 'PUBLIC' });
    expect(policy('{ hot { title } }')).toEqual({ maxAge: 5, scope: 'PUBLIC' });
    expect(policy('{ feed { author { name } } }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
  });

  it('lets inheritMaxAge fields and fragments count like the rest', () => {
    expect(policy('{ feed { stats { shares } } }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
    expect(policy('fragment V on Post { views } { feed { ...V } }')).toEqual({ maxAge: 2, scope: 'PUBLIC' });
  });

  it('narrows the scope to private when any field asks for it', () => {
    expect(policy('{ feed { title } me { name } }')).toEqual({ maxAge: 60, scope: 'PRIVATE' });
  });
});
