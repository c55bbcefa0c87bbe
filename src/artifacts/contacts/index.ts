import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const contactsArtifact: Artifact<never> = {
  id: 'contacts',
  title: 'Contacts',
  async read() {
    return { ...emptyData<never>('contacts'), problems: [{ severity: 'error', message: 'Contacts: not supported yet' }] };
  },
};

import type { ArtifactData } from '../artifact.js';
import { NO_NAMES, type NameIndex } from '../names.js';

/** The name index messages, WhatsApp and calls use, built from the contacts read. */
export function nameIndexFrom(_data: ArtifactData<unknown>): NameIndex {
  return NO_NAMES;
}
