import { ImagePullPolicy } from 'cdk8s-plus-28';

/**
 * What runs in a container of a driver: the same four fields, with the same defaults, for the
 * kubelet plugin (`DraDriverProps`), its sidecars and init containers (`DriverContainerOptions`)
 * and the central controller (`DraDriverControllerOptions`).
 */
export interface DriverContainerProcess {
  /** The container image. */
  readonly image: string;
  /**
   * The image pull policy.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * The container command.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * The container arguments.
   * @default - none
   */
  readonly args?: string[];
}
