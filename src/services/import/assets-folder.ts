import fs from 'node:fs';
import path from 'node:path';
import { imageSize } from 'image-size';
import type { ImageSize } from '../../content';

/**
 * The site's files as `kiji import --assets <dir>` names them: `/assets/img/x.png` is
 * `<dir>/assets/img/x.png`. Reads images' intrinsic sizes for cover images and `<img>` width and
 * height, so apps reserve the space before the image loads. Never throws (an unreadable or
 * unknown file has no size) and never reads outside the folder, symbolic links included: paths
 * come from the content being imported, which anyone may have written.
 */
export class AssetsFolder {
  /** The folder's real path; part of the import's file hash, so another folder re-renders. */
  readonly root: string;
  private readonly sizes = new Map<string, { width: number; height: number } | null>();

  constructor(dir: string) {
    this.root = realPath(path.resolve(dir)) ?? path.resolve(dir);
  }

  /** The size of the image at a path on the site; null when it is not there or not an image. */
  readonly size: ImageSize = (sitePath) => {
    const known = this.sizes.get(sitePath);
    if (known !== undefined) return known;
    const size = this.read(sitePath);
    this.sizes.set(sitePath, size);
    return size;
  };

  private read(sitePath: string): { width: number; height: number } | null {
    if (sitePath.includes('\0')) return null;
    const file = this.inside(path.resolve(this.root, `.${path.posix.sep}${sitePath.replace(/^\/+/, '')}`));
    const real = file && realPath(file);
    if (!real || !this.inside(real)) return null;
    try {
      if (!fs.statSync(real).isFile()) return null;
      const { width, height, orientation } = imageSize(real);
      if (!width || !height) return null;
      // EXIF orientations 5–8 turn the picture a quarter: browsers show it height by width.
      return orientation && orientation >= 5 ? { width: height, height: width } : { width, height };
    } catch {
      return null;
    }
  }

  private inside(file: string): string | null {
    return file === this.root || file.startsWith(this.root + path.sep) ? file : null;
  }
}

function realPath(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}
