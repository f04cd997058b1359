// A jest reporter (plain JavaScript: jest loads reporters untransformed): when any test failed, it
// prints the last lines of each control-plane component's log, so a failed cluster test shows what
// the servers said. Jest's global teardown stops the control plane after this runs.
const fs = require('fs');
const path = require('path');

class ControlPlaneLogReporter {
  onRunComplete(_contexts, results) {
    const runDir = process.env.CDK8S_DRA_CLUSTER_RUN;
    const stateFile = runDir && path.join(runDir, 'control-plane', 'state.json');
    if (!stateFile || !fs.existsSync(stateFile) || (results.numFailedTests === 0 && results.numRuntimeErrorTestSuites === 0)) {
      return;
    }
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf-8'));
    const tails = state.processes.map(p => {
      const lines = fs.existsSync(p.log) ? fs.readFileSync(p.log, 'utf-8').split('\n').slice(-31).join('\n') : '';
      return `--- ${p.name} (${p.log}) ---\n${lines}`;
    });
    process.stderr.write(`\nA test failed; the control plane's log tails:\n${tails.join('\n')}\n`);
  }
}

module.exports = ControlPlaneLogReporter;
