// The @tus/server reference: stock Server + FileStore on 127.0.0.1, in its
// own process (like a real deployment, and so its event loop does not share
// a thread with the client). Prints the port on stdout.
//   node tus-server.mjs DIRECTORY [PAGES]
// PAGES: a directory whose index.html and *.js are served at / and /<name>.js
// (bench/browser-pipelines: a page in Chromium that uploads to /files from
// the same origin).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

const tus = new Server({ path: '/files', datastore: new FileStore({ directory: process.argv[2] }) });
const pages = process.argv[3];

function page(req, res) {
  const path = req.url.split('?')[0];
  const name = path === '/' ? 'index.html' : basename(path);
  if (req.method !== 'GET' || !/^[\w.-]+\.(html|js)$/.test(name)) return false;
  let body;
  try {
    body = readFileSync(join(pages, name));
  } catch {
    return false;
  }
  res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
  return true;
}

const http = createServer((req, res) => {
  if (pages && !req.url.startsWith('/files') && page(req, res)) return;
  tus.handle(req, res);
});
http.listen(0, '127.0.0.1', () => console.log(http.address().port));
