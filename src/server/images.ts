import type SharpModule from 'sharp';

type Sharp = typeof SharpModule;
let loading: Promise<Sharp> | null = null;

/**
 * sharp (libvips), loaded when the first picture is made: it takes ~30 MB from the moment it is loaded, which a
 * session that shows no photos never needs. One libvips thread per image and a small cache: the UI server
 * shares two cores with the browser.
 */
export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(({ default: sharp }) => {
    sharp.concurrency(1);
    sharp.cache(false);
    return sharp;
  });
  return loading;
}
