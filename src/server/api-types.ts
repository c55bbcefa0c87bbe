/**
 * What the UI server's API sends, shared with the web front end through `import type` (erased when the
 * page is built, so no server code reaches the browser). Types the server already has are reused here.
 */
import type { ArtifactData, ArtifactId, Problem, RecoveredMark } from '../artifacts/artifact.js';
import type { ConversationMessage } from '../artifacts/conversation.js';
import type { ArtifactDescriptor } from '../artifacts/declaration.js';
import type { MissingSummary } from '../artifacts/missing.js';
import type { ArtifactRecords } from '../artifacts/records.js';
import type { PasswordGuidance } from '../device/password-guidance.js';
import type { SourceSummary } from '../sources/summary.js';
import type { RescuePlan } from '../device/rescue-plan.js';
import type { RecoverResult } from '../password/recover.js';
import type { SavedArtifact } from './save.js';
import type { ArtifactCount } from './session.js';

/** A value as it arrives after JSON: dates as ISO text, byte arrays as their size, bigints as text. */
export type Wire<T> = T extends Date
  ? string
  : T extends Uint8Array
    ? { $bytes: number }
    : T extends bigint
      ? string
      : T extends readonly (infer U)[]
        ? Wire<U>[]
        : T extends object
          ? { [K in keyof T]: Wire<T[K]> }
          : T;

export type { ArtifactRecords } from '../artifacts/records.js';

export type ErrorCode = 'wrong-password' | 'not-found' | 'failed' | 'unauthorised';
/** The body of every error answer, and of a job's `error` event. */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
}

/** GET /api/artifacts: the data types, in the order the page shows them. */
/** A data type as the page needs it, from its module's declaration. */
export type ArtifactInfo = Pick<
  ArtifactDescriptor,
  'title' | 'formats' | 'defaultFormats' | 'needsNames'
> & { id: ArtifactId };
export interface ArtifactsResponse {
  artifacts: ArtifactInfo[];
}

/** A backup or an iCloud export, as the UI lists it (`kind` tells them apart). */
export type BackupInfo = SourceSummary & {
  id: string;
  demo: boolean;
  locked: boolean;
  /** Files in the index (folders not counted), once unlocked (an export's, once opened). */
  files: number | null;
};
/** A backup that could not be described still appears in the list, with why. */
interface UnreadableBackup {
  id: string;
  path: string;
  demo: boolean;
  error: string;
}
export type ListedBackup =
  | (BackupInfo & { error?: never })
  | (UnreadableBackup & { [K in Exclude<keyof BackupInfo, keyof UnreadableBackup>]?: never });

/** GET /api/backups */
export interface BackupsResponse {
  roots: string[];
  /** The backups named on the command line: the page opens the first one. */
  initial: string[];
  backups: ListedBackup[];
}
/** POST /api/backups/open */
export interface OpenResponse {
  opened: ListedBackup[];
}

/** GET /api/backups/:id/artifacts/:artifact, before JSON (see Wire). */
export interface ArtifactPayload<T = unknown> extends Omit<
  ArtifactData<T>,
  'artifact' | 'missing' | 'indexed'
> {
  id: ArtifactId;
  /** What the backup lists for this data type without its data, grouped by why. */
  missing: MissingSummary;
  title: string;
  /** Contact names for the numbers and addresses the items mention. */
  names: Record<string, string>;
}
export type ArtifactResponse<Id extends ArtifactId = ArtifactId> = Wire<
  ArtifactPayload<ArtifactRecords[Id]>
>;

/** GET /api/backups/:id/files (no domain): the domains, with their files and bytes. */
export interface DomainsResponse {
  domains: { name: string; files: number; bytes: number }[];
}
/** GET /api/backups/:id/files?domain=D */
export interface DomainFilesResponse {
  domain: string;
  files: { path: string; size: number; modified: number; present: boolean }[];
}

/** POST /api/backups/:id/zip: a one-time download link. */
export interface ZipTicket {
  url: string;
}

/** Long work answers 202 with the job to follow at /api/jobs/:job/events. */
export interface JobStarted {
  job: string;
}
/** A job's `progress` event. */
export interface JobProgress {
  stage?: string;
  message?: string;
  done?: number;
  total?: number;
  [key: string]: unknown;
}
/** The `done` event of each kind of job. */
export interface UnlockResult {
  unlocked: true;
  files?: number;
}
export interface ScanResult {
  summary: BackupInfo;
  counts: ArtifactCount[];
}
export interface SaveResult {
  folder: string;
  results: SavedArtifact[];
}
export type RecoverOutcome = Pick<
  RecoverResult,
  'found' | 'stopped' | 'tried' | 'seconds' | 'password'
> & {
  /** Why the search was not run (longer than a day). */
  refused?: string;
  /** What can still be done, when the password was not found. */
  guidance?: PasswordGuidance | null;
};

export type { ArtifactCount, PasswordGuidance, RescuePlan, SavedArtifact };

