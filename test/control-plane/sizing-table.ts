// The sizing table lives with the README's generated tables (scripts/readme-tables.ts), so
// docs/control-plane.md, the README and this test share one definition.
export { TABLE_SCALES as DOCS_TABLE_SCALES, sizingTable } from '../../scripts/readme-tables';
