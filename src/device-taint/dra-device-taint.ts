import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DeviceTaintEffect } from './device-taint-effect';
import { deviceTaintModel } from './device-taint-model';
import { DRA_DEVICE_TAINT_PROPS } from './device-taint-prop-types';
import { DraDeviceTaintProps } from './device-taint-props';
import { standardLabels } from '../common/labels';
import { checkProps } from '../common/prop-types';
import { typedApiObject } from '../common/typed-objects';
import * as k8s from '../imports/k8s';

/**
 * Takes devices out of service: a DeviceTaintRule (`resource.k8s.io/v1`, Kubernetes 1.37+)
 * that taints the devices of one driver, optionally of one pool (a node's devices) or one
 * device. `NoSchedule` keeps new claims off them; `NoExecute` also has kube-controller-manager's
 * device-taint eviction controller delete the pods using them. Deleting the rule (removing
 * the construct) brings the devices back.
 *
 * A DeviceTaintRule reaches every driver's devices on every node: only cluster admins may
 * write them (`DraRbacRules.admin()`; check DRA005, DRA016).
 */
export class DraDeviceTaint extends Construct {
  /** The DeviceTaintRule's name. */
  public readonly name: string;
  /** The effect of the taint. */
  public readonly effect: DeviceTaintEffect;
  /** The DeviceTaintRule (`resource.k8s.io/v1`). */
  public readonly deviceTaintRule: ApiObject;

  constructor(scope: Construct, id: string, props: DraDeviceTaintProps) {
    super(scope, id);
    checkProps(this, props, DRA_DEVICE_TAINT_PROPS);
    const model = deviceTaintModel(this, props);
    this.name = model.name;
    this.effect = model.effect;
    this.deviceTaintRule = typedApiObject(this, 'rule', k8s.KubeDeviceTaintRule, {
      metadata: { name: model.name, labels: standardLabels(model.driver.replace(/\./g, '-'), 'device-taint') },
      spec: {
        deviceSelector: { driver: model.driver, pool: model.pool, device: model.device },
        taint: { key: model.key, value: model.reason, effect: model.effect },
      },
    });
  }
}
