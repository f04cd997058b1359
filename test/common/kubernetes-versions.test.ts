import { App, Chart } from 'cdk8s';
import { ControlPlaneTarget, DraDriver, DraGoodPractices, DraTunedControlPlane } from '../../src';
import { kubernetesVersionProblem } from '../../src/common/kubernetes-versions';

describe('the Kubernetes versions the library writes for and checks', () => {
  test.each(['1.34', 'v1.35.4', '1.36', 'v1.37.2', '1.38', 'v1.38.0-beta.0'])('%s is one', version => {
    expect(kubernetesVersionProblem(version)).toBeUndefined();
  });

  test.each([
    ['1.33', 'must be 1.34 or later: resource.k8s.io/v1 is GA in 1.34'],
    ['1.39', 'must be 1.38 or older: the newest version whose DRA changes this release of cdk8s-dra knows'],
    ['2.0', 'must be 1.38 or older: the newest version whose DRA changes this release of cdk8s-dra knows'],
    ['latest', 'must be a Kubernetes version such as 1.34 or v1.36.1'],
  ])('%s is refused: %s', (version, problem) => {
    expect(kubernetesVersionProblem(version)).toBe(problem);
  });

  test('every construct and the checks refuse a version newer than the library knows, naming the prop', () => {
    const chart = () => new Chart(new App(), 'c');
    expect(() => new DraDriver(chart(), 'd', { driverName: 'gpu.example.com', image: 'registry.example/gpu:1.0', kubernetesVersion: '1.39' }))
      .toThrow(/kubernetesVersion '1.39' must be 1.38 or older/);
    expect(() => new DraTunedControlPlane(chart(), 't', { target: ControlPlaneTarget.FLAGS, scale: { nodes: 100, podCreationQps: 10 }, kubernetesVersion: '1.39' }))
      .toThrow(/kubernetesVersion '1.39' must be 1.38 or older/);
    expect(() => DraGoodPractices.checkObjects([], { kubernetesVersion: '1.39' })).toThrow(/kubernetesVersion '1.39' must be 1.38 or older/);
    expect(DraGoodPractices.checkObjects([], { kubernetesVersion: '1.38' }).findings).toEqual([]);
  });
});
