import type { HashTarget } from './hash-line.js';

/** A HashTarget as plain data that crosses a thread boundary. */
export interface TransferTarget {
  version: 9 | 10;
  wrappedKey: string;
  iterations: number;
  salt: string;
  dpic: number | null;
  dpsl: string | null;
}

export interface BatchRequest {
  id: number;
  target: TransferTarget;
  backend: string;
  /** The SHA-1 stage, chosen once by the main thread. */
  sha1: string;
  candidates: string[];
}

export interface BatchReply {
  id: number;
  /** Index of the candidate that unlocks the target, or -1. */
  hit: number;
  /** Time the worker spent on the batch. */
  seconds: number;
  error?: string;
}

export function targetToTransfer(t: HashTarget): TransferTarget {
  return {
    ...t,
    wrappedKey: t.wrappedKey.toString('hex'),
    salt: t.salt.toString('hex'),
    dpsl: t.dpsl?.toString('hex') ?? null,
  };
}

export function targetFromTransfer(t: TransferTarget): HashTarget {
  return {
    ...t,
    wrappedKey: Buffer.from(t.wrappedKey, 'hex'),
    salt: Buffer.from(t.salt, 'hex'),
    dpsl: t.dpsl === null ? null : Buffer.from(t.dpsl, 'hex'),
  };
}
