import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LINKS } from '../config/resources';
import type { OutputLinks } from '../pipeline/notification-email';
import type { OutputLinkSigner } from '../pipeline/ports';

/** Seconds kept between the link's end and the signing credentials' end, so that it never outlives them. */
const CREDENTIALS_MARGIN_SECONDS = 60;

/**
 * Presigned HTTPS GETs for a result's outputs (`s3://bucket/key`), valid `hours` at most: never
 * beyond SigV4's 7 days nor the expiry of the credentials signing them (a role session's), so that
 * the expiry the email states is the one that applies.
 */
async function presignedLinks(
  s3: S3Client,
  uris: ReadonlyArray<string | null>,
  hours: number,
  now: Date,
): Promise<OutputLinks> {
  const credentials = await s3.config.credentials();
  let seconds = Math.min(hours, LINKS.maxExpiryHours) * 3600;
  if (credentials.expiration)
    seconds = Math.min(
      seconds,
      Math.floor((credentials.expiration.getTime() - now.getTime()) / 1000) - CREDENTIALS_MARGIN_SECONDS,
    );
  const links = new Map<string, { url: string; expiresAt: string }>();
  if (seconds <= 0) return links;
  const expiresAt = new Date(now.getTime() + seconds * 1000).toISOString();
  for (const uri of uris) {
    const match = uri ? /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) : null;
    if (!uri || !match) continue;
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: match[1], Key: match[2] }), {
      expiresIn: seconds,
    });
    links.set(uri, { url, expiresAt });
  }
  return links;
}

/** The notifier's signer: links valid `hours` at most, signed with the function's own credentials. */
export class PresignedLinkSigner implements OutputLinkSigner {
  constructor(
    private readonly s3: S3Client,
    private readonly hours: number,
  ) {}

  sign(uris: ReadonlyArray<string | null>, now: Date): Promise<OutputLinks> {
    return presignedLinks(this.s3, uris, this.hours, now);
  }
}
