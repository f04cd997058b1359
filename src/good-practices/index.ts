export * from './severity';
export * from './finding';
export * from './check-options';
export * from './good-practices';
export * from './admission/dra-good-practices-admission';
