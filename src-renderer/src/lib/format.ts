/** The dashboard formats numbers with the same functions as the CLI (src-main/format/units.ts). */
export * from '@shared/format.js';
