import { writeFileSync } from 'node:fs';
import { renderCodesMarkdown } from '../shared/domain/catalog-doc';

writeFileSync('docs/codes.md', renderCodesMarkdown());
console.log('docs/codes.md écrit');
