'use strict';
// Runs a TF.js graph model on the TF.js CPU backend and writes its outputs as raw float32, so that
// TfjsParityTest can compare the imported SavedModel with the original model.
//
// usage: node run-tfjs.js MODEL INPUT_F32 SHAPE OUT_DIR
//   MODEL      a model.json (shards beside it), or a directory with a model.min.js bundle (nsfwjs)
//   INPUT_F32  the input tensor as little-endian float32; SHAPE its dimensions, comma-separated
//   OUT_DIR    receives outputs.json ([{name, shape, file}]) and one .f32 file per output
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfconv = require('@tensorflow/tfjs-converter');

function readModel(model) {
  if (fs.statSync(model).isDirectory()) {
    // The bundle's modules are UMD: requiring them yields the model object and base64 shards.
    const json = require(path.resolve(model, 'model.min.js'));
    const shards = json.weightsManifest.flatMap((group) =>
      group.paths.map((p) => Buffer.from(require(path.resolve(model, p + '.min.js')), 'base64')));
    return artifacts(json, shards);
  }
  const json = JSON.parse(fs.readFileSync(model, 'utf8'));
  const shards = json.weightsManifest.flatMap((group) =>
    group.paths.map((p) => fs.readFileSync(path.resolve(path.dirname(model), p))));
  return artifacts(json, shards);
}

function artifacts(json, shards) {
  const data = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
  };
}

async function main() {
  const [model, inputFile, shapeText, outDir] = process.argv.slice(2);
  if (!outDir) {
    throw new Error('usage: node run-tfjs.js MODEL INPUT_F32 SHAPE OUT_DIR');
  }
  await tf.setBackend('cpu');
  const graphModel = await tfconv.loadGraphModel(tf.io.fromMemory(readModel(model)));
  const raw = fs.readFileSync(inputFile);
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const input = tf.tensor(values, shapeText.split(',').map(Number), 'float32');
  const names = graphModel.outputs.map((output) => output.name);
  const started = Date.now();
  let outputs = graphModel.execute(input, names);
  const millis = Date.now() - started;
  outputs = Array.isArray(outputs) ? outputs : [outputs];
  fs.mkdirSync(outDir, { recursive: true });
  const index = outputs.map((tensor, i) => {
    const file = `output-${i}.f32`;
    const data = tensor.dataSync();
    fs.writeFileSync(path.join(outDir, file), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    return { name: names[i], shape: tensor.shape, file };
  });
  fs.writeFileSync(path.join(outDir, 'outputs.json'), JSON.stringify({ backend: tf.getBackend(), millis, outputs: index }, null, 1));
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
