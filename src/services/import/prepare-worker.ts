/**
 * A worker thread of an import (file-preparer.ts): prepares files (front matter, repairs, Liquid,
 * rendering, search tokens) with the same content functions as the importer's own thread.
 */
import { postUrlFor } from '../../config';
import { ContentError } from '../../content';
import { AssetsFolder } from './assets-folder';
import { PrepareReply, PrepareRequest, preparePost } from './file-preparer';
import { answerRequests } from '../shared';

/** The import's assets folder, opened once (it caches the images' sizes it reads). */
let assets: AssetsFolder | undefined;

answerRequests((request: PrepareRequest): { reply: PrepareReply } => {
  const { source, settings } = request;
  if (settings.assetsRoot !== undefined && assets?.root !== settings.assetsRoot) assets = new AssetsFolder(settings.assetsRoot);
  const options = {
    postUrl: postUrlFor(settings.postUrlTemplate),
    timeZone: settings.timeZone,
    siteUrl: settings.siteUrl,
    assetUrl: settings.assetUrl,
    imageSize: settings.assetsRoot === undefined ? undefined : assets?.size,
  };
  try {
    return { reply: preparePost(source, options) };
  } catch (error) {
    if (error instanceof ContentError) return { reply: { contentError: { line: error.line, message: error.message } } };
    throw error;
  }
});
