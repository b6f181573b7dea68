import { NOTIFIED_PREFIX } from '../../shared/config/resources';

/**
 * What S3 would send for an upload: the embedded S3 has no event notifications, so the local runtime
 * emits them itself, in AWS's shape (keys URL-encoded, spaces as '+'), with the stack's filters.
 */
function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** The CDK stack notifies every object creation under depot/ (one rule, no suffix filter). */
export function isNotified(key: string): boolean {
  return key.startsWith(NOTIFIED_PREFIX);
}

// S3's sequencers grow with time for one key; a restarted embedded stack must keep giving larger
// ones (its state may be kept on disk), so they start from the clock, not from 0.
let sequencer = Date.now() * 1000;

/**
 * `object.sequencer`: the order of an arrival already recorded, to deliver the same event again (a
 * duplicate changes nothing, as on AWS); otherwise a new, larger one.
 */
export function objectCreatedEvent(
  bucket: string,
  object: { key: string; size: number; eTag?: string; versionId?: string; sequencer?: string },
  at = new Date(),
) {
  sequencer++;
  const order = object.sequencer ?? sequencer.toString(16).padStart(16, '0').toUpperCase();
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: at.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': `local-${sequencer}`, 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'depot',
          bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeS3Key(object.key),
            size: object.size,
            eTag: object.eTag?.replace(/"/g, ''),
            ...(object.versionId ? { versionId: object.versionId } : {}),
            sequencer: order,
          },
        },
      },
    ],
  };
}

/** The one message S3 sends when a notification is set up. */
export function testEvent(bucket: string) {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: new Date().toISOString(),
    Bucket: bucket,
    RequestId: 'local',
    HostId: 'local',
  };
}
