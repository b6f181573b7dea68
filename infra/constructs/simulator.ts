import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { SIMULATOR_HEADERS } from '../../shared/config/resources';
import { acknowledge, findingFor } from '../compliance';
import { secureBucket } from './secure-bucket';

/** Where `npm run build` writes the simulator's page. */
const SIMULATOR_SOURCE = join(__dirname, '..', '..', 'dist', 'web');

/**
 * The deposit simulator as a static site (context `simulateur=true`): the page in a private
 * bucket, read only by CloudFront through origin access control, served over HTTPS with security
 * headers. The page's own CSP (its script's hash, no connection allowed) is sent as a header too.
 */
export interface SimulatorProps {
  /** Where the page's bucket logs its requests (the stack's access logs, prefix simulateur/). */
  readonly accessLogs: Bucket;
  /**
   * The agency's own name for the site, with its ACM certificate (in us-east-1, as CloudFront
   * requires): TLS 1.2 at least. Without it, CloudFront's *.cloudfront.net certificate keeps its
   * fixed policy, which accepts TLS 1.0 (the synthesis says so).
   */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
}

export class Simulator extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: SimulatorProps, sourceDir = SIMULATOR_SOURCE) {
    super(scope, id);
    const csp = pageCsp(sourceDir);
    this.bucket = secureBucket(this, 'SiteBucket', [], {
      accessLogs: props.accessLogs,
      accessLogsPrefix: 'simulateur/',
    });
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
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
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
    this.acknowledgeFindings(props);
  }

  /** What cdk-nag finds here and why it stays: a static page that holds and sends no data. */
  private acknowledgeFindings(props: SimulatorProps): void {
    const staticPage = 'Page statique sans donnée : elle ne reçoit ni n’envoie rien (CSP connect-src none)';
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      `${staticPage} ; les éditeurs la consultent d’où ils sont`,
    );
    acknowledge(this.distribution, 'AwsSolutions-CFR2', `${staticPage} : un WAF n’aurait rien à protéger`);
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR3',
      `${staticPage} ; les journaux standard de CloudFront exigent des ACL sur leur seau, que le seau des journaux du registre refuse. Les lectures du seau de la page sont journalisées (simulateur/)`,
    );
    if (!props.domain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Certificat *.cloudfront.net : sa politique TLS est fixée par CloudFront. Donnez -c simulateurDomaine et -c simulateurCertificat pour TLS 1.2 au moins',
      );
      Annotations.of(this.distribution).addWarningV2(
        'segur:simulateur-tls',
        'Simulateur sans domaine : le certificat *.cloudfront.net de CloudFront accepte encore TLS 1.0. Donnez -c simulateurDomaine=<nom> -c simulateurCertificat=<ARN ACM us-east-1> pour exiger TLS 1.2.',
      );
    }
    // CDK's own function that copies the page into the bucket at deployment: not ours to change.
    const deployer = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!deployer) return;
    const cdkOwn = 'Fonction de CDK (BucketDeployment) qui copie la page au déploiement, sans autre usage';
    for (const finding of [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      findingFor(
        this,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      ),
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-L1',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaLatestVersion',
      'Serverless-LambdaTracing',
    ])
      acknowledge(deployer, finding, cdkOwn);
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
