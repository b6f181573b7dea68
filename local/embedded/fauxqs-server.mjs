// Runs fauxqs (ESM-only) in its own process and prints its port as one JSON line: the CommonJS side
// (jest, the CLI bundle) talks to it over HTTP like any AWS endpoint. Stops on SIGTERM or when its
// parent goes away (stdin closes).
import { startFauxqs } from 'fauxqs';

// A copy keeps its source's ETag, not hashed again (see s3-copy-etag.mjs). Before the disk store,
// which extends the same putObject.
const { copiesKeepTheirEtag } = await import('./s3-copy-etag.mjs');
await copiesKeepTheirEtag();

// `--state`: every object written to disk before S3 answers (see s3-disk-store.mjs).
const stateDir = process.env.SEGUR_S3_STATE_DIR;
if (stateDir) {
  const { keepOnDisk } = await import('./s3-disk-store.mjs');
  await keepOnDisk(stateDir);
}

const server = await startFauxqs({
  port: Number(process.env.FAUXQS_PORT ?? 0),
  host: '127.0.0.1',
  logger: false,
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
