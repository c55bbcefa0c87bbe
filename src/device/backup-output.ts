/**
 * Reads idevicebackup2's output as it streams. Its progress is drawn with carriage returns:
 *   "\r[=====                    ]  12% (3.4 MB/27.9 MB)     "   bytes of the current file batch
 *   "\r[==========               ]  21% Finished\n"             overall progress the device reports
 * and it ends with "Received N files from device." and "Backup Successful." / "Backup Failed (Error Code N)." /
 * "Backup Aborted.".
 */

export interface BackupProgress {
  /** Overall percentage the device reports (0–100). */
  percent: number;
  /** Bytes received in the current batch, and that batch's size, as the tool prints them ("3.4 MB"). */
  batchDone: string | null;
  batchTotal: string | null;
}

export type BackupOutcome = 'success' | 'failed' | 'aborted' | 'unknown';

export interface BackupReport {
  outcome: BackupOutcome;
  percent: number;
  filesReceived: number | null;
  /** "Backup Failed (Error Code N)" or the device's "ErrorCode N: text". */
  errorCode: number | null;
  errorText: string | null;
  willEncrypt: boolean | null;
  fullBackup: boolean;
  cancelledOnDevice: boolean;
  /** Lines other than progress, for the error explanation (never shown raw: they may hold paths only). */
  lines: string[];
}

const BAR =
  /\[[= ]{10,}\]\s*(\d{1,3}(?:\.\d+)?)%(?:\s*\(([\d.]+ ?(?:Bytes|[kKMGT]B))\/([\d.]+ ?(?:Bytes|[kKMGT]B))\))?(\s*Finished)?/;

export class BackupOutputParser {
  readonly report: BackupReport = {
    outcome: 'unknown',
    percent: 0,
    filesReceived: null,
    errorCode: null,
    errorText: null,
    willEncrypt: null,
    fullBackup: false,
    cancelledOnDevice: false,
    lines: [],
  };
  private pending = '';
  private batchDone: string | null = null;
  private batchTotal: string | null = null;

  constructor(private readonly onProgress: (progress: BackupProgress) => void = () => undefined) {}

  push(chunk: string): void {
    this.pending += chunk;
    const parts = this.pending.split(/\r\n|\r|\n/);
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.line(part);
    // A progress bar is redrawn in place: read it without waiting for the end of the line.
    if (BAR.test(this.pending) && /\)\s*$|Finished\s*$/.test(this.pending)) {
      this.line(this.pending);
      this.pending = '';
    }
  }

  end(): BackupReport {
    if (this.pending) this.line(this.pending);
    this.pending = '';
    return this.report;
  }

  private line(raw: string): void {
    const text = raw.trim();
    if (!text) return;
    const bar = BAR.exec(text);
    if (bar) {
      const value = Math.min(100, Number(bar[1]));
      if (bar[2] && bar[3]) {
        this.batchDone = bar[2];
        this.batchTotal = bar[3];
      }
      if (bar[4]) {
        // Overall progress from the device.
        if (value >= this.report.percent) this.report.percent = value;
      }
      this.onProgress({
        percent: this.report.percent,
        batchDone: this.batchDone,
        batchTotal: this.batchTotal,
      });
      const rest = text.slice((bar.index ?? 0) + bar[0].length).trim();
      if (rest) this.line(rest);
      return;
    }
    this.report.lines.push(text);
    let match: RegExpExecArray | null;
    if ((match = /^Received (\d+) files? from device/.exec(text)))
      this.report.filesReceived = Number(match[1]);
    else if (/^Backup Successful/.test(text)) this.report.outcome = 'success';
    else if ((match = /^Backup Failed \(Error Code (-?\d+)\)/.exec(text))) {
      this.report.outcome = 'failed';
      this.report.errorCode ??= Number(match[1]);
    } else if (/^Backup Aborted/.test(text)) this.report.outcome = 'aborted';
    else if ((match = /^ErrorCode (\d+): (.*)$/.exec(text))) {
      this.report.errorCode = Number(match[1]);
      this.report.errorText = match[2]!.trim();
    } else if (/^Backup will be encrypted/.test(text)) this.report.willEncrypt = true;
    else if (/^Backup will be unencrypted/.test(text)) this.report.willEncrypt = false;
    else if (/^Full backup mode/.test(text)) this.report.fullBackup = true;
    else if (/User has cancelled the backup process on the device/.test(text))
      this.report.cancelledOnDevice = true;
  }
}
