const MAX_SHOWN = 1000;

/**
 * Renders a value as users typed it: strings quoted, numbers and objects as JSON. Values JSON
 * cannot show (functions, circular objects, BigInt, symbols) are named by what they are, and
 * long renderings are cut, so describing a bad value never fails itself.
 */
export function formatValue(value: unknown): string {
  const text = render(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}... (${text.length} characters)` : text;
}

function render(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `'${value}'`;
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return `a function${value.name ? ` (${value.name})` : ''}`;
    case 'undefined':
      return 'undefined';
    default:
      try {
        return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'function' ? '<function>' : v)) ?? String(value);
      } catch {
        return 'a circular object';
      }
  }
}
