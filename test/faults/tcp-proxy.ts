import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in the test process in front of a real server, which the test can stall (accept
 * and hold every byte, as a hung database does) or cut (reset every connection and refuse new
 * ones), then restore. The server behind it is never touched.
 */
export class TcpProxy {
  private mode: 'pass' | 'pause' | 'cut' = 'pass';
  private readonly pairs = new Set<{ client: Socket; upstream?: Socket }>();
  private readonly waiting: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const holder: { proxy?: TcpProxy } = {};
    const server = createServer((client) => holder.proxy?.accept(client, targetPort, targetHost));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    holder.proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0);
    return holder.proxy;
  }

  /** Hold every byte in both directions; new connections are accepted and held too. */
  pause(): void {
    this.mode = 'pause';
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream?.pause();
    }
  }

  /** Reset every connection and refuse new ones. */
  cut(): void {
    this.mode = 'cut';
    for (const { client, upstream } of this.pairs) {
      client.resetAndDestroy();
      upstream?.destroy();
    }
    this.pairs.clear();
  }

  /** Pass traffic again (what was held flows on). */
  restore(): void {
    this.mode = 'pass';
    for (const { client, upstream } of this.pairs) {
      client.resume();
      upstream?.resume();
    }
    for (const go of this.waiting.splice(0)) {
      go();
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, port: number, host: string): void {
    if (this.mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const pair: { client: Socket; upstream?: Socket } = { client };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    });
    const open = () => {
      if (client.destroyed) {
        return;
      }
      const upstream = connect(port, host);
      pair.upstream = upstream;
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      if (this.mode === 'pause') {
        client.pause();
        upstream.pause();
      }
    };
    if (this.mode === 'pause') {
      client.pause();
      this.waiting.push(open);
    } else {
      open();
    }
  }
}
