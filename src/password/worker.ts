// One search thread: checks batches of candidates against a target and reports the first hit.
import { parentPort } from 'node:worker_threads';
import { backendByName } from './native.js';
import { findPassword } from './verifier.js';
import { targetFromTransfer, type BatchRequest, type BatchReply } from './worker-protocol.js';

parentPort!.on('message', (request: BatchRequest) => {
  let reply: BatchReply;
  const started = process.hrtime.bigint();
  try {
    const hit = findPassword(
      targetFromTransfer(request.target),
      backendByName(request.backend, request.sha1),
      request.candidates,
    );
    reply = { id: request.id, hit, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } catch (error) {
    reply = { id: request.id, hit: -1, seconds: 0, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
