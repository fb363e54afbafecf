// The @tus/server reference: stock Server + FileStore on 127.0.0.1, in its
// own process (like a real deployment, and so its event loop does not share
// a thread with the client). Prints the port on stdout.
//   node tus-server.mjs DIRECTORY
import { createServer } from 'node:http';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

const tus = new Server({ path: '/files', datastore: new FileStore({ directory: process.argv[2] }) });
const http = createServer((req, res) => tus.handle(req, res));
http.listen(0, '127.0.0.1', () => console.log(http.address().port));
