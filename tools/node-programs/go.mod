// Small programs of ours that the node tests run as images: the pod sandbox (containerd's sandbox
// image) and the test workload. Built by scripts/node/build.sh.
module cdk8s-dra.invalid/tools/node-programs

go 1.26.0
