import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * Refuses a number that is not a whole number from `min` to `max`: NaN, Infinity, 1e300 and
 * 1.5 alike. `unit` ends the rule, e.g. `seconds`.
 */
export function checkWholeNumber(scope: IConstruct, prop: string, value: number, min: number, max: number, unit: string, why = ''): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = min === 1 ? `a positive whole number of ${unit}, at most ${max}` : `a whole number of ${unit} from ${min} to ${max}`;
    invalidProp(scope, prop, value, `must be ${range}${why === '' ? '' : `: ${why}`}`);
  }
}

/** Whether `text` is a plain decimal number (`12`, `0.5`, `1e3`); `0x10`, `''` and `Infinity` are not. */
export function isDecimalNumber(text: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) && Number.isFinite(Number(text));
}
