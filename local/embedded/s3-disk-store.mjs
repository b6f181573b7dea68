// The embedded S3 kept on disk (`--state`), written through: fauxqs holds its objects in memory, so
// its store is extended here, in its own process, to write every object to disk before S3 answers
// the request, and to read them back when a bucket is created again at the next start.
//
// - One file per object: <dir>/<bucket>/<sha256 of the key>.obj, a JSON header line (the key, its
//   ETag, type, date, metadata) then the bytes. Any key fits (no name is ever too long), and the
//   key read back is checked against the header.
// - Every write is atomic: a temporary file, flushed (fsync), then renamed over the old one; a kill
//   at any moment leaves the old object or the new one, never half of one. Leftover temporary files
//   are removed at start and never stop it.
// - Only what changes is written: an upload writes its object, a delete removes its file.
// - The folder of the earlier format (file names URL-encoded, copied whole at each save, with its
//   `.next` copy) is read once and rewritten in this one.
//
// It extends fauxqs's S3Store by its prototype: fauxqs is pinned (1.9.2) and
// test/integration/pipeline-state.test.ts checks that objects survive a kill.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

const SUFFIX = '.obj';

export async function keepOnDisk(dir) {
  const appUrl = import.meta.resolve('fauxqs');
  const { S3Store } = await import(new URL('./s3/s3Store.js', appUrl).href);
  const proto = S3Store.prototype;
  const original = {
    createBucket: proto.createBucket,
    putObject: proto.putObject,
    completeMultipartUpload: proto.completeMultipartUpload,
    deleteObject: proto.deleteObject,
  };
  mkdirSync(dir, { recursive: true });

  proto.createBucket = function createBucket(name) {
    const isNew = !this.hasBucket(name);
    original.createBucket.call(this, name);
    if (isNew) loadBucket(this, name, join(dir, name));
  };
  proto.putObject = function putObject(bucket, key, body, contentType, metadata) {
    const object = original.putObject.call(this, bucket, key, body, contentType, metadata);
    writeObject(join(dir, bucket), object);
    return object;
  };
  proto.completeMultipartUpload = function completeMultipartUpload(uploadId, parts) {
    const bucket = this.multipartUploads.get(uploadId)?.bucket;
    const object = original.completeMultipartUpload.call(this, uploadId, parts);
    if (bucket) writeObject(join(dir, bucket), object);
    return object;
  };
  proto.deleteObject = function deleteObject(bucket, key) {
    original.deleteObject.call(this, bucket, key);
    rmSync(join(dir, bucket, fileName(key)), { force: true });
  };
}

function fileName(key) {
  return `${createHash('sha256').update(key, 'utf8').digest('hex')}${SUFFIX}`;
}

function writeObject(folder, object) {
  mkdirSync(folder, { recursive: true });
  const header = Buffer.from(
    `${JSON.stringify({
      key: object.key,
      etag: object.etag,
      contentType: object.contentType,
      lastModified: object.lastModified.toISOString(),
      metadata: object.metadata,
    })}\n`,
    'utf8',
  );
  const target = join(folder, fileName(object.key));
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, header);
    writeSync(fd, object.body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
}

function readObject(path) {
  const bytes = readFileSync(path);
  const end = bytes.indexOf(0x0a);
  if (end < 0) return undefined;
  try {
    const header = JSON.parse(bytes.subarray(0, end).toString('utf8'));
    return { header, body: bytes.subarray(end + 1) };
  } catch {
    return undefined;
  }
}

/** The bucket's objects back into the store, as they were (ETag and date kept, not recomputed). */
function loadBucket(store, bucket, folder) {
  const objects = store.buckets.get(bucket);
  for (const legacy of [`${folder}.next`, folder]) migrateLegacy(legacy, folder);
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (!name.endsWith(SUFFIX)) {
      // A temporary file of a write the kill interrupted: the object before it is still there.
      if (name.endsWith('.tmp')) unlinkSync(path);
      continue;
    }
    const read = readObject(path);
    if (!read || fileName(read.header.key) !== name) {
      process.stderr.write(`état S3 : ${path} illisible, mis de côté\n`);
      renameSync(path, `${path}.illisible`);
      continue;
    }
    objects.set(read.header.key, {
      key: read.header.key,
      body: read.body,
      contentType: read.header.contentType,
      contentLength: read.body.length,
      etag: read.header.etag,
      lastModified: new Date(read.header.lastModified),
      metadata: read.header.metadata ?? {},
    });
  }
}

/**
 * The earlier format: one file per object named by its URL-encoded key, the whole folder copied at
 * each save (`<bucket>.next`, then renamed). Each object is rewritten in the new format, then its
 * old file removed; the newest copy wins (`.next` is read first, the older folder only for keys
 * it lacks).
 */
function migrateLegacy(legacyFolder, folder) {
  if (!existsSync(legacyFolder)) return;
  for (const name of readdirSync(legacyFolder)) {
    if (name.endsWith(SUFFIX) || name.endsWith('.tmp') || name.endsWith('.illisible')) continue;
    const path = join(legacyFolder, name);
    let key;
    try {
      key = decodeURIComponent(name);
    } catch {
      continue;
    }
    if (!existsSync(join(folder, fileName(key)))) {
      const body = readFileSync(path);
      writeObject(folder, {
        key,
        body,
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
        contentType: 'application/octet-stream',
        lastModified: new Date(),
        metadata: {},
      });
    }
    unlinkSync(path);
  }
  if (legacyFolder !== folder) rmSync(legacyFolder, { recursive: true, force: true });
}
