/*
 * switch: a token passed around a ring of units through SynchronousQueues (a hand-over
 * with no buffer), every hand-over a switch (C4): a platform thread is woken by the kernel,
 * a virtual thread is mounted again on a carrier by the JVM's scheduler. One after another,
 * the token passes through a local variable: the loop's own cost.
 */

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;

final class Switch {
    /** The ring's last token: every unit forwards it and stops. */
    static final long STOP = -1L;

    /** One pass of the ring. */
    interface Pass {
        void run() throws Exception;
    }

    /** Untimed warm-up passes, then timed ones, the window over the timed ones only. */
    static Map<String, Object> passes(Map<String, Object> plan, List<Double> timed, Pass pass)
            throws Exception {
        long warmup = Harness.number(plan, "warmup_passes");
        long total = warmup + Math.max(Harness.number(plan, "passes"), 1);
        Harness.Clock clock = null;
        for (long i = 0; i < total; i++) {
            if (i == warmup) {
                clock = new Harness.Clock();
            }
            long start = System.nanoTime();
            pass.run();
            if (i >= warmup) {
                timed.add((System.nanoTime() - start) / 1e6);
            }
        }
        return clock.stop();
    }

    static Map<String, Object> run(Peer.Variant v, Map<String, Object> plan) throws Exception {
        int units = (int) Math.max(Harness.number(plan, "units"), 2);
        long hops = Harness.number(plan, "hops");
        long[] check = {0};
        List<Double> timed = new ArrayList<>();
        if (v.sequential()) {
            Map<String, Object> window = passes(plan, timed, () -> {
                long token = 0;
                while (token != hops) {
                    token++;
                }
                check[0] += token;
            });
            return Harness.report(window, 1, v.knobs(), check[0], null, timed);
        }
        List<SynchronousQueue<Long>> inboxes = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            inboxes.add(new SynchronousQueue<>());
        }
        SynchronousQueue<Long> done = new SynchronousQueue<>();
        List<Thread> ring = new ArrayList<>();
        long[] forwarded = new long[units];
        for (int i = 0; i < units; i++) {
            int unit = i;
            SynchronousQueue<Long> inbox = inboxes.get(i);
            SynchronousQueue<Long> next = inboxes.get((i + 1) % units);
            ring.add(v.start(() -> {
                try {
                    while (true) {
                        long token = inbox.take();
                        if (token == STOP) {
                            next.put(STOP);
                            return;
                        }
                        if (token == hops) {
                            done.put(token);
                        } else {
                            next.put(token + 1);
                            forwarded[unit]++;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        Map<String, Object> window = passes(plan, timed, () -> {
            inboxes.get(0).put(0L);
            check[0] += done.take();
        });
        inboxes.get(0).put(STOP);
        inboxes.get(0).take(); // the stop, back round the ring: every unit has forwarded it
        Harness.joinAll(ring);
        List<Object[]> knobs = v.knobs();
        knobs.add(new Object[] {"channel", "java.util.concurrent.SynchronousQueue"});
        Map<String, Object> r = Harness.report(window, v.workers(units), knobs, check[0], null, timed);
        r.put("forwarded", forwarded);
        return r;
    }

    private Switch() {}
}
