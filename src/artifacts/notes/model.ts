import type { RecoveredMark } from '../artifact.js';

/** One stretch of text with the same formatting inside a paragraph. */
export interface NoteRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  /** >0 superscript, <0 subscript. */
  superscript?: number;
  link?: string;
  /** The run is an attachment (U+FFFC in the text): its ZIDENTIFIER. */
  attachmentId?: string;
  attachmentUti?: string;
}

export type NoteParagraphStyle =
  | 'title'
  | 'heading'
  | 'subheading'
  | 'body'
  | 'monospaced'
  | 'bulleted'
  | 'dashed'
  | 'numbered'
  | 'checklist';

export interface NoteParagraph {
  style: NoteParagraphStyle;
  /** List nesting (0 = top level). */
  indent: number;
  /** Checklist items: ticked or not. */
  done?: boolean;
  blockQuote?: boolean;
  runs: NoteRun[];
}

export type NoteAttachmentKind =
  | 'image'
  | 'scan'
  | 'drawing'
  | 'pdf'
  | 'table'
  | 'url'
  | 'audio'
  | 'video'
  | 'file'
  | 'hashtag'
  | 'mention'
  | 'link'
  | 'other';

/** A file of the backup an attachment points to (domain + path), copied out by the exporter. */
export interface NoteFileRef {
  domain: string;
  relativePath: string;
  /** Name to give it when exported. */
  name: string;
  /** The real media file, or a preview/fallback image standing in for it. */
  role: 'media' | 'fallback' | 'preview';
}

export interface NoteAttachment {
  /** ZIDENTIFIER of the attachment (the id the note text refers to). */
  id: string;
  uti: string | null;
  kind: NoteAttachmentKind;
  title: string | null;
  /** Files to export, best first; empty when the backup does not hold any. */
  files: NoteFileRef[];
  /** Scans: the pages (each with its own files). */
  pages?: NoteAttachment[];
  url?: string | null;
  /** Hashtags and mentions: the text shown. */
  altText?: string | null;
  /** Tables: rows of cells, each cell its own paragraphs; null when the table could not be decoded. */
  table?: NoteParagraph[][][] | null;
  /** Why something is missing ("table not decoded: ...", "media file not in backup"). */
  note?: string;
}

export type NoteLockState = 'decrypted' | 'no-password' | 'wrong-password' | 'unsupported';

export interface Note {
  /** ZIDENTIFIER (or "legacy-<Z_PK>" for old notes.sqlite notes). */
  id: string;
  pk: number;
  title: string;
  snippet: string | null;
  account: string | null;
  folder: string | null;
  folderId: string | null;
  /** In the Recently Deleted folder (or flagged deleted in a legacy store). */
  inRecentlyDeleted: boolean;
  pinned: boolean;
  created: Date | null;
  modified: Date | null;
  /** Password-protected note. */
  locked: boolean;
  lockState?: NoteLockState;
  /** Null when the body could not be read (locked, missing or undecodable). */
  paragraphs: NoteParagraph[] | null;
  /** The plain text of the body. */
  text: string | null;
  attachments: NoteAttachment[];
  /** icloud-export: a note of Apple's data export (plain text, attachments beside it). */
  store: 'notestore' | 'legacy' | 'icloud-export';
  /** Set when the note came back from deleted space in the database. */
  recovered?: RecoveredMark;
  /** What could not be read for this note. */
  issues: string[];
}
