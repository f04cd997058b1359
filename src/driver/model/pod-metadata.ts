import { IConstruct } from 'constructs';
import { CA_DS_EVICTION_ANNOTATION } from '../../common/drain';
import { invalidProp } from '../../common/errors';
import { isDnsSubdomain, isLabelKey } from '../../common/names';
import { DraDriverProps } from '../driver-props';
import { checkLabels } from '../pod-template-checks';

/** The label keys of the pod selector, which `podLabels` may not change. */
export const SELECTOR_LABEL_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/component'];

/** The plugin pod's pull secrets, labels and annotations, and whether it takes the drain-late defaults. */
export interface PodMetadataModel {
  readonly imagePullSecrets: string[];
  readonly podLabels: { [key: string]: string };
  readonly podAnnotations: { [key: string]: string };
  readonly drainLate: boolean;
}

export function podMetadataModel(scope: IConstruct, props: DraDriverProps): PodMetadataModel {
  const imagePullSecrets = props.imagePullSecrets ?? [];
  imagePullSecrets.forEach((secret, index) => {
    if (!isDnsSubdomain(secret)) {
      invalidProp(scope, `imagePullSecrets[${index}]`, secret, 'must be the name of a Secret (a DNS subdomain)');
    }
  });
  const podLabels = props.podLabels ?? {};
  checkLabels(scope, 'podLabels', podLabels);
  for (const key of SELECTOR_LABEL_KEYS) {
    if (key in podLabels) {
      invalidProp(scope, 'podLabels key', key, 'is a selector label DraDriver sets: changing it would orphan the pods');
    }
  }
  const drainLate = props.drainLateTolerations ?? true;
  const podAnnotations = props.podAnnotations ?? {};
  for (const [key, value] of Object.entries(podAnnotations)) {
    if (!isLabelKey(key)) {
      invalidProp(scope, 'podAnnotations key', key, 'must be an annotation key: an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."');
    }
    if (typeof value !== 'string') {
      invalidProp(scope, `podAnnotations['${key}']`, value, 'must be a string');
    }
    if (drainLate && key === CA_DS_EVICTION_ANNOTATION) {
      invalidProp(scope, 'podAnnotations key', key, 'is set by drainLateTolerations (set drainLateTolerations: false to choose it yourself)');
    }
  }
  return { imagePullSecrets, podLabels, podAnnotations, drainLate };
}
