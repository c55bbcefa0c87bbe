/** Turns a phone number, e-mail address or other handle into a person's name, when the contacts know it. */
export interface NameIndex {
  nameFor(handle: string | null | undefined): string | undefined;
}

export const NO_NAMES: NameIndex = { nameFor: () => undefined };
