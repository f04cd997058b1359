import { ClusterScale, ControlPlaneSizing } from '../../src';

/** The scales docs/control-plane.md tabulates: SIG Scalability's churn limit is 20 pods/s. */
export const DOCS_TABLE_SCALES: ClusterScale[] = [
  { nodes: 10, podCreationQps: 5 },
  { nodes: 100, podCreationQps: 10 },
  { nodes: 500, podCreationQps: 20 },
  { nodes: 1000, podCreationQps: 20 },
  { nodes: 5000, podCreationQps: 20 },
];

/** The markdown table of the model's output, as the docs carry it. */
export function sizingTable(scales: ClusterScale[]): string {
  const rows = scales.map(scale => {
    const r = ControlPlaneSizing.recommend(scale);
    return `| ${scale.nodes} | ${scale.podCreationQps} | ${scale.claimsPerPod ?? 1} | `
      + `${r.controllerManagerQps} / ${r.controllerManagerBurst} | ${r.schedulerQps} / ${r.schedulerBurst} |`;
  });
  return [
    '| nodes | pods/s created (and deleted) | claims per pod | kube-controller-manager qps / burst | kube-scheduler qps / burst |',
    '|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
