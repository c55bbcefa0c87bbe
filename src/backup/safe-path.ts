import { isAbsolute, join, resolve, sep } from 'node:path';

/**
 * Where `OUT/<domain>/<relativePath>` goes, or the reason it is refused: names come from the backup,
 * so anything that could escape OUT (`..`, absolute paths, NUL, drive letters) is refused.
 */
export function safeOutputPath(
  outDir: string,
  domain: string,
  relativePath: string,
): { path: string } | { refused: string } {
  const root = resolve(outDir);
  if (domain.includes('\0') || relativePath.includes('\0'))
    return { refused: 'contains a NUL byte' };
  if (!domain || /[\\/]/.test(domain) || domain === '.' || domain === '..')
    return { refused: 'unsafe domain name' };
  if (isAbsolute(relativePath) || /^[\\/]/.test(relativePath) || /^[a-zA-Z]:/.test(relativePath))
    return { refused: 'absolute path' };
  const segments = relativePath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return { refused: 'path climbs out with ..' };
  const path = resolve(join(root, domain, ...segments));
  if (path !== join(root, domain) && !path.startsWith(join(root, domain) + sep))
    return { refused: 'path escapes the output folder' };
  return { path };
}
