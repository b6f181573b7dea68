import { runValidationBench } from './validation-bench';

/** `npm run bench`: every benchmark of the project, figures printed, nothing asserted. */
console.log(`Node ${process.version}, ${process.platform}/${process.arch}\n`);
console.log(
  '== Validation (issue 2): controls 1 and 2 on a 200-line file per profile, median of 200 runs ==',
);
console.log(runValidationBench());
