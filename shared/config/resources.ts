/**
 * The pipeline's resources and their settings, in one place: the CDK stack builds them from here and
 * the embedded stack creates its buckets, queues, topic and table from the same list.
 */
export const PREFIXES = {
  /** Vendor deposits: depot/<SIRET>/<avance|solde>/<files>. */
  deposit: 'depot/',
  /** Annotated files and reports: retour/<SIRET>/<avance|solde>/<files>. */
  output: 'retour/',
  /** The référentiel, in the input bucket, writable by operators only. */
  referentiel: 'config/referentiel.json',
  /**
   * Judged bytes kept aside where the store has no versions (the embedded S3): archive/<etag>/<key>.
   * On AWS the bucket's versions (under Object Lock) keep them and nothing is copied.
   */
  frozen: 'archive/',
} as const;

/**
 * S3 event notifications into the intake queue: every object created under depot/, whatever its
 * name. S3's suffix filters are case-sensitive: with them, `.JSON`, `.ZIP` or `notes.txt` would trigger
 * nothing and vanish; without them, the intake refuses with a reason what is outside the naming scheme.
 */
export const NOTIFIED_PREFIX = PREFIXES.deposit;

export interface FunctionSettings {
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export const FUNCTIONS = {
  /** Records arrivals (S3 events) and decides when a submission is ready to judge. */
  intake: { timeoutSeconds: 30, memoryMb: 512 },
  /** Controls 1 and 2 and the attachments; writes the outputs; publishes the result. */
  judge: { timeoutSeconds: 120, memoryMb: 1024 },
  /** Results queue → SNS email. */
  notify: { timeoutSeconds: 30, memoryMb: 256 },
  /** Judges what the grace period left waiting (missing zips). */
  sweeper: { timeoutSeconds: 60, memoryMb: 256 },
} as const satisfies Record<string, FunctionSettings>;

export interface QueueSettings {
  readonly name: string;
  /** The function that consumes it: its visibility timeout is 6 × that function's timeout. */
  readonly consumer: keyof typeof FUNCTIONS;
  /**
   * Receives before a message goes to the dead-letter queue: at least 5, as AWS advises for SQS
   * event sources, so that a burst of throttled invocations does not dead-letter requests that
   * never ran.
   */
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  /**
   * Concurrent invocations the event source mapping may run (Lambda's maximum concurrency, 2 at
   * least): bounds the load on DynamoDB and S3, and the embedded stack runs as many pollers.
   */
  readonly maxConcurrency: number;
}

export const QUEUES = {
  intake: { name: 'segur-intake', consumer: 'intake', maxReceiveCount: 5, batchSize: 10, maxConcurrency: 10 },
  judge: { name: 'segur-judge', consumer: 'judge', maxReceiveCount: 5, batchSize: 1, maxConcurrency: 20 },
  results: {
    name: 'segur-results',
    consumer: 'notify',
    maxReceiveCount: 5,
    batchSize: 10,
    maxConcurrency: 5,
  },
} as const satisfies Record<string, QueueSettings>;

/** AWS's advice for SQS event sources: visibility timeout at least six times the function timeout. */
export function visibilityTimeoutSeconds(queue: QueueSettings): number {
  return 6 * FUNCTIONS[queue.consumer].timeoutSeconds;
}

/**
 * Where deliveries that are not messages of a work queue end when they fail: EventBridge's (the
 * sweep's schedule, the heartbeat) and SNS's (an email SNS could not deliver), kept 14 days.
 */
export const DELIVERY_FAILURES_QUEUE = 'segur-livraisons-dlq';

export function deadLetterQueueName(queue: QueueSettings): string {
  return `${queue.name}-dlq`;
}

/** 256 KiB, the SQS maximum: result messages of 200 lines fit. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
export const DEAD_LETTER_RETENTION_DAYS = 14;

export const TABLE = {
  name: 'segur-state',
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Submissions waiting for their grace period, for the sweeper. */
  pendingIndex: { name: 'pending', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /**
   * The operators' view: submissions by the Paris day of their first arrival, and outcomes by the
   * day they were published, sorted by SIRET then time (`lister-soumissions`, never a scan).
   */
  dayIndex: { name: 'par-jour', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

/** The operators' topic: alarms and operational notices, never a vendor's verdict. */
export const OPERATORS_TOPIC = { name: 'segur-exploitation' } as const;

/** The vendors' topic: one verdict email per result, filtered by SIRET. */
export const TOPIC = {
  name: 'segur-notifications',
  siretAttribute: 'siret',
  htmlAttribute: 'html',
  /** The submission an email is about: a relay (or the embedded mailbox) can record it was sent. */
  submissionAttribute: 'submission',
} as const;

export const BUCKETS = { input: 'segur-depots', output: 'segur-retours' } as const;

/**
 * Vendors' access (infra/constructs/vendor-access.ts): one IAM group for every vendor's user, each
 * user tagged with its SIRET, and one role they assume with that SIRET as session tag; the
 * policies name `\${aws:PrincipalTag/siret}`, so that adding a vendor is data, not code.
 */
export const VENDORS = {
  groupName: 'segur-fournisseurs',
  roleName: 'segur-fournisseur-depot',
  userPath: '/segur/fournisseurs/',
  tag: 'siret',
  sessionHours: 1,
} as const;

/** The operators' role: exactly what their commands need (`--role-arn` of publier-referentiel… rejouer-dlq). */
export const OPERATORS = {
  roleName: 'segur-exploitation',
  sessionHours: 1,
} as const;

export const SCHEDULE = {
  /** How long a submission waits for missing attachments before it is judged with what is there. */
  gracePeriodMinutes: 15,
  sweepEveryMinutes: 5,
} as const;

export const LOG_RETENTION_DAYS = 30;

/**
 * The functions' names as the `service` of their logs and metrics (Powertools puts it on every
 * metric as a dimension: an alarm names it, or it would watch a metric nobody emits).
 */
export const SERVICES = {
  intake: 'intake',
  judge: 'judge',
  notify: 'notify',
  sweeper: 'sweeper',
} as const;

/** The pipeline's own metrics (EMF, namespace SegurPipeline) that raise an alarm at the first count. */
/**
 * The operators' runbook (French): every alarm's description ends with the section to read there,
 * each section anchored `<a id="…">` (test/unit/local/runbook.test.ts keeps them in step).
 */
export const RUNBOOK = 'docs/exploitation.md';

export const PIPELINE_ALARMS = [
  {
    metric: 'JudgementFailures',
    service: SERVICES.judge,
    description:
      'Un jugement a échoué (il sera repris) : une panne ou un défaut à examiner avant la file de lettres mortes',
    runbook: 'jugement-en-echec',
  },
  {
    metric: 'TechnicalRejections',
    service: SERVICES.judge,
    description:
      'Un dépôt a reçu un rejet technique après ses reprises : à rejouer (segur-pipeline rejouer) une fois la cause corrigée',
    runbook: 'rejet-technique',
  },
  {
    metric: 'ReferentielUnavailable',
    service: SERVICES.judge,
    description:
      'Référentiel absent, illisible ou invalide : aucun dépôt n’est jugé, ils attendent. Publiez-le (segur-pipeline publier-referentiel)',
    runbook: 'referentiel-indisponible',
  },
  {
    metric: 'SweepFailures',
    service: SERVICES.sweeper,
    description:
      'Le balayage n’a pas pu demander le jugement d’une soumission : elle sera reprise au passage suivant',
    runbook: 'balayage-en-echec',
  },
] as const;

/** Environment variable names the functions read (config.ts reads them once, at start). */
export const ENV = {
  inputBucket: 'INPUT_BUCKET',
  outputBucket: 'OUTPUT_BUCKET',
  table: 'STATE_TABLE',
  judgeQueueUrl: 'JUDGE_QUEUE_URL',
  resultsQueueUrl: 'RESULTS_QUEUE_URL',
  topicArn: 'NOTIFICATION_TOPIC_ARN',
  gracePeriodMinutes: 'GRACE_PERIOD_MINUTES',
  linkExpiryHours: 'LINK_EXPIRY_HOURS',
} as const;

/**
 * The HTTPS links of the emails (presigned GETs of the returns). 72 h covers a weekend between the
 * deposit and the reading; a presigned URL lives at most 7 days (SigV4) and no longer than the
 * credentials that signed it (a Lambda's role session), so the email states the real expiry. After
 * it, the files stay in the vendor's `retour/<SIRET>/` space. CDK context `linkExpiryHours`.
 */
export const LINKS = { defaultExpiryHours: 72, maxExpiryHours: 7 * 24 } as const;

/**
 * How long deposits and returns are kept: they are the vouchers of public payments, and French
 * accounting records are kept ten years (Code de commerce, art. L123-22). CDK context
 * `retentionYears`. Every version is kept as long (a deposit replaced after its judgement still has
 * its judged bytes in the record), and S3 Object Lock forbids deleting or overwriting any of them
 * before then: GOVERNANCE by default (an operator holding s3:BypassGovernanceRetention can still
 * correct a mistake, and CloudTrail says who), COMPLIANCE with context `objectLock=COMPLIANCE`
 * (nobody, not even the account's root, for the whole period).
 */
export const RETENTION = { defaultYears: 10 } as const;

export type ObjectLockMode = 'GOVERNANCE' | 'COMPLIANCE';

export function objectLockMode(value: unknown): ObjectLockMode {
  if (value === undefined || value === null || value === '') return 'GOVERNANCE';
  const mode = String(value).toUpperCase();
  if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE')
    throw new Error(`objectLock attend GOVERNANCE ou COMPLIANCE (reçu « ${String(value)} »)`);
  return mode;
}

/** The days of `years` of retention, as S3 and AWS Backup count them (a year of 365.25 days, rounded up). */
export function retentionDays(years: number): number {
  return Math.ceil(years * 365.25);
}

/**
 * The region of the stack: France (Paris), whatever the CLI profile says; another only when the
 * context names it (`-c region=…`). Health-related public records stay in France.
 */
const DEFAULT_REGION = 'eu-west-3';

export function deploymentRegion(value: unknown): string {
  if (value === undefined || value === null || value === '') return DEFAULT_REGION;
  const region = String(value);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new Error(`region attend un nom de région AWS comme eu-west-3 (reçu « ${region} »)`);
  return region;
}

export function retentionYears(value: unknown): number {
  const years = Number(value);
  if (value === undefined || value === null) return RETENTION.defaultYears;
  if (!Number.isInteger(years) || years < 1 || years > 100)
    throw new Error(
      `retentionYears attend un nombre entier d'années entre 1 et 100 (reçu « ${String(value)} »)`,
    );
  return years;
}

/** The configured hours (an environment variable or a context value), or the default when unset or not positive. */
export function linkExpiryHours(value: unknown): number {
  const hours = Number(value);
  return value !== undefined && value !== null && Number.isFinite(hours) && hours > 0
    ? hours
    : LINKS.defaultExpiryHours;
}

/**
 * The headers the deposit simulator is served with, by `demarrer` and by CloudFront
 * (infra/constructs/simulator.ts): the page's own CSP travels in it; these add what a meta tag
 * cannot say.
 */
export const SIMULATOR_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};
