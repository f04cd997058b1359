import { IConstruct } from 'constructs';
import { DriverContainerOptions } from './container';
import { checkEnv, checkResources, checkStrings } from './pod-template-checks';
import { DriverProbe, DriverProbeType } from './probe';
import { DriverSecurityContext, securityContextJson } from './security-context';
import { invalidProp } from '../common/errors';
import { checkImageReference } from '../common/image-reference';
import { isDnsLabel, isDnsSubdomain, isPortName, PORT_NAME_RULE } from '../common/names';
import { checkWholeNumber } from '../common/numbers';
import * as k8s from '../imports/k8s';

/**
 * Synth-time checks of what real plugins add to the pod (volumes, mounts, containers,
 * probes, extra RBAC rules), with the rules of the 1.34 API server
 * (pkg/apis/core/validation), so a bad value stops synthesis instead of the apply.
 */

/** The volume sources DraDriver accepts: what kubelet plugins mount. */
const VOLUME_SOURCES = ['hostPath', 'emptyDir', 'configMap', 'secret'];
/** hostPath.type values (core/v1 HostPathType); '' skips the check. */
const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
const MOUNT_PROPAGATIONS = ['None', 'HostToContainer', 'Bidirectional'];

/** An absolute host path, without a trailing slash. */
export function checkDirectory(scope: IConstruct, prop: string, dir: unknown): string {
  const text = typeof dir === 'string' ? dir : '';
  const trimmed = text.length > 1 ? text.replace(/\/+$/, '') : text;
  if (!trimmed.startsWith('/') || trimmed.split('/').includes('..') || /\s/.test(trimmed)) {
    invalidProp(scope, prop, dir, 'must be an absolute path without ".." or whitespace');
  }
  return trimmed;
}

/**
 * Extra pod volumes: DNS-label names, unique and none of DraDriver's own, each exactly one
 * of hostPath (absolute path, known type), emptyDir, configMap or secret.
 */
export function checkVolumes(scope: IConstruct, volumes: k8s.Volume[], reservedNames: string[]): void {
  const seen = new Set<string>();
  volumes.forEach((volume, index) => {
    const prop = `volumes[${index}]`;
    if (typeof volume.name !== 'string' || !isDnsLabel(volume.name)) {
      invalidProp(scope, `${prop}.name`, volume.name, 'must be a DNS label (RFC 1123, at most 63 characters)');
    }
    if (reservedNames.includes(volume.name)) {
      invalidProp(scope, `${prop}.name`, volume.name, `is a volume of DraDriver itself (${reservedNames.join(', ')}); mount it by that name instead`);
    }
    if (seen.has(volume.name)) {
      invalidProp(scope, `${prop}.name`, volume.name, 'is used by an earlier volume: volume names must be unique');
    }
    seen.add(volume.name);
    const sources = Object.entries(volume).filter(([key, value]) => key !== 'name' && value !== undefined).map(([key]) => key);
    if (sources.length !== 1 || !VOLUME_SOURCES.includes(sources[0])) {
      invalidProp(scope, prop, sources, `must have exactly one source, one of ${VOLUME_SOURCES.join(', ')}`);
    }
    if (volume.hostPath) {
      checkDirectory(scope, `${prop}.hostPath.path`, volume.hostPath.path);
      if (!HOST_PATH_TYPES.includes(volume.hostPath.type ?? '')) {
        invalidProp(scope, `${prop}.hostPath.type`, volume.hostPath.type, `must be one of ${HOST_PATH_TYPES.filter(t => t).join(', ')}`);
      }
    }
    if (volume.configMap && !isDnsSubdomain(volume.configMap.name ?? '')) {
      invalidProp(scope, `${prop}.configMap.name`, volume.configMap.name, 'must be the name of a ConfigMap (a DNS subdomain)');
    }
    if (volume.secret && !isDnsSubdomain(volume.secret.secretName ?? '')) {
      invalidProp(scope, `${prop}.secret.secretName`, volume.secret.secretName, 'must be the name of a Secret (a DNS subdomain)');
    }
  });
}

