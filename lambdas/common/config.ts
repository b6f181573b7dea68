import { requireEnv } from '../../shared/config/env';
import { ENV, FUNCTIONS, SCHEDULE } from '../../shared/config/resources';

/** The functions' configuration, read once at start: a missing variable fails before any event. */
export interface PipelineConfig {
  readonly inputBucket: string;
  readonly outputBucket: string;
  readonly table: string;
  readonly judgeQueueUrl: string;
  readonly resultsQueueUrl: string;
  readonly gracePeriodMinutes: number;
  /** A judge's claim on a judgement outlives its own timeout twice over. */
  readonly judgeLeaseSeconds: number;
}

export function readPipelineConfig(env: NodeJS.ProcessEnv): PipelineConfig {
  return {
    inputBucket: requireEnv(env, ENV.inputBucket),
    outputBucket: requireEnv(env, ENV.outputBucket),
    table: requireEnv(env, ENV.table),
    judgeQueueUrl: requireEnv(env, ENV.judgeQueueUrl),
    resultsQueueUrl: requireEnv(env, ENV.resultsQueueUrl),
    gracePeriodMinutes: Number(env[ENV.gracePeriodMinutes] ?? SCHEDULE.gracePeriodMinutes),
    judgeLeaseSeconds: 2 * FUNCTIONS.judge.timeoutSeconds,
  };
}

export function readTopicArn(env: NodeJS.ProcessEnv): string {
  return requireEnv(env, ENV.topicArn);
}
