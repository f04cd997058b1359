import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * Namespaces every cluster has from the start. A construct that creates its namespace would
 * write a second Namespace object for one of them, and with its labels (DraDriver's:
 * `pod-security.kubernetes.io/enforce: privileged`) relabel a namespace others run in.
 */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Refuses creating (and relabelling) a namespace the cluster already has. */
export function checkCreatedNamespace(scope: IConstruct, prop: string, namespace: string, labelsItWouldSet: string): void {
  if (SYSTEM_NAMESPACES.includes(namespace)) {
    invalidProp(scope, prop, namespace,
      `is a namespace every cluster has: creating it would relabel it ${labelsItWouldSet} for everything that runs there; use a namespace of its own, or set createNamespace: false`);
  }
}