/** What a container's mounts are checked against. */
export interface MountContext {
  /** Every volume of the pod, DraDriver's own included, by name. */
  readonly volumes: Map<string, k8s.Volume>;
  /**
   * Host directories that must be mounted at their own path (the kubelet root and the CDI
   * dir): sockets and CDI specs carry absolute paths that the kubelet and the runtime read.
   */
  readonly samePathDirs: string[];
}

/**
 * A container's mounts: of known volumes, at unique absolute paths, with a known
 * propagation (Bidirectional only in privileged containers, as the API server requires),
 * host kubelet and CDI directories at their host path.
 */
export function checkMounts(scope: IConstruct, prop: string, mounts: k8s.VolumeMount[], context: MountContext, privileged: boolean): void {
  const paths = new Map<string, number>();
  mounts.forEach((mount, index) => {
    const at = `${prop}[${index}]`;
    const volume = context.volumes.get(mount.name);
    if (!volume) {
      invalidProp(scope, `${at}.name`, mount.name, `must name a volume of the pod (${[...context.volumes.keys()].join(', ')})`);
    }
    const mountPath = checkDirectory(scope, `${at}.mountPath`, mount.mountPath);
    const earlier = paths.get(mountPath);
    if (earlier !== undefined) {
      invalidProp(scope, `${at}.mountPath`, mount.mountPath, `is already mounted by ${prop}[${earlier}]`);
    }
    paths.set(mountPath, index);
    const propagation = mount.mountPropagation ?? 'None';
    if (!MOUNT_PROPAGATIONS.includes(propagation)) {
      invalidProp(scope, `${at}.mountPropagation`, mount.mountPropagation, `must be one of ${MOUNT_PROPAGATIONS.join(', ')}`);
    }
    if (propagation === 'Bidirectional' && !privileged) {
      invalidProp(scope, `${at}.mountPropagation`, propagation, 'needs a privileged container (the API server refuses Bidirectional propagation otherwise)');
    }
    const hostPath = volume.hostPath?.path === undefined ? undefined : checkDirectory(scope, `${at}.name`, volume.hostPath.path);
    const samePath = context.samePathDirs.find(dir => hostPath !== undefined && (hostPath === dir || hostPath.startsWith(`${dir}/`)));
    if (hostPath !== undefined && samePath !== undefined && (mountPath !== hostPath || mount.subPath)) {
      invalidProp(scope, `${at}.mountPath`, mount.mountPath,
        `must be the host path ${hostPath} of volume '${mount.name}' (without subPath): paths under ${samePath} are passed to the kubelet and the container runtime, which read them on the host`);
    }
  });
}

/** A probe's own values: a TCP port, a gRPC service name, an absolute HTTP path, a reason. */
export function checkProbe(scope: IConstruct, prop: string, probe: DriverProbe): void {
  if (probe.type === DriverProbeType.NONE) {
    if (typeof probe.reason !== 'string' || probe.reason.trim() === '') {
      invalidProp(scope, `${prop}.reason`, probe.reason, 'must say why the container has no probe');
    }
    return;
  }
  checkPort(scope, `${prop}.port`, probe.port);
  if (probe.type === DriverProbeType.GRPC && (typeof probe.service !== 'string' || /\s/.test(probe.service))) {
    invalidProp(scope, `${prop}.service`, probe.service, 'must be a gRPC service name without whitespace');
  }
  if (probe.type === DriverProbeType.HTTP_GET && (typeof probe.path !== 'string' || !probe.path.startsWith('/') || /\s/.test(probe.path))) {
    invalidProp(scope, `${prop}.path`, probe.path, 'must be an absolute URL path without whitespace');
  }
  if (probe.portName !== undefined) {
    checkPortName(scope, `${prop}.portName`, probe.portName);
  }
  for (const which of ['startup', 'liveness', 'readiness'] as const) {
    const timing = probe[which];
    if (timing === undefined) continue;
    if (timing.initialDelaySeconds !== undefined) {
      checkWholeNumber(scope, `${prop}.${which}.initialDelaySeconds`, timing.initialDelaySeconds, 0, MAX_PROBE_SECONDS, 'seconds');
    }
    for (const field of ['periodSeconds', 'timeoutSeconds'] as const) {
      if (timing[field] !== undefined) checkWholeNumber(scope, `${prop}.${which}.${field}`, timing[field], 1, MAX_PROBE_SECONDS, 'seconds');
    }
    if (timing.failureThreshold !== undefined) {
      checkWholeNumber(scope, `${prop}.${which}.failureThreshold`, timing.failureThreshold, 1, MAX_PROBE_SECONDS, 'checks');
    }
  }
}

