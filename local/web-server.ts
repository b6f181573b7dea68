import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SIMULATOR_HEADERS } from '../shared/config/resources';
import { projectRoot } from './project-root';

/** Where `npm run build` writes the simulator: one self-contained page. */
export const SIMULATOR_DIR = join(projectRoot(), 'dist', 'web');

/**
 * The simulator on 127.0.0.1 (`demarrer` prints its address): GET (or HEAD) / and /index.html only; it
 * receives nothing, the page checks the files in the browser.
 */
export async function serveSimulator(port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const page = await readFile(join(SIMULATOR_DIR, 'index.html')).catch(() => {
    throw new Error(`simulateur absent de ${SIMULATOR_DIR} : lancez « npm run build »`);
  });
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const known = request.method === 'GET' || request.method === 'HEAD';
    if (!known || (path !== '/' && path !== '/index.html')) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SIMULATOR_HEADERS });
      response.end('introuvable\n');
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      ...SIMULATOR_HEADERS,
    });
    response.end(request.method === 'HEAD' ? undefined : page);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
