import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * A configuration document a tool reads. kubeadm's ClusterConfiguration has no metadata
 * (kubeadm warns about unknown fields), so metadata is only kept when the document has its own.
 */
export class ConfigDocument extends ApiObject {
  private readonly hasMetadata: boolean;

  public constructor(scope: Construct, id: string, document: any) {
    super(scope, id, document);
    this.hasMetadata = document.metadata !== undefined;
  }

  public toJson(): any {
    const json = super.toJson();
    if (!this.hasMetadata) {
      delete json.metadata;
    }
    return json;
  }
}
