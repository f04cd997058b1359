"""Python users patch the same objects: test/escape-hatches.test.ts through the Python bindings.

Run by scripts/ci-python.sh with the venv that has the cdk8s-dra wheel. Each patch is a field of
Kubernetes 1.29-1.37 or a plain int-or-string / quantity value, which cdk8s-generated classes
dropped when they converted their props after the patches; every one must reach the YAML and
the good-practice checks. Exits non-zero naming each value lost.
"""
import sys

from cdk8s import ApiObject, Chart, JsonPatch, Testing
from cdk8s_dra import DraDriver, DraGoodPractices

chart = Chart(Testing.app(), "escape-hatches")
driver = DraDriver(chart, "gpu", driver_name="gpu.example.com", image="registry.example.com/gpu-driver:v1.0.0", metrics_port=9090)

PATCHES = {
    "DaemonSet": [
        ("/spec/template/spec/containers/0/securityContext/appArmorProfile", {"type": "RuntimeDefault"}),
        ("/spec/template/spec/resources", {"requests": {"cpu": "500m", "memory": "256Mi"}}),
        ("/spec/template/spec/containers/0/livenessProbe", {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10}),
        ("/spec/updateStrategy/rollingUpdate", {"maxSurge": 1, "maxUnavailable": 1}),
    ],
    "Service": [
        ("/spec/trafficDistribution", "PreferClose"),
        ("/spec/ports/0/targetPort", 8080),
    ],
}
for obj in (driver.daemon_set, driver.metrics_service):
    ApiObject.of(obj).add_json_patch(*(JsonPatch.add(path, value) for path, value in PATCHES[obj.kind]))


def value_at(document, pointer):
    for token in pointer.split("/")[1:]:
        if isinstance(document, list):
            document = document[int(token)] if token.isdigit() and int(token) < len(document) else None
        else:
            document = document.get(token) if isinstance(document, dict) else None
    return document


objects = Testing.synth(chart)
lost = [
    f"{kind} {path}: {value!r}"
    for kind, patches in PATCHES.items()
    for path, value in patches
    if value_at(next(o for o in objects if o["kind"] == kind), path) != value
]
findings = [f"{f.rule_id} {f.message}" for f in DraGoodPractices.check_objects(objects, min_kubelet_version="1.34").findings]
if not any(f.startswith("DRA002 maxSurge 1 runs two driver pods per node") for f in findings):
    lost.append(f"DRA002 did not see the patched maxSurge 1: {findings}")
if lost:
    print("patches lost through the Python bindings:\n  " + "\n  ".join(lost), file=sys.stderr)
    sys.exit(1)
print(f"escape hatches: {sum(len(p) for p in PATCHES.values())} patched values in the YAML, DRA002 sees the patched rollout")
