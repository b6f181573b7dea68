/**
 * Node modules that yauzl requires at load time but whose functions the simulator never calls
 * (files are opened by the browser, entries never inflated as streams): each class or function
 * throws if it ever is, rather than failing silently.
 */
function unavailable(): never {
  throw new Error('fonction de Node indisponible dans le navigateur');
}

export class Transform {
  constructor() {
    unavailable();
  }
}
export class PassThrough extends Transform {}
export class Writable extends Transform {}
export class Readable extends Transform {}
export const open = unavailable;
export const close = unavailable;
export const read = unavailable;
export const fstat = unavailable;
export const createReadStream = unavailable;
export default { Transform, PassThrough, Writable, Readable, open, close, read, fstat, createReadStream };
