import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * cdk8s-plus-28's converters know the 1.28 schema and drop `appArmorProfile` (1.30) from
 * the JSON they write, JSON patches included (they convert after patching): the workloads
 * are these subclasses, which write each container's profile back after the conversion.
 */
export class KubeDaemonSetWithAppArmor extends k8s.KubeDaemonSet {
  private readonly podSpec: k8s.PodSpec;

  public constructor(scope: Construct, id: string, props: k8s.KubeDaemonSetProps) {
    super(scope, id, props);
    this.podSpec = props.spec!.template.spec!;
  }

  public toJson(): any {
    return withAppArmorProfiles(super.toJson(), this.podSpec);
  }
}

/** The controller Deployment's counterpart of `KubeDaemonSetWithAppArmor`. */
export class KubeDeploymentWithAppArmor extends k8s.KubeDeployment {
  private readonly podSpec: k8s.PodSpec;

  public constructor(scope: Construct, id: string, props: k8s.KubeDeploymentProps) {
    super(scope, id, props);
    this.podSpec = props.spec!.template.spec!;
  }

  public toJson(): any {
    return withAppArmorProfiles(super.toJson(), this.podSpec);
  }
}

function withAppArmorProfiles(json: any, podSpec: k8s.PodSpec): any {
  for (const list of ['initContainers', 'containers'] as const) {
    (podSpec[list] ?? []).forEach((c, index) => {
      const profile = (c.securityContext as { [key: string]: any } | undefined)?.appArmorProfile;
      const written = json.spec?.template?.spec?.[list]?.[index];
      if (profile !== undefined && written !== undefined) {
        written.securityContext = { ...written.securityContext, appArmorProfile: profile };
      }
    });
  }
  return json;
}
