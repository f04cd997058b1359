export * from './engine/severity';
export * from './engine/finding';
export * from './engine/check-options';
export * from './good-practices';
export * from './admission/dra-good-practices-admission';
