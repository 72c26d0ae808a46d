/**
 * Jest's asymmetric matchers for use inside an expected object. @types/jest declares them to return
 * `any`, which makes every expected object holding one an unsafe assignment to the linter; typed as
 * `unknown`, they go wherever a value does and stay out of the types around them.
 */
export const anyString = (): unknown => expect.any(String);
export const anyNumber = (): unknown => expect.any(Number);
export const stringMatching = (pattern: RegExp): unknown => expect.stringMatching(pattern);
