import { Duration, Stack } from 'aws-cdk-lib';
import {
  AccountPrincipal,
  Effect,
  Group,
  PolicyStatement,
  Role,
  SessionTagsPrincipal,
  StarPrincipal,
} from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PREFIXES, VENDORS } from '../../shared/config/resources';
import { acknowledge, bucketObjectsFinding } from '../compliance';

/** The SIRET of the session, as IAM substitutes it in a policy (never a CDK token: a literal). */
export const SIRET_OF_SESSION = `\${aws:PrincipalTag/${VENDORS.tag}}`;

/**
 * What vendors may do, for every vendor at once: write under `depot/<its SIRET>/` and read
 * `retour/<its SIRET>/`, nothing else. A vendor is an IAM user of the group, tagged `siret`; it
 * assumes the role with its own SIRET as session tag (the trust policy refuses any other value),
 * and the role's policies name `${aws:PrincipalTag/siret}`. Onboarding a vendor is therefore data
 * (`segur-pipeline inscrire-fournisseur`), never a code change. The buckets' policies deny the
 * role the rest, a second wall should an identity policy ever be widened.
 */
export class VendorAccess extends Construct {
  readonly group: Group;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: { inputBucket: Bucket; outputBucket: Bucket }) {
    super(scope, id);
    const { inputBucket, outputBucket } = props;
    const ownDeposits = inputBucket.arnForObjects(`${PREFIXES.deposit}${SIRET_OF_SESSION}/*`);
    const ownReturns = outputBucket.arnForObjects(`${PREFIXES.output}${SIRET_OF_SESSION}/*`);

    // Assumed only by the account's principals that carry a siret tag, passing that very tag.
    this.role = new Role(this, 'DepositRole', {
      roleName: VENDORS.roleName,
      description: 'Fournisseurs Ségur : dépôt sous depot/<SIRET>/, lecture de retour/<SIRET>/',
      maxSessionDuration: Duration.hours(VENDORS.sessionHours),
      assumedBy: new SessionTagsPrincipal(
        new AccountPrincipal(Stack.of(this).account).withConditions({
          StringEquals: { [`aws:RequestTag/${VENDORS.tag}`]: SIRET_OF_SESSION },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [VENDORS.tag] },
          Null: { [`aws:PrincipalTag/${VENDORS.tag}`]: 'false' },
        }),
      ),
    });
    this.role.addToPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [ownDeposits] }));
    this.role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [ownReturns] }));
    const ownFolder =
      "Le dossier de la session (son étiquette siret) : un fournisseur n'atteint que les objets de son SIRET, qu'il nomme";
    acknowledge(
      this.role,
      bucketObjectsFinding(inputBucket, `${PREFIXES.deposit}<aws:PrincipalTag/${VENDORS.tag}>/*`),
      ownFolder,
    );
    acknowledge(
      this.role,
      bucketObjectsFinding(outputBucket, `${PREFIXES.output}<aws:PrincipalTag/${VENDORS.tag}>/*`),
      ownFolder,
    );
    // Listing their own folders only: what they deposited, what came back.
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [inputBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${PREFIXES.deposit}${SIRET_OF_SESSION}/*`] } },
      }),
    );
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [outputBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${PREFIXES.output}${SIRET_OF_SESSION}/*`] } },
      }),
    );

    this.group = new Group(this, 'Vendors', { groupName: VENDORS.groupName });
    this.group.addToPolicy(
      new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [this.role.roleArn] }),
    );

    // The second wall, in the buckets: whatever the role's own policies say, its sessions can do
    // nothing but these, and only in their own SIRET's folder.
    const isVendor = { ArnEquals: { 'aws:PrincipalArn': this.role.roleArn } };
    denyVendorsTheRest(inputBucket, isVendor, 's3:PutObject', ownDeposits);
    denyVendorsTheRest(outputBucket, isVendor, 's3:GetObject', ownReturns);
  }
}

function denyVendorsTheRest(
  bucket: Bucket,
  isVendor: Record<string, unknown>,
  objectAction: string,
  ownObjects: string,
): void {
  const anyone = new StarPrincipal();
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'VendorsOnlyTheirAction',
      effect: Effect.DENY,
      principals: [anyone],
      notActions: [objectAction, 's3:ListBucket'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: isVendor,
    }),
  );
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'VendorsOnlyTheirFolder',
      effect: Effect.DENY,
      principals: [anyone],
      actions: [objectAction],
      notResources: [ownObjects],
      conditions: isVendor,
    }),
  );
}
