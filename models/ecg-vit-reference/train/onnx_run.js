// Runs model.onnx with the gateway's runtime (onnxruntime-node) on float32 LE inputs (N,12,1000)
// and writes the outputs as JSON: node onnx_run.js MODEL INPUT N OUT.json (run from the repo root).
const fs = require('node:fs');
const path = require('node:path');
const ort = require(path.resolve('node_modules/onnxruntime-node'));

async function main() {
  const [model, input, n, out] = process.argv.slice(2);
  const buf = fs.readFileSync(input);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const res = await session.run({ ecg: new ort.Tensor('float32', data, [Number(n), 12, 1000]) });
  const version = require(path.resolve('node_modules/onnxruntime-node/package.json')).version;
  fs.writeFileSync(out, JSON.stringify({ version, logits: Array.from(res.logits.data), age_years: Array.from(res.age_years.data) }));
}
main().catch((e) => { console.error(e); process.exit(1); });
