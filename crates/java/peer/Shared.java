/*
 * shared-state: K units increment one counter (C5), behind a ReentrantLock, as an AtomicLong,
 * or with no lock at all. Java compiles the last without a word: platform and virtual threads
 * alike run in parallel on every core, so unlocked increments are lost, in either form.
 */

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

final class Shared {
    /** Units yield to the others after this many increments (tvc_core::work::YIELD_EVERY). */
    static final long YIELD_EVERY = 64;

    /** The counter every unit increments. */
    static final class Counter {
        long value;
    }

    static long addOne(long value) {
        return value + 1;
    }

    static Map<String, Object> run(Peer.Variant v, Map<String, Object> plan) throws Exception {
        int units = (int) Harness.number(plan, "units");
        long increments = Harness.number(plan, "increments");
        String lock = (String) plan.get("lock");
        Counter counter = new Counter();
        AtomicLong atomic = new AtomicLong();
        ReentrantLock mutex = new ReentrantLock();
        Runnable increment = switch (lock) {
            case "mutex" -> () -> {
                mutex.lock();
                try {
                    counter.value++;
                } finally {
                    mutex.unlock();
                }
            };
            case "atomic" -> atomic::incrementAndGet;
            case "none" -> () -> counter.value++;
            case "none-call" -> () -> counter.value = addOne(counter.value);
            default -> throw new Peer.Unsupported("no lock " + lock);
        };
        Runnable unit = () -> {
            for (long j = 1; j <= increments; j++) {
                increment.run();
                if (j % YIELD_EVERY == 0 && !v.sequential()) {
                    Thread.yield();
                }
            }
        };
        Harness.Clock clock = new Harness.Clock();
        if (v.sequential()) {
            for (int i = 0; i < units; i++) {
                unit.run();
            }
        } else {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < units; i++) {
                threads.add(v.start(unit));
            }
            Harness.joinAll(threads);
        }
        Map<String, Object> window = clock.stop();
        List<Object[]> knobs = v.knobs();
        knobs.add(new Object[] {"lock", lock});
        long count = counter.value + atomic.get();
        return Harness.report(window, v.workers(units), knobs, Harness.unsigned(count), null, null);
    }

    private Shared() {}
}
