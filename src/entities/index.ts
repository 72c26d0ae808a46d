import { Author } from './Author';
import { Category } from './Category';
import { Post } from './Post';
import { PostAuthor, PostCategory, PostTag } from './PostLinks';
import { PostTerm, RelatedLink, TermStat } from './SearchTables';
import { Tag } from './Tag';

export { Author, Category, Post, PostAuthor, PostCategory, PostTag, PostTerm, RelatedLink, Tag, TermStat };

export const ENTITIES = [Post, Author, Tag, Category, PostAuthor, PostTag, PostCategory, PostTerm, TermStat, RelatedLink];