/** POST /api/history/search (a job): one search over every readable backup of this session. */
export interface SearchRequest {
  query: string;
  /** Data types (search's names: messages, contacts, files…); all when absent. */
  only?: string[];
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
}
export interface SearchHitInfo {
  type: string;
  title: string;
  /** The matching text, matches between « and ». */
  snippet: string;
  date: string | null;
  recovered: boolean;
  /** The backup's label ("Alex's iPhone 2025-03-01") and id in this session. */
  source: string;
  backup: string;
  /** Where the UI shows it: #/b/<backup>/a/<type>/<ref>. */
  link: string;
}
export interface SearchResult {
  hits: SearchHitInfo[];
  /** Backups searched, and those left out with why (locked, unreadable). */
  searched: number;
  skipped: { backup: string; path: string; reason: string }[];
}

/** GET /api/history/devices: this session's backups grouped by device, newest first. */
export interface DevicesResponse {
  devices: {
    device: string;
    deviceName: string | null;
    model: string | null;
    backups: {
      id: string;
      path: string;
      lastBackupDate: string | null;
      archived: boolean;
      encrypted: boolean;
      locked: boolean;
    }[];
  }[];
}
/** POST /api/history/compare (a job) and /api/history/compare/save (a job, with `folder`). */
export interface CompareRequest {
  old: string;
  new: string;
  only?: string[];
  folder?: string;
}
export interface CompareEntryInfo {
  type: string;
  change: 'lost' | 'added' | 'changed';
  date: string | null;
  text: string;
  stillInDeletedSpace?: boolean;
}
export interface CompareResult {
  old: { id: string; label: string };
  new: { id: string; label: string };
  types: {
    id: string;
    title: string;
    lost: number;
    added: number;
    changed: number;
    stillInDeletedSpace: number;
  }[];
  /** Lost first, then added, then changed; at most `limit` of them (`truncated` says when more). */
  entries: CompareEntryInfo[];
  truncated: boolean;
  problems: string[];
}
export interface CompareSaveResult {
  folder: string;
  /** Lost records written per data type (a conversation's context messages not counted). */
  saved: { id: string; title: string; lost: number; files: number }[];
}

/** Item numbers chosen by the photo grid's filters. */
export type PhotoFilter = 'all' | 'deleted' | 'hidden' | 'recovered';
/**
 * GET /api/backups/:id/photos/timeline?filter=F&album=A: the grid's photos, newest first, as parallel arrays
 * (item number, taken at in seconds since 1970 or null, PHOTO_FLAG bits, seconds of video).
 */
export interface PhotoTimeline {
  total: number;
  filter: PhotoFilter;
  album: string | null;
  counts: Record<PhotoFilter, number>;
  albums: { name: string; count: number }[];
  index: number[];
  time: (number | null)[];
  flags: number[];
  duration: number[];
  problems: Problem[];
  notInBackup: string[];
  missing: MissingSummary;
}

/** GET /api/backups/:id/artifacts/:artifact/items/:n: one item, with names for its numbers. */
export interface ItemResponse<Id extends ArtifactId = ArtifactId> {
  index: number;
  item: Wire<ArtifactRecords[Id]>;
  names: Record<string, string>;
}

/** One conversation as the list shows it (its messages are fetched in pages). */
export interface ConversationSummary {
  index: number;
  /** The group name, or the participants by name (from Contacts) or number. */
  name: string;
  handles: string[];
  service: string | null;
  isGroup: boolean;
  messages: number;
  first: string | null;
  last: string | null;
  lastText: string | null;
  recovered: RecoveredMark | null;
  recoveredMessages: number;
}
/** GET /api/backups/:id/conversations/:artifact?q=: conversations, most recent first. */
export interface ConversationList {
  total: number;
  conversations: ConversationSummary[];
  problems: Problem[];
  notInBackup: string[];
  missing: MissingSummary;
}

export type WireMessage = Wire<ConversationMessage> & { index: number };
/**
 * GET /api/backups/:id/conversations/:artifact/:n/messages?from=I&count=N, ?before=I, ?after=I or ?date=ISO:
 * a page of one conversation's messages (oldest first; `start` is the first one's number).
 */
export interface MessagePage {
  conversation: Omit<ConversationSummary, 'lastText'> & {
    participants: { handle: string; name?: string }[];
  };
  total: number;
  start: number;
  messages: WireMessage[];
  names: Record<string, string>;
  /** Replies whose original is elsewhere in the thread: the original's text by id (null: it has none). */
  originals: Record<string, string | null>;
}
/** GET .../:n/search?q=: the numbers of the messages whose shown text matches, oldest first. */
export interface MessageSearch {
  q: string;
  total: number;
  hits: number[];
}

/** POST /api/backups/:id/zip: the download's address, and the job that reports its progress. */
export interface ZipStarted extends ZipTicket {
  job: string;
}

/** GET /api/backups/:id/hash-line: the password hash for hashcat / John the Ripper, and how to run them. */
export interface HashLineResponse {
  line: string;
  hashcat: string;
  john: string;
}

/** GET /api/time: the zone every time on the page is shown in, named once per page. */
export interface TimeSettings {
  zone: string;
  /** `reclaim ui --utc` / `reclaim start --utc`: times in UTC, each marked. */
  utc: boolean;
}
