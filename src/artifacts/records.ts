import type { ArtifactId } from './artifact.js';
import type { ArtifactItem } from './registry.js';

/** The record type of each data type's items, from the artifact registry. */
export type ArtifactRecords = { [K in ArtifactId]: ArtifactItem<K> };
