import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** A kind generated into src/imports: its static `manifest()` writes typed props as the object's JSON. */
export interface GeneratedKind<Props> {
  manifest(props: Props): any;
}

/**
 * An object of a kind generated into src/imports, built from props typed by that kind's schema
 * and converted to JSON once, here.
 *
 * The generated classes convert their props in `toJson()`, after the escape-hatch patches are
 * applied, and that conversion drops what it does not know: a patched field of a Kubernetes
 * newer than the schema, and an IntOrString or Quantity patched in as a plain value
 * (`port: 8080`, `cpu: '1'`: the converter reads `.value`). A plain ApiObject holding the
 * converted JSON applies the patches last, so a user's patch always reaches the YAML.
 */
export function typedApiObject<Props>(scope: Construct, id: string, kind: GeneratedKind<Props>, props: Props): ApiObject {
  return new ApiObject(scope, id, kind.manifest(props));
}
