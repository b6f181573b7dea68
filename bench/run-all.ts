import { spawnSync } from 'node:child_process';
import { runGenerateBench } from './generate-bench';
import { runHostileBench, runHostileScenario } from './hostile-bench';
import { runPipelineBench, runPipelineScenario } from './pipeline-bench';
import { runStateBench, runStateScenario } from './state-bench';
import { runValidationBench } from './validation-bench';
import { runZipBench, runZipScenario } from './zip-bench';

/**
 * `npm run bench`: every benchmark of the project, figures printed, nothing asserted.
 * `npm run bench -- --submissions 50` runs scenario (b) of the pipeline with fewer submissions.
 */
async function main(): Promise<void> {
  // The AWS SDK's notice that its 2027 releases need Node 22 is not a figure: kept out of the output.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning')) console.error(warning);
  });
  const argv = process.argv;
  const option = (name: string) => {
    const index = argv.indexOf(name);
    return index === -1 ? undefined : argv[index + 1];
  };
  const hostileScenario = option('--hostile-scenario');
  if (hostileScenario) return runHostileScenario(hostileScenario);
  const zipScenario = option('--zip-scenario');
  if (zipScenario) return runZipScenario(zipScenario);
  const stateScenario = option('--state-scenario');
  if (stateScenario) return runStateScenario(stateScenario);
  const pipelineScenario = option('--pipeline-scenario');
  if (pipelineScenario)
    return runPipelineScenario(
      pipelineScenario,
      Number(argv[argv.indexOf('--pipeline-scenario') + 2] ?? 500),
    );
  const submissions = Number(option('--submissions') ?? 500);
  if (argv.includes('--only-generate')) {
    console.log(await runGenerateBench());
    return;
  }
  // Loaded only when run: playwright-core would weigh on every scenario process's memory figures.
  const runWebBench = async () => (await import('./web-bench')).runWebBench();
  if (argv.includes('--only-web')) {
    console.log(await runWebBench());
    return;
  }
  if (argv.includes('--only-pipeline')) {
    console.log(await runPipelineBench(argv[1] as string, submissions));
    return;
  }
  if (argv.includes('--only-state')) {
    console.log(await runStateBench(argv[1] as string));
    return;
  }
  if (argv.includes('--only-hostile')) {
    console.log(await runHostileBench(argv[1] as string));
    return;
  }

  console.log(`Node ${process.version}, ${process.platform}/${process.arch}\n`);
  console.log('== Validation: controls 1 and 2 on a 200-line file per profile, median of 200 runs ==');
  console.log(runValidationBench());
  console.log('\n== Hostile inputs: each judged in its own process (target ≤ 2 s, ≤ 256 MB) ==');
  console.log(await runHostileBench(argv[1] as string));
  console.log('\n== Attachments: a 200 Mo zip, 70 documents, 200-line deposit ==');
  console.log(await runZipBench(argv[1] as string));
  console.log(`\n== Embedded pipeline: latency, ${submissions} submissions at once, judge memory ==`);
  console.log(await runPipelineBench(argv[1] as string, submissions));
  console.log('\n== Kept state (--state): 3,000 objects written through, then a restart ==');
  console.log(await runStateBench(argv[1] as string));
  console.log('\n== Spreadsheet to deposit: generer, 200 rows with their documents, checked ==');
  // In its own process, as every scenario: its peak RSS is then generer's, not the whole bench's.
  console.log(ownProcess(argv[1] as string, '--only-generate'));
  console.log('\n== Deposit simulator and small package ==');
  console.log(await runWebBench());
}

function ownProcess(self: string, option: string): string {
  const child = spawnSync(process.execPath, [...process.execArgv, self, option], { encoding: 'utf8' });
  if (child.status !== 0) return `${option} a échoué : ${child.stderr}`;
  return child.stdout.trim();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
