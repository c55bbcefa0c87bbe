import type { Readable } from 'node:stream';
import type { PrivateWorkspace } from '../artifacts/workspace.js';
import type { FileRef, SourceFile, SourceFiles } from '../sources/files.js';

const TAG = / \[source (\d+)\]$/;
const keyOf = (ref: FileRef) => `${ref.domain}\0${ref.relativePath}`;

/**
 * The files of several sources behind one SourceFiles, for a merged export. Each FileRef an item carries is
 * claimed by the source its version came from; when another source already claimed the same domain and path
 * (two backups each with their own IMG_0001.JPG), the ref is tagged "CameraRollDomain [source 2]" so it can
 * only ever reach its own source's bytes.
 */
export class MergedFiles implements SourceFiles {
  private readonly owner = new Map<string, number>();

  constructor(private readonly sources: readonly SourceFiles[]) {}

  get workspace(): PrivateWorkspace {
    return this.sources[0]!.workspace;
  }

  /** The ref as the merged items carry it: as it is when the source owns it, else tagged with the source. */
  claim(ref: FileRef, source: number): FileRef {
    const key = keyOf(ref);
    const owner = this.owner.get(key);
    if (owner === undefined) this.owner.set(key, source);
    else if (owner !== source)
      return { domain: `${ref.domain} [source ${source + 1}]`, relativePath: ref.relativePath };
    return ref;
  }

  private resolve(ref: FileRef): { files: SourceFiles; ref: FileRef } | null {
    const tagged = TAG.exec(ref.domain);
    if (tagged) {
      const files = this.sources[Number(tagged[1]) - 1];
      return files
        ? { files, ref: { domain: ref.domain.replace(TAG, ''), relativePath: ref.relativePath } }
        : null;
    }
    const owner = this.owner.get(keyOf(ref)) ?? 0;
    return { files: this.sources[owner]!, ref };
  }

  private need(ref: FileRef): { files: SourceFiles; ref: FileRef } {
    const found = this.resolve(ref);
    if (!found) throw new Error(`${ref.domain}/${ref.relativePath} is not in any source`);
    return found;
  }

  listFiles(): SourceFile[] {
    return this.sources.flatMap((files, i) =>
      files
        .listFiles()
        .map((f) => (i === 0 ? f : { ...f, domain: `${f.domain} [source ${i + 1}]` })),
    );
  }

  stat(ref: FileRef): SourceFile | undefined {
    const found = this.resolve(ref);
    const file = found?.files.stat(found.ref);
    return file ? { ...file, domain: ref.domain } : undefined;
  }

  open(ref: FileRef): Promise<Readable> {
    const { files, ref: own } = this.need(ref);
    return files.open(own);
  }

  read(ref: FileRef): Promise<Buffer> {
    const { files, ref: own } = this.need(ref);
    return files.read(own);
  }

  copyTo(ref: FileRef, dest: string, options?: { mtime?: Date }): Promise<void> {
    const { files, ref: own } = this.need(ref);
    return files.copyTo(own, dest, options);
  }
}

const isRef = (v: unknown): v is FileRef =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as FileRef).domain === 'string' &&
  typeof (v as FileRef).relativePath === 'string';

/** The record with every FileRef in it claimed for `source` (copied where a ref had to be tagged). */
export function claimRefs<T>(item: T, source: number, files: MergedFiles, depth = 0): T {
  if (depth > 12 || typeof item !== 'object' || item === null) return item;
  if (item instanceof Date || Buffer.isBuffer(item) || item instanceof Uint8Array) return item;
  if (Array.isArray(item)) {
    let changed = false;
    const out = item.map((v) => {
      const c = claimRefs(v, source, files, depth + 1);
      if (c !== v) changed = true;
      return c;
    });
    return (changed ? out : item) as T;
  }
  let out: Record<string, unknown> | null = null;
  if (isRef(item)) {
    const claimed = files.claim(item, source);
    if (claimed !== item) out = { ...(item as object), domain: claimed.domain };
  }
  for (const [k, v] of Object.entries(item as object)) {
    const c = claimRefs(v, source, files, depth + 1);
    if (c !== v) (out ??= { ...(item as object) })[k] = c;
  }
  return (out ?? item) as T;
}
