import { DraGoodPractices, GoodPracticesOptions } from '../../src';

/** `RULE Kind ns/name` for each finding, the way tests compare them. */
export function findings(objects: any[], options?: GoodPracticesOptions): string[] {
  return DraGoodPractices.checkObjects(objects, options).findings
    .map(f => `${f.ruleId} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`);
}

/** The messages of one rule's findings. */
export function messages(ruleId: string, objects: any[], options?: GoodPracticesOptions): string[] {
  return DraGoodPractices.checkObjects(objects, options).findings.filter(f => f.ruleId === ruleId).map(f => f.message);
}