/** An hour: a probe that waits longer finds a hung plugin after its pods have long failed. */
const MAX_PROBE_SECONDS = 3600;

/** A container port name (an IANA service name). */
export function checkPortName(scope: IConstruct, prop: string, name: unknown): void {
  if (!isPortName(name)) {
    invalidProp(scope, prop, name, PORT_NAME_RULE);
  }
}

export function checkPort(scope: IConstruct, prop: string, port: unknown): void {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    invalidProp(scope, prop, port, 'must be a TCP port from 1 to 65535 (0 would pick a random port that no probe or scrape can find)');
  }
}

/** A container image reference: non-empty, no whitespace. */

/** Whether a security context makes the container privileged. */
export function isPrivileged(securityContext: DriverSecurityContext | undefined): boolean {
  return securityContext?.isPrivileged === true;
}

/**
 * Init containers and more containers: unique DNS-label names, an image, string
 * commands, unique env names, mounts as `checkMounts`, valid resources and probes (none on
 * init containers, which run to completion), valid container ports.
 */
export function checkContainers(
  scope: IConstruct, prop: string, containers: DriverContainerOptions[], takenNames: Set<string>, context: MountContext, init: boolean,
): void {
  containers.forEach((container, index) => {
    const at = `${prop}[${index}]`;
    if (typeof container.name !== 'string' || !isDnsLabel(container.name)) {
      invalidProp(scope, `${at}.name`, container.name, 'must be a DNS label (RFC 1123, at most 63 characters)');
    }
    if (takenNames.has(container.name)) {
      invalidProp(scope, `${at}.name`, container.name, 'is the name of another container of the pod: container names must be unique');
    }
    takenNames.add(container.name);
    checkImageReference(scope, `${at}.image`, container.image);
    checkStrings(scope, `${at}.command`, container.command);
    checkStrings(scope, `${at}.args`, container.args);
    checkEnv(scope, container.env, [], `${at}.env`);
    checkResources(scope, container.resources, `${at}.resources`);
    if (container.securityContext !== undefined) {
      securityContextJson(scope, `${at}.securityContext`, container.securityContext);
    }
    checkMounts(scope, `${at}.volumeMounts`, container.volumeMounts ?? [], context, isPrivileged(container.securityContext));
    if (container.probe) {
      if (init) {
        invalidProp(scope, `${at}.probe`, container.probe.type, 'is not allowed on an init container: it runs to completion before the plugin starts');
      }
      checkProbe(scope, `${at}.probe`, container.probe);
      if (container.probe.portName !== undefined) {
        invalidProp(scope, `${at}.probe.portName`, container.probe.portName,
          'is for the kubelet plugin\'s probe, whose port DraDriver declares: declare this container\'s port, with its name, in its ports');
      }
    }
    (container.ports ?? []).forEach((port, i) => {
      checkPort(scope, `${at}.ports[${i}].containerPort`, port.containerPort);
      if (port.name !== undefined) checkPortName(scope, `${at}.ports[${i}].name`, port.name);
    });
  });
}

/** RBAC rules given for a driver's own resources: explicit verbs and resources, no `*`. */
export function checkRules(scope: IConstruct, prop: string, rules: k8s.PolicyRule[]): void {
  rules.forEach((rule, index) => {
    const at = `${prop}[${index}]`;
    for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
      const values: unknown = rule[field];
      if (!Array.isArray(values) || values.length === 0) {
        invalidProp(scope, `${at}.${field}`, values ?? null, 'must be a non-empty list');
      }
      if (values.some(v => typeof v !== 'string' || v === '*')) {
        invalidProp(scope, `${at}.${field}`, values, 'must name each entry: `*` grants everything, now and in future API versions (DRA007)');
      }
    }
  });
}
