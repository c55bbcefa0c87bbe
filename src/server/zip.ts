import { rmSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import type { Job } from './jobs.js';
import { listFiles, saveSelection, type Selection } from './save.js';
import type { BackupHandle } from './session.js';

/** Files already compressed: stored as they are (deflating them again costs CPU and gains nothing). */
const STORED = /\.(jpe?g|heic|heif|png|gif|webp|mov|mp4|m4v|m4a|aac|mp3|amr|caf|opus|zip|gz)$/i;
const isPartial = (file: string) => basename(file).startsWith('.');

/**
 * A zip of the selection that streams while it is built: the exporters write into a private folder, and each
 * file joins the zip as soon as it is complete (they all appear by rename), so the download starts at once.
 */
export class StreamingZip {
  readonly body = new PassThrough();
  private readonly zip = new yazl.ZipFile();
  private readonly added = new Set<string>();
  bytes = 0;

  /** `folder`: a new private folder of the source's workspace, removed when the download ends. */
  constructor(
    private readonly handle: BackupHandle,
    private readonly selection: Selection,
    private readonly folder: string,
  ) {
    const counter = new Transform({
      transform: (chunk: Buffer, _e, done) => {
        this.bytes += chunk.length;
        done(null, chunk);
      },
    });
    this.zip.outputStream.pipe(counter).pipe(this.body);
    const cleanup = () => rmSync(this.folder, { recursive: true, force: true });
    this.body.once('close', cleanup);
    this.body.once('error', cleanup);
  }

  private collect(): void {
    for (const file of listFiles(this.folder)) {
      if (this.added.has(file) || isPartial(file)) continue;
      this.added.add(file);
      this.zip.addFile(join(this.folder, file), file.split(sep).join('/'), {
        compress: !STORED.test(file),
      });
    }
  }

  /** Exports and zips; resolves once the last byte has been handed to the download. */
  async run(job: Job): Promise<{ files: number; bytes: number }> {
    let exported = { done: 0, total: 0, title: '' };
    const report = () =>
      job.progress({
        stage: 'zip',
        done: exported.done,
        total: exported.total,
        bytes: this.bytes,
        message: exported.title
          ? `Adding ${exported.title} (${this.added.size} files, ${(this.bytes / 1e6).toFixed(1)} MB sent)…`
          : 'Starting…',
      });
    const timer = setInterval(() => {
      this.collect();
      report();
    }, 250);
    try {
      await saveSelection(this.handle, this.selection, this.folder, {
        signal: job.abort.signal,
        onProgress: (p) => {
          exported = p;
        },
      });
      this.collect();
      this.zip.end();
      await finished(this.body);
    } catch (error) {
      this.body.destroy(error as Error);
      throw error;
    } finally {
      clearInterval(timer);
    }
    report();
    return { files: this.added.size, bytes: this.bytes };
  }
}
