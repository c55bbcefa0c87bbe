import { Worker } from 'node:worker_threads';

let heicWorker: Worker | null = null;
let nextJob = 0;
const pendingJobs = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();

/** heic-convert (libheif in WebAssembly) takes the CPU for a while: it runs in a thread of its own. */
function heicThread(): Worker {
  if (heicWorker) return heicWorker;
  const module = JSON.stringify(import.meta.resolve('heic-convert'));
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const ready = import(${module}).then((m) => m.default);
     parentPort.on('message', async ({ id, heic }) => {
       try {
         const out = await (await ready)({ buffer: heic, format: 'JPEG', quality: 0.85 });
         const jpeg = new Uint8Array(out);
         parentPort.postMessage({ id, jpeg }, [jpeg.buffer]);
       } catch (error) {
         parentPort.postMessage({ id, error: String((error && error.message) || error) });
       }
     });`,
    { eval: true },
  );
  worker.on('message', (m: { id: number; jpeg?: Uint8Array; error?: string }) => {
    const job = pendingJobs.get(m.id);
    pendingJobs.delete(m.id);
    if (pendingJobs.size === 0) worker.unref();
    if (m.jpeg) job?.resolve(Buffer.from(m.jpeg.buffer, m.jpeg.byteOffset, m.jpeg.byteLength));
    else job?.reject(new Error(`HEIC could not be decoded: ${m.error}`));
  });
  worker.on('error', (error) => {
    for (const job of pendingJobs.values()) job.reject(error);
    pendingJobs.clear();
    heicWorker = null;
  });
  // Idle, the thread never holds the process open (unref after the listeners: attaching one refs it).
  worker.unref();
  heicWorker = worker;
  return worker;
}

/** HEIC → JPEG at full size, off the server's main thread (browsers other than Safari cannot show HEIC). */
export function decodeHeic(heic: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const id = nextJob++;
    pendingJobs.set(id, { resolve, reject });
    const worker = heicThread();
    worker.ref();
    worker.postMessage({ id, heic });
  });
}

/** Starts the decoding thread ahead of need (loading libheif takes a moment: not while a screen waits). */
export function warmHeicThread(): void {
  heicThread();
}
