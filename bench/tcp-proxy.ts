import net from "node:net";

/**
 * A TCP proxy in front of the database for fault runs: `pause` holds every byte in both
 * directions (the database seems to hang, connections stay open), `resume` delivers what was
 * held, in order. Only the process under test goes through it; other clients of the server do not notice.
 */
export async function startDatabaseProxy(target: URL) {
  let paused = false;
  const held = new Set<() => void>();
  const sockets = new Set<net.Socket>();

  const forward = (from: net.Socket, to: net.Socket) => {
    const queue: Buffer[] = [];
    from.on("data", (chunk: Buffer) => {
      if (paused) queue.push(chunk);
      else to.write(chunk);
    });
    held.add(() => {
      for (const chunk of queue.splice(0)) to.write(chunk);
    });
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 3306), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on("error", end);
      socket.on("close", end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy listens on a TCP port");

  return {
    port: address.port,
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const deliver of held) deliver();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
