// A real SMTP server on loopback for the benchmarks (its own process, so it does not share the
// event loop of what it measures). Counts the mails it accepted and their distinct Message-IDs.
// Parent IPC: sends {port} once listening; answers {type:'count'} with {accepted, distinct, lastAt}.
import { SMTPServer } from 'smtp-server';

let accepted = 0;
let lastAt = 0;
const ids = new Set();

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  disableReverseLookup: true,
  size: 10 * 1024 * 1024,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk) => {
      if (head.length < 8192 && !head.includes('\r\n\r\n')) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1];
      if (id) ids.add(id);
      accepted++;
      lastAt = Date.now();
      callback();
    });
  },
});

server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.server.address().port });
});

process.on('message', (message) => {
  if (message?.type === 'count') process.send?.({ accepted, distinct: ids.size, lastAt });
  if (message?.type === 'reset') {
    accepted = 0;
    ids.clear();
    process.send?.({ reset: true });
  }
});
process.on('disconnect', () => process.exit(0));
