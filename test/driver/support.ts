import { Testing } from 'cdk8s';
import { DraDriver, DraDriverProps } from '../../src';
import { findObject, synthValid, testChart } from '../support/harness';

/** The smallest valid DraDriver; tests spread their own props over it. */
export const BASE_PROPS: DraDriverProps = { driverName: 'gpu.example.com', image: 'registry.example.com/gpu-kubelet-plugin:v1.2.3' };

/** Builds DraDriver `gpu` with BASE_PROPS and `props`; synthesizes and schema-validates it. */
export function synthDriver(props: Partial<DraDriverProps> = {}): { driver: DraDriver; objects: any[] } {
  const chart = testChart();
  const driver = new DraDriver(chart, 'gpu', { ...BASE_PROPS, ...props });
  return { driver, objects: synthValid(chart) };
}

/**
 * Builds DraDriver `gpu` with props that may be bad; returns the error message (empty when
 * accepted) and what the chart would still write.
 */
export function attempt(props: Partial<DraDriverProps>): { message: string; objects: any[] } {
  const chart = testChart();
  let message = '';
  try {
    new DraDriver(chart, 'gpu', { ...BASE_PROPS, ...props });
  } catch (error) {
    message = (error as Error).message;
  }
  return { message, objects: Testing.synth(chart) };
}

/** The kubelet-plugin container of the DaemonSet. */
export function pluginContainer(objects: any[]): any {
  return findObject(objects, 'DaemonSet').spec.template.spec.containers[0];
}
