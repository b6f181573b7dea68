import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { SIMULATOR_HEADERS } from '../../shared/config/resources';
import { secureBucket } from './secure-bucket';

/** Where `npm run build` writes the simulator's page. */
const SIMULATOR_SOURCE = join(__dirname, '..', '..', 'dist', 'web');

/**
 * The deposit simulator as a static site (context `simulateur=true`): the page in a private
 * bucket, read only by CloudFront through origin access control, served over HTTPS with security
 * headers. The page's own CSP (its script's hash, no connection allowed) is sent as a header too.
 */
export class Simulator extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, sourceDir = SIMULATOR_SOURCE) {
    super(scope, id);
    const csp = pageCsp(sourceDir);
    this.bucket = secureBucket(this, 'SiteBucket', []);
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Simulateur Ségur : en-têtes de sécurité',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: ['Cross-Origin-Opener-Policy', 'Permissions-Policy'].map((header) => ({
          header,
          value: SIMULATOR_HEADERS[header] as string,
          override: true,
        })),
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Simulateur de dépôt Ségur numérique',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
    });
    new BucketDeployment(this, 'Page', {
      sources: [Source.asset(sourceDir)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
  }
}

/** The CSP of the built page (its meta tag): the same policy, hash included, goes in the header. */
function pageCsp(sourceDir: string): string {
  let page: string;
  try {
    page = readFileSync(join(sourceDir, 'index.html'), 'utf8');
  } catch {
    throw new Error(`simulateur absent de ${sourceDir} : lancez « npm run build » avant la synthèse`);
  }
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
  if (!csp) throw new Error(`${sourceDir}/index.html n'a pas de politique de sécurité du contenu`);
  return csp;
}
