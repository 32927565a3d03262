import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript file under Jest (no build): a require hook compiles .ts with
 * SWC, as Jest does, so a spec runs the real thread and the real message passing.
 */
export function tsWorker(file: string, workerData: unknown): Worker {
  const bootstrap = `
    const fs = require('node:fs');
    const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
    require.extensions['.ts'] = (module, filename) => {
      const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
        filename,
        jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
        module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { eval: true, workerData });
}
