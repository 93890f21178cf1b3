/*
 * park: N units alive at once, each blocked on one CountDownLatch until it opens, and the
 * memory they hold (C3). A platform thread is an OS thread with the JVM's bookkeeping on top;
 * a parked virtual thread is a continuation on the heap.
 */

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

final class Park {
    static Map<String, Object> run(Peer.Variant v, Map<String, Object> plan) throws Exception {
        if (v.sequential()) {
            throw new Peer.Unsupported(
                    "one unit after another never has two units alive at once: it parks nothing");
        }
        long n = Harness.number(plan, "n");
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> units = new ArrayList<>();
        Harness.ParkProbe probe = new Harness.ParkProbe(n);
        Harness.Clock clock = new Harness.Clock();
        try {
            for (long i = 0; i < n; i++) {
                units.add(v.start(() -> {
                    probe.arrive();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
        } catch (OutOfMemoryError e) { // the thread limit: data, not a crash
            release.countDown();
            Harness.joinAll(units);
            throw new IllegalStateException(
                    "thread " + (units.size() + 1) + " of " + n + " could not be started: " + e.getMessage());
        }
        probe.spawned();
        probe.waitAll();
        Map<String, Object> figures = probe.parked();
        release.countDown();
        Harness.joinAll(units);
        return Harness.report(clock.stop(), v.workers((int) n), v.knobs(), null, figures, null);
    }

    private Park() {}
}
