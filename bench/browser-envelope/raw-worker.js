// The WebCrypto ceiling: AES-256-GCM over 1 MiB buffers in a loop, nothing
// else (no streams, no copies, no postMessage per record).
self.onmessage = async (ev) => {
  const { records, size } = ev.data;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const data = new Uint8Array(size);
  crypto.getRandomValues(data.subarray(0, 65536));
  const iv = new Uint8Array(12), aad = new Uint8Array(96);
  const t0 = performance.now();
  let ct;
  for (let i = 0; i < records; i++) {
    new DataView(iv.buffer).setUint32(7, i);
    ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, data);
  }
  const tEnc = performance.now() - t0;
  const t1 = performance.now();
  new DataView(iv.buffer).setUint32(7, records - 1);
  for (let i = 0; i < records; i++) await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, ct);
  const tDec = performance.now() - t1;
  self.postMessage({ tEnc, tDec });
};
