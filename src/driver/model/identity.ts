import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { isDnsLabel } from '../../common/names';
import { checkCreatedNamespace } from '../../common/system-namespaces';
import { DraDriverProps } from '../driver-props';
import { driverNaming } from '../naming';

/** The driver's object name prefix and namespace, and whether DraDriver creates the namespace. */
export interface DriverIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
}

export function identityModel(scope: IConstruct, props: DraDriverProps): DriverIdentity {
  const { name, namespace } = driverNaming(props);
  // The default (a driver name of at most 63 characters, dots made dashes) is always a DNS label.
  if (!isDnsLabel(name)) {
    invalidProp(scope, 'name', name, 'must be a DNS label (RFC 1123, at most 63 characters)');
  }
  if (!isDnsLabel(namespace)) {
    invalidProp(scope, 'namespace', namespace, 'must be a DNS label (RFC 1123, at most 63 characters)');
  }
  const createNamespace = props.createNamespace ?? true;
  if (createNamespace) {
    checkCreatedNamespace(scope, 'namespace', namespace, 'pod-security.kubernetes.io/enforce: privileged');
  }
  return { name, namespace, createNamespace };
}
