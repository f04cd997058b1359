"""What a Python user who passes a name cdk8s-dra does not know gets (run by scripts/ci-python.sh).

jsii's Python classes take keyword arguments, so Python itself refuses an unknown one, for a
construct, a factory or a struct given as a dict (jsii turns the dict into the struct class):
a TypeError naming it, before the library runs. A struct inside a list may be a plain dict,
which jsii's kernel hands to the library with only the struct's own (camelCase) keys: an
unknown key is dropped there, where the library cannot see it. Struct classes in lists are
refused like any other keyword argument: the README tells Python users to use them.
Refusals of values reach Python as the runtime's error (a RuntimeError) with the
DraValidationError message.
"""
import sys

from cdk8s import App, Chart
from cdk8s_dra import DraDriver, DraGoodPractices, DriverContainerOptions, DriverProbe

DRIVER = {"driver_name": "gpu.example.com", "image": "registry.example.com/gpu:v1"}
failures = []


def chart():
    return Chart(App(), "c")


def expect_error(name, build, kind, *says):
    try:
        build()
    except Exception as e:  # noqa: BLE001 - the kind of error is what is checked
        text = str(e)
        if not isinstance(e, kind) or not all(s in text for s in says):
            failures.append(f"{name}: expected {kind.__name__} saying {says}, got {type(e).__name__}: {text[:300]}")
        return
    failures.append(f"{name}: expected {kind.__name__}, nothing was raised")


# Unknown keyword arguments: Python's own TypeError, naming the argument.
expect_error("construct kwarg", lambda: DraDriver(chart(), "gpu", **DRIVER, readiness_probe={}), TypeError, "readiness_probe")
expect_error("factory kwarg", lambda: DraGoodPractices.of(App(), admins=["Group:platform-admins"]), TypeError, "admins")
expect_error("probe factory kwarg", lambda: DriverProbe.grpc(ports=9000), TypeError, "ports")
expect_error("struct as a dict", lambda: DraDriver(chart(), "gpu", **DRIVER, controller={"image": "ctl:v1", "replica": 2}), TypeError, "replica")
expect_error("struct class in a list", lambda: DraDriver(chart(), "gpu", **DRIVER, containers=[
    DriverContainerOptions(name="side", image="side:v1", security_contex={})]), TypeError, "security_contex")

# A plain dict in a list: jsii's kernel keeps the struct's own keys only, so the unknown one
# never reaches the library (and the container is written without it).
c = chart()
DraDriver(c, "gpu", **DRIVER, containers=[{"name": "side", "image": "side:v1", "securityContex": {"runAsUser": 1000}}])
daemon_set = next(o for o in c.to_json() if o["kind"] == "DaemonSet")
side = next(x for x in daemon_set["spec"]["template"]["spec"]["containers"] if x["name"] == "side")
if "securityContex" in side or side.get("securityContext", {}).get("runAsUser") == 1000:
    failures.append("a dict in a list: jsii now passes unknown keys on; the library refuses them, update this check and the README")

# The library's own refusals arrive as the runtime's error, with the library's message.
expect_error("a bad value", lambda: DraDriver(chart(), "gpu", driver_name="GPU_1", image="x:v1"), RuntimeError,
             "DraDriver 'gpu' (c/gpu): driverName 'GPU_1' must be a DNS subdomain")

if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
print("python unknown props: 5 unknown names refused by Python (TypeError), a dict in a list loses its unknown key in jsii, a bad value is a DraValidationError")
