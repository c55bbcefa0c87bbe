import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PrivateWorkspace } from '../artifacts/workspace.js';
import {
  findExportLayout,
  missingParts,
  type ExportLayout,
  type LayoutFolder,
  type MissingPart,
} from './discover.js';
import { LIMITS } from './limits.js';
import { FolderVolume, ZipVolume, type Volume } from './volume.js';
import { ZipArchive } from './zip.js';

/**
 * Every archive of an export, opened: the downloaded zips, the folders parts were extracted into, and the zips
 * nested in either (to LIMITS.nestingDepth). An archive that cannot be read is a problem line, and the rest is
 * still read.
 */
export class ExportSet {
  readonly volumes: Volume[] = [];
  readonly problems: string[] = [];
  readonly missing: MissingPart[];

  private constructor(
    readonly layout: ExportLayout,
    private readonly workspace: () => PrivateWorkspace,
  ) {
    this.missing = missingParts([
      ...layout.zips.map((z) => basename(z.path)),
      ...layout.folders.filter((f) => f.path !== layout.path).map((f) => basename(f.path)),
    ]);
  }

  /** Null when `path` holds no zip and no file at all. */
  static async open(path: string, workspace: () => PrivateWorkspace): Promise<ExportSet | null> {
    const layout = findExportLayout(path);
    if (!layout) return null;
    const set = new ExportSet(layout, workspace);
    for (const zip of layout.zips) {
      try {
        const archive = await ZipArchive.openFile(zip.path, zip.size, zip.id);
        await set.add(new ZipVolume(zip.id, basename(zip.path), null, archive), 0);
      } catch (error) {
        const copy = layout.copies.get(zip.path);
        set.problems.push(
          `${zip.id}: not a readable zip (${(error as Error).message})${copy ? `; read its extracted copy ${copy.id} instead` : ': download it again'}`,
        );
        if (copy) await set.addFolder(copy);
      }
    }
    for (const folder of layout.folders) await set.addFolder(folder);
    return set;
  }

  private async addFolder(folder: LayoutFolder): Promise<void> {
    const volume = new FolderVolume(
      folder.id,
      basename(folder.path),
      null,
      folder.path,
      folder.skip,
      folder.loose,
    );
    if (volume.files.size > 0 || volume.innerZips.length > 0) await this.add(volume, 0);
  }

  private async add(volume: ZipVolume | FolderVolume, depth: number): Promise<void> {
    this.volumes.push(volume);
    if (volume instanceof ZipVolume) {
      for (const entry of volume.innerZips) {
        const id = `${volume.id}!/${entry.path}`;
        await this.nested(volume, entry.path, entry.size, depth, id, () =>
          volume.archive.nested(entry, id, () => this.workspace().folder()),
        );
      }
    } else {
      for (const path of volume.innerZips) {
        const full = join(volume.dir, ...path.split('/'));
        const size = statSync(full).size;
        const id = `${volume.id}${path}`;
        await this.nested(volume, path, size, depth, id, () => ZipArchive.openFile(full, size, id));
      }
    }
  }

  /** Opens a zip inside a volume; one too deep, or unreadable, stays a plain file of its parent. */
  private async nested(
    parent: ZipVolume | FolderVolume,
    path: string,
    size: number,
    depth: number,
    id: string,
    open: () => Promise<ZipArchive>,
  ): Promise<void> {
    const keepAsFile = (why: string) => {
      parent.problems.push(`${id}: ${why}; kept as a file`);
      const entry = parent instanceof ZipVolume ? parent.archive.entries.get(path) : undefined;
      parent.files.set(path, entry ?? { path, size, modified: null });
    };
    if (depth + 1 > LIMITS.nestingDepth) return keepAsFile('zips nested this deep are not opened');
    try {
      const archive = await open();
      await this.add(new ZipVolume(id, basename(path), parent, archive, path), depth + 1);
    } catch (error) {
      keepAsFile(`not a readable zip (${(error as Error).message})`);
    }
  }

  volume(id: string): Volume | undefined {
    return this.volumes.find((v) => v.id === id);
  }

  close(): void {
    for (const volume of [...this.volumes].reverse()) {
      try {
        volume.close();
      } catch {
        /* already closed */
      }
    }
  }
}
