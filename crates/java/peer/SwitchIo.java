/*
 * switch, through sockets: the ring again, but the token travels through a connected pair of
 * loopback TCP sockets per unit (Java has no socketpair), so each hop is a wake-up caused by
 * I/O readiness, as in a server: a platform thread blocks in read(2); a virtual thread parks
 * and the JVM's poller mounts it again when its socket is readable. One after another, one
 * thread writes the token into each socket and reads it straight back: the I/O without a
 * switch.
 */

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;

final class SwitchIo {
    /** A connected pair of loopback TCP sockets, Nagle off. */
    static SocketChannel[] pair(ServerSocketChannel server) throws IOException {
        SocketChannel a = SocketChannel.open(server.getLocalAddress());
        SocketChannel b = server.accept();
        for (SocketChannel s : new SocketChannel[] {a, b}) {
            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return new SocketChannel[] {a, b};
    }

    static void write(SocketChannel to, long token) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(token).flip();
        while (b.hasRemaining()) {
            to.write(b);
        }
    }

    /** The next token, or Switch.STOP once the other end has closed. */
    static long read(SocketChannel from) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (from.read(b) < 0) {
                return Switch.STOP;
            }
        }
        return b.flip().getLong();
    }

    static Map<String, Object> run(Peer.Variant v, Map<String, Object> plan) throws Exception {
        int units = (int) Math.max(Harness.number(plan, "units"), 2);
        long hops = Harness.number(plan, "hops");
        List<SocketChannel[]> pairs = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (int i = 0; i < units; i++) {
                pairs.add(pair(server));
            }
        }
        long[] check = {0};
        List<Double> timed = new ArrayList<>();
        List<Object[]> knobs = v.knobs();
        try {
            if (v.sequential()) {
                Map<String, Object> window = Switch.passes(plan, timed, () -> {
                    long token = 0;
                    while (token < hops) {
                        SocketChannel[] p = pairs.get((int) (token % units));
                        write(p[0], token);
                        token = read(p[1]) + 1;
                    }
                    check[0] += token;
                });
                knobs.add(new Object[] {"channel", "loopback TCP pairs, written and read by one thread"});
                return Harness.report(window, 1, knobs, check[0], null, timed);
            }
            SynchronousQueue<Long> done = new SynchronousQueue<>();
            List<Thread> ring = new ArrayList<>();
            long[] forwarded = new long[units];
            for (int i = 0; i < units; i++) {
                int unit = i;
                SocketChannel inbox = pairs.get(i)[1];
                SocketChannel next = pairs.get((i + 1) % units)[0];
                ring.add(v.start(() -> {
                    try {
                        while (true) {
                            long token = read(inbox);
                            if (token == Switch.STOP) {
                                write(next, Switch.STOP);
                                return;
                            }
                            if (token == hops) {
                                done.put(token);
                            } else {
                                write(next, token + 1);
                                forwarded[unit]++;
                            }
                        }
                    } catch (IOException e) {
                        // The ring is being torn down.
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            SocketChannel first = pairs.get(0)[0];
            Map<String, Object> window = Switch.passes(plan, timed, () -> {
                write(first, 0L);
                check[0] += done.take();
            });
            write(first, Switch.STOP);
            Harness.joinAll(ring);
            knobs.add(new Object[] {"channel", "loopback TCP socket pairs (Java has no socketpair)"});
            Map<String, Object> r = Harness.report(window, v.workers(units), knobs, check[0], null, timed);
            r.put("forwarded", forwarded);
            return r;
        } finally {
            for (SocketChannel[] p : pairs) {
                p[0].close();
                p[1].close();
            }
        }
    }

    private SwitchIo() {}
}
