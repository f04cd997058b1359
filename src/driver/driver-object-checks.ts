import { IConstruct } from 'constructs';
import { DriverObject } from './driver-object';
import { checkLabels } from './pod-template-checks';
import { invalidProp } from '../common/errors';
import { isDnsSubdomain, isLabelKey } from '../common/names';

/** `v1`, `apps/v1`, `k8s.cni.cncf.io/v1beta2`: an optional DNS-subdomain group, then a version. */
const API_VERSION = /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
/** A kind is a CamelCase Go type name. */
const KIND = /^[A-Z][A-Za-z0-9]*$/;
/** Written by DraDriver from the object's own props: `fields` may not carry them. */
const OWN_FIELDS = ['apiVersion', 'kind', 'metadata'];
/** The labels DraDriver writes on every object it makes. */
const STANDARD_LABEL_PREFIX = 'app.kubernetes.io/';

/** An object the driver ships, with the rules the API server and DraDriver's naming apply. */
export function checkDriverObject(scope: IConstruct, prop: string, object: DriverObject): void {
  if (!API_VERSION.test(object.apiVersion)) {
    invalidProp(scope, `${prop}.apiVersion`, object.apiVersion, 'must be `<version>` or `<group>/<version>` (v1, apps/v1, k8s.cni.cncf.io/v1)');
  }
  if (!KIND.test(object.kind)) {
    invalidProp(scope, `${prop}.kind`, object.kind, 'must be a kind: CamelCase letters and digits, starting with a capital');
  }
  if (!isDnsSubdomain(object.name)) {
    invalidProp(scope, `${prop}.name`, object.name, 'must be a DNS subdomain (RFC 1123)');
  }
  if (object.component !== undefined) {
    checkLabels(scope, `${prop}.component`, { 'app.kubernetes.io/component': object.component });
  }
  checkLabels(scope, `${prop}.labels`, object.labels);
  for (const key of Object.keys(object.labels ?? {})) {
    if (key.startsWith(STANDARD_LABEL_PREFIX)) {
      invalidProp(scope, `${prop}.labels key`, key, 'is one of the app.kubernetes.io/* labels DraDriver writes on every object it makes');
    }
  }
  for (const key of Object.keys(object.annotations ?? {})) {
    if (!isLabelKey(key)) {
      invalidProp(scope, `${prop}.annotations key`, key, 'must be an annotation key: an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."');
    }
  }
  for (const key of OWN_FIELDS) {
    if (object.fields !== undefined && key in object.fields) {
      invalidProp(scope, `${prop}.fields.${key}`, object.fields[key], `is written from the object's own props (apiVersion, kind, name, labels, annotations): leave ${key} out of fields`);
    }
  }
}
