import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type: 'minor' | 'major' }) => void;
let gc: Gc | null | undefined;

/**
 * Runs V8's garbage collector now: `minor` collects the young generation only (cheap), `major` the whole
 * heap. V8 offers it only behind --expose-gc; setting the flag at run time gives new contexts a gc()
 * (this one's global is left as it is). Where the collector cannot be reached, nothing happens.
 */
export function runGc(type: 'minor' | 'major'): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const found: unknown = runInNewContext('gc');
      gc = typeof found === 'function' ? (found as Gc) : null;
    } catch {
      gc = null;
    }
  }
  // gc() without options is V8's fullest collection (it also empties what only weak references hold).
  if (type === 'minor') gc?.({ type });
  else gc?.();
}
