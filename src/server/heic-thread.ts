import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** A decoded picture: RGBA, 4 bytes a pixel, rows top to bottom. */
export interface Pixels {
  width: number;
  height: number;
  data: Buffer;
}

/**
 * An idle decoding thread is ended after this long (a screen of the grid, or photos flipped through in the
 * viewer, keep it busy): with libheif compiled and run it holds 50-100 MB that only its end gives back.
 */
const IDLE_MS = 10_000;

let heicWorker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextJob = 0;
const pendingJobs = new Map<number, { resolve: (p: Pixels) => void; reject: (e: Error) => void }>();

/**
 * heic-decode (libheif in WebAssembly; heic-convert's own decoder): the pixels only. heic-convert would
 * also encode a JPEG in JavaScript (jpeg-js: slow, and megabytes of garbage per picture); sharp does
 * that natively on the main side.
 */
const decoderPath = () =>
  createRequire(fileURLToPath(import.meta.resolve('heic-convert'))).resolve('heic-decode');

/** Decoding takes the CPU for a while: it runs in a thread of its own. */
function heicThread(): Worker {
  if (heicWorker) return heicWorker;
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const decode = require(${JSON.stringify(decoderPath())});
     parentPort.on('message', async ({ id, heic }) => {
       try {
         const { width, height, data } = await decode({ buffer: heic });
         const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
         parentPort.postMessage({ id, width, height, pixels, heic }, [pixels.buffer, heic.buffer]);
       } catch (error) {
         const message = String((error && error.message) || error);
         parentPort.postMessage({ id, error: message, heic }, [heic.buffer]);
       }
     });`,
    { eval: true },
  );
  const settle = (id: number) => {
    const job = pendingJobs.get(id);
    pendingJobs.delete(id);
    if (pendingJobs.size === 0) idle(worker);
    return job;
  };
  worker.on(
    'message',
    (m: { id: number; width?: number; height?: number; pixels?: Uint8Array; error?: string }) => {
      const job = settle(m.id);
      if (m.pixels && m.width && m.height)
        job?.resolve({
          width: m.width,
          height: m.height,
          data: Buffer.from(m.pixels.buffer, m.pixels.byteOffset, m.pixels.byteLength),
        });
      else job?.reject(new Error(`HEIC could not be decoded: ${m.error ?? 'no picture'}`));
    },
  );
  const gone = (error: Error) => {
    for (const job of pendingJobs.values()) job.reject(error);
    pendingJobs.clear();
    if (heicWorker === worker) heicWorker = null;
  };
  worker.on('error', gone);
  worker.on('exit', () => gone(new Error('HEIC could not be decoded: the decoding thread ended')));
  heicWorker = worker;
  idle(worker);
  return worker;
}

/** Idle, the thread never holds the process open (unref after the listeners: attaching one refs it), and ends after a while. */
function idle(worker: Worker): void {
  worker.unref();
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (heicWorker === worker && pendingJobs.size === 0) {
      heicWorker = null;
      void worker.terminate();
    }
  }, IDLE_MS);
  idleTimer.unref();
}

/**
 * HEIC → RGBA pixels at full size, off the server's main thread (browsers other than Safari cannot show HEIC).
 * The bytes are handed over: a Buffer that fills its own memory is unusable afterwards.
 */
export function decodeHeic(heic: Buffer): Promise<Pixels> {
  return new Promise((resolve, reject) => {
    const id = nextJob++;
    const worker = heicThread();
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    pendingJobs.set(id, { resolve, reject });
    worker.ref();
    // The bytes go over and come back with the pixels (a thread that makes little garbage of its own would
    // keep every file it was sent until a collection far off): handed over as they are when they fill their
    // own memory, else copied once.
    const whole = heic.byteOffset === 0 && heic.byteLength === heic.buffer.byteLength;
    const memory =
      whole && heic.buffer instanceof ArrayBuffer ? heic.buffer : Uint8Array.from(heic).buffer;
    worker.postMessage({ id, heic: new Uint8Array(memory) }, [memory]);
  });
}

/** Starts the decoding thread ahead of need (loading libheif takes a moment: not while a screen waits). */
export function warmHeicThread(): void {
  heicThread();
}
