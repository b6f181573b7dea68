import { runValidationBench } from './validation-bench';
import { runZipBench, runZipScenario } from './zip-bench';

/** `npm run bench`: every benchmark of the project, figures printed, nothing asserted. */
async function main(): Promise<void> {
  const scenario = process.argv.indexOf('--zip-scenario');
  if (scenario !== -1) {
    await runZipScenario(process.argv[scenario + 1] ?? '');
    return;
  }
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}\n`);
  console.log(
    '== Validation (issue 2): controls 1 and 2 on a 200-line file per profile, median of 200 runs ==',
  );
  console.log(runValidationBench());
  console.log('\n== Attachments (issue 3): a 200 Mo zip, 70 documents, 200-line deposit ==');
  console.log(await runZipBench(process.argv[1] as string));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
