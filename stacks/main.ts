import { App } from 'cdktf';
import { CollectorStack } from '../src/collector-stack';
import { synthesizeAtomically } from '../src/synthesize';

/** Adds the default deployment: one collector on the local Docker socket. */
function build(app: App): void {
  new CollectorStack(app, 'collector-local', { hostName: 'local', addresses: ['localhost', '127.0.0.1'] });
}

// Under `cdktf synth`/`cdktf deploy` the CLI owns the output directory and tells us where it is.
if (process.env.CDKTF_OUTDIR) {
  const app = new App();
  build(app);
  app.synth();
} else {
  synthesizeAtomically('cdktf.out', build);
}
