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

/** V8's default: the young generation doubles each time it grows. */
const DEFAULT_GROWTH_FACTOR = 2;
let holders = 0;

/**
 * Keeps V8's young generation at its present size until the returned release is called. V8 doubles
 * it (up to 16 MB per half) once enough objects have outlived a collection and keeps it grown for the
 * rest of a long job, though a job whose objects die young gains nothing from it. V8 reads the growth
 * factor each time it would grow the space, so setting it works at once, for the whole process; but V8
 * sets it back to its default whenever an isolate starts (a worker thread), so a job that starts
 * threads calls `renew`.
 */
export function holdYoungGeneration(): { renew(): void; release(): void } {
  const hold = () => setFlagsFromString('--semi-space-growth-factor=1');
  if (holders++ === 0) hold();
  let released = false;
  return {
    renew: () => {
      if (!released) hold();
    },
    release: () => {
      if (released) return;
      released = true;
      if (--holders === 0)
        setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
    },
  };
}
