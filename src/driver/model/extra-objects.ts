import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { objectKey } from '../../common/object-key';
import { DriverObject } from '../driver-object';
import { checkDriverObject } from '../driver-object-checks';
import { DraDriverProps } from '../driver-props';

/** The driver's own objects (its CRDs, config), each checked, none naming an object another already names. */
export function extraObjectsModel(scope: IConstruct, props: DraDriverProps, namespace: string): DriverObject[] {
  const extraObjects = props.extraObjects ?? [];
  const objectKeys = new Set<string>();
  extraObjects.forEach((object, index) => {
    checkDriverObject(scope, `extraObjects[${index}]`, object);
    const key = objectKey({
      apiVersion: object.apiVersion, kind: object.kind, namespace: object.clusterScoped ? undefined : namespace, name: object.name,
    });
    if (objectKeys.has(key)) {
      invalidProp(scope, `extraObjects[${index}].name`, object.name, `names the same ${object.kind} as an earlier extra object: the API server would keep one of them`);
    }
    objectKeys.add(key);
  });
  return extraObjects;
}
