// The unencrypted send reference, in Chromium: a stock tus-js-client uploads
// the file picked in <input id=f> to @tus/server on the same origin
// (bench/upload-ingest/tus-server.mjs), the way the compose page uploads,
// minus the encryption. Bundled by run.mjs with esbuild.
import { Upload } from 'tus-js-client';

globalThis.refUpload = ({ chunkSize }) =>
  new Promise((resolve, reject) => {
    const file = document.getElementById('f').files[0];
    const up = new Upload(file, {
      endpoint: '/files',
      chunkSize,
      retryDelays: [],
      storeFingerprintForResuming: false,
      metadata: { filename: file.name },
      onError: (e) => reject(new Error(String(e?.message || e))),
      onSuccess: () => resolve(up.url),
    });
    up.start();
  });
globalThis.refReady = true;
