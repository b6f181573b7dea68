import { Buffer } from 'buffer';

/**
 * Node globals the zip reader relies on, for the browser: `Buffer` (the `buffer` package, injected
 * by esbuild where the code names it) and `setImmediate`, by a MessageChannel: setTimeout(0) is
 * clamped to 4 ms once nested, which would make a directory of 10,000 entries take 40 s.
 */
const channel = new MessageChannel();
const queue: Array<() => void> = [];
channel.port1.onmessage = () => queue.shift()?.();

function setImmediatePolyfill(callback: (...args: unknown[]) => void, ...args: unknown[]): number {
  queue.push(() => callback(...args));
  channel.port2.postMessage(null);
  return 0;
}

export { Buffer, setImmediatePolyfill as setImmediate };
