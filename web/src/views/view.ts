import type { FunctionComponent } from 'preact';
import type { ArtifactId } from '../../../src/artifacts/artifact.js';
import type { ArtifactRecords, Wire } from '../../../src/server/api-types.js';
import type { SelectionApi } from '../state.js';

export interface ViewProps {
  backup: string;
  sel: SelectionApi;
  /** The item open now, from the address (#/b/ID/a/TYPE/N): back and forward work, a link reopens it. */
  open: number | null;
}

/** How the page shows one data type: its name in the menu and heading, and its page. */
export interface View {
  label: string;
  Page: FunctionComponent<ViewProps>;
}

/** One item of a data type, as the page receives it. */
export type ItemOf<Id extends ArtifactId> = Wire<ArtifactRecords[Id]>;

/** The field names of a data type's items (of any of its kinds, for a union such as Safari's). */
export type FieldOf<Id extends ArtifactId> =
  ItemOf<Id> extends infer T ? (T extends unknown ? keyof T & string : never) : never;
