import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * The container image reference grammar of distribution/reference (what containerd and
 * CRI-O parse): `[registry[:port]/]path[:tag][@digest]`, the path lowercase. The API server
 * takes any string without surrounding whitespace, so a bad reference would only fail on
 * every node, as ErrImagePull.
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
/** distribution/reference's NameTotalLengthMax. */
const MAX_NAME_LENGTH = 255;

/** Whether `value` is a container image reference, e.g. `registry.example.com/gpu/plugin:v1.2`. */
export function isImageReference(value: string): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  const match = REFERENCE.exec(value);
  return match !== null && match[1].length <= MAX_NAME_LENGTH;
}

/** Refuses an image that is not a container image reference. */
export function checkImageReference(scope: IConstruct, prop: string, value: string): void {
  if (!isImageReference(value)) {
    invalidProp(scope, prop, value,
      'must be a container image reference: [registry[:port]/]lowercase/path[:tag][@sha256:digest], ASCII only, e.g. registry.example.com/gpu/plugin:v1.2.0');
  }
}
