import type { Command } from 'commander';

/** Every CLI command module registers itself on the program through one function. */
export type RegisterCommand = (program: Command) => void;

type CommandModule = () => Promise<{ register: RegisterCommand }>;

/** Each command's module, in the order help lists them. */
const modules: Record<string, CommandModule> = {
  start: () => import('./start.js'),
  list: () => import('./list.js'),
  info: () => import('./info.js'),
  files: () => import('./files.js'),
  extract: () => import('./extract.js'),
  export: () => import('./export.js'),
  diff: () => import('./diff.js'),
  search: () => import('./search.js'),
  decrypt: () => import('./decrypt.js'),
  key: () => import('./key.js'),
  carve: () => import('./carve.js'),
  password: () => import('./password.js'),
  ui: () => import('./ui.js'),
  backup: () => import('./backup.js'),
  'rescue-plan': () => import('./rescue-plan.js'),
};

/**
 * The commands to register for these arguments: only the one named when a command is named (the whole
 * CLI's modules, the UI server and every data type among them, take ~45 MB that an extraction does not
 * need), every one for help, the version or anything else.
 */
export async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const name = argv[2];
  const load =
    name !== undefined && Object.hasOwn(modules, name) ? [modules[name]!] : Object.values(modules);
  return Promise.all(load.map(async (module) => (await module()).register));
}
