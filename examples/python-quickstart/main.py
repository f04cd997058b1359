"""examples/quickstart in Python: the same driver, monitoring and checks, and the same YAML.

The cdk8s-dra wheel comes from `npx projen package:python` (dist/python/); cdk8s and
cdk8s-plus-28 from PyPI. scripts/ci-python.sh installs all three into a fresh venv, runs this
app and compares its output with examples/quickstart/dist byte for byte.
"""
from cdk8s import App, Chart
from cdk8s_plus_28 import k8s
from cdk8s_dra import DraDriver, DraGoodPractices, DraMonitoring, DriverUpgrade

app = App()
chart = Chart(app, "quickstart")

# The reference DRA driver (kubernetes-sigs/dra-example-driver), installed with the page's driver practices.
driver = DraDriver(
    chart,
    "example-driver",
    driver_name="gpu.example.com",
    image="registry.k8s.io/dra-example-driver/dra-example-driver:v0.4.0",
    command=["dra-example-kubeletplugin"],
    namespace="dra-example-driver",
    upgrade=DriverUpgrade.seamless(),
    min_kubelet_version="1.34",  # every node runs kubelet 1.34 or newer
    metrics_port=8080,
    # kube-prometheus-stack selects ServiceMonitors by its release label, as it does rules.
    service_monitor_labels={"release": "kube-prometheus-stack"},
    env=[
        k8s.EnvVar(name="DRIVER_NAME", value="gpu.example.com"),
        k8s.EnvVar(name="DEVICE_PROFILE", value="gpu"),
        k8s.EnvVar(name="NUM_DEVICES", value="8"),
    ],
)

# Recording rules, alerts and a dashboard for the page's metrics, and for this driver. Each alert
# links to your copy of the runbooks the package ships (docs/runbooks.md).
DraMonitoring(
    chart,
    "monitoring",
    drivers=[driver],
    rule_labels={"release": "kube-prometheus-stack"},
    runbook_base_url="https://git.example.com/platform/dra/blob/main/runbooks.md",
)

# Synthesis fails, before any file is written, if anything breaks the page's practices.
DraGoodPractices.of(app, min_kubelet_version="1.34")

app.synth()
