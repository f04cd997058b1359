/** Kubernetes name and version rules shared by every construct. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** RFC 1123 label: namespaces, Service names, label-safe names (at most 63 characters). */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

/** RFC 1123 subdomain: most object names, DRA driver names (at most 253 characters). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * A label key (Kubernetes "qualified name"): an optional DNS-subdomain prefix and `/`,
 * then a name of at most 63 characters of letters, digits, `-`, `_` and `.` that starts
 * and ends with a letter or digit (`app.kubernetes.io/name`, `release`). Taint and
 * toleration keys follow the same rule.
 */
export function isLabelKey(value: string): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  const slash = value.indexOf('/');
  const name = slash === -1 ? value : value.slice(slash + 1);
  if (slash !== -1 && !isDnsSubdomain(value.slice(0, slash))) {
    return false;
  }
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** A label value: empty, or at most 63 characters with the rule of a label key's name part. */
export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && (value === '' || (value.length <= 63 && QUALIFIED_NAME.test(value)));
}

/**
 * A Kubernetes minor version, `1.34`, `v1.34.2` or a pre-release such as `v1.38.0-beta.0` (what
 * `kubectl version` prints), parsed to `{ major, minor }`; undefined when the text is not one.
 */
export function parseKubernetesVersion(value: string): { major: number; minor: number } | undefined {
  const match = /^v?(\d+)\.(\d+)(\.\d+(-(alpha|beta|rc)\.\d+)?)?$/.exec(value.trim());
  if (!match) {
    return undefined;
  }
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** Compares two parsed versions: negative when a is older than b. */
export function compareKubernetesVersions(a: { major: number; minor: number }, b: { major: number; minor: number }): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

/** A container port name: an IANA service name (core/v1 validation, IsValidPortName). */
export function isPortName(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value) && !value.includes('--') && /[a-z]/.test(value);
}

/** Why a port name is refused. */
export const PORT_NAME_RULE = 'must be an IANA service name: at most 15 lowercase letters, digits and single dashes, with a letter, not starting or ending with a dash';
