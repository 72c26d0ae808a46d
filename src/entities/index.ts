import { Author } from './Author';
import { Category } from './Category';
import { Post } from './Post';
import { PostAuthor, PostCategory, PostTag } from './PostLinks';
import { Tag } from './Tag';

export { Author, Category, Post, PostAuthor, PostCategory, PostTag, Tag };

export const ENTITIES = [Post, Author, Tag, Category, PostAuthor, PostTag, PostCategory];
