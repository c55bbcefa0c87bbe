import type { Command } from 'commander';

/** Every CLI command module registers itself on the program through one function. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
