/*
 * What every workload file shares, as tvc-core is for the Rust models: the measured window
 * (Clock), the park probe, the process readings they need, and the result's shape.
 */

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

final class Harness {
    /** A few lines of /proc/self/status, in kB (Threads: a count). */
    static Map<String, Long> readStatus() {
        return readKeys("/proc/self/status", Map.of("Threads", "Threads", "VmSize", "VmSize",
                "VmPeak", "VmPeak", "VmRSS", "VmRSS", "VmHWM", "VmHWM"));
    }

    /** What the kernel holds for all processes (/proc/meminfo): a thread's cost that RSS omits. */
    static Map<String, Long> readKernelMemory() {
        return readKeys("/proc/meminfo", Map.of("KernelStack", "kernel_stack_kib",
                "PageTables", "page_tables_kib", "SUnreclaim", "slab_unreclaim_kib"));
    }

    private static Map<String, Long> readKeys(String file, Map<String, String> names) {
        Map<String, Long> found = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                String name = colon < 0 ? null : names.get(line.substring(0, colon));
                if (name != null) {
                    found.put(name, Long.parseLong(line.substring(colon + 1).trim().split("\\s+")[0]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Unreadable: the figures stay missing.
        }
        return found;
    }

    /**
     * Resets this process's high-water mark (VmHWM); false where clear_refs is not writable,
     * or where TVC_NO_CLEAR_REFS=1 says to act as if (tests of the fallback).
     */
    static boolean resetPeakRss() {
        if ("1".equals(System.getenv("TVC_NO_CLEAR_REFS"))) {
            return false;
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** CPU seconds (user, system) and context switches of this process, from /proc/self/stat and status. */
    static long[] usage() {
        long[] u = new long[4];
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            u[0] = Long.parseLong(f[11]);
            u[1] = Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            // Unreadable: zero.
        }
        // Every thread's switches: /proc/self/status counts the main thread's only.
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                for (String line : Files.readAllLines(task.resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:")) {
                        u[2] += Long.parseLong(line.split("\\s+")[1]);
                    } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                        u[3] += Long.parseLong(line.split("\\s+")[1]);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // A thread that ended while read: counted as far as it was.
        }
        return u;
    }

    /** The measured window: from the first unit about to start to the last one joined. */
    static final class Clock {
        private final long[] usage = usage();
        private final long start = System.nanoTime();
        private long threads;

        /** Notes the threads the process has once every unit is running. */
        void started() {
            threads = Math.max(threads, readStatus().getOrDefault("Threads", 0L));
        }

        Map<String, Object> stop() {
            double wall = (System.nanoTime() - start) / 1e6;
            long[] after = usage();
            started();
            double tick = 1000.0 / 100; // USER_HZ: 100 ticks a second on Linux
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("user_ms", (after[0] - usage[0]) * tick);
            u.put("sys_ms", (after[1] - usage[1]) * tick);
            u.put("vol_ctx_switches", Math.max(0, after[2] - usage[2]));
            u.put("invol_ctx_switches", Math.max(0, after[3] - usage[3]));
            u.put("max_rss_kib", readStatus().getOrDefault("VmHWM", 0L));
            Map<String, Object> window = new LinkedHashMap<>();
            window.put("wall_ms", wall);
            window.put("usage", u);
            window.put("threads", threads);
            return window;
        }
    }

    /** The result of a workload that makes no request. */
    static Map<String, Object> report(Map<String, Object> window, int workers, List<Object[]> knobs,
            Object check, Object park, List<Double> passes) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("window", window);
        r.put("workers", workers);
        r.put("knobs", knobs);
        r.put("check", check);
        r.put("park", park);
        r.put("passes_ms", passes == null ? new ArrayList<>() : passes);
        return r;
    }

    /** A 64-bit result as JSON's unsigned number. */
    static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    /** Reads memory before the units start and once all are parked, and counts them in. */
    static final class ParkProbe {
        final long n;
        final AtomicLong count = new AtomicLong();
        final AtomicLong first = new AtomicLong();
        final AtomicLong last = new AtomicLong();
        volatile long spawnedAt;
        final Map<String, Long> baseline = readStatus();
        final Map<String, Long> baselineKernel = readKernelMemory();
        final long start = System.nanoTime();

        ParkProbe(long n) {
            this.n = n;
        }

        /** Called first thing in every unit. */
        void arrive() {
            long k = count.incrementAndGet();
            if (k == 1 || k == n) {
                long ns = System.nanoTime() - start;
                if (k == 1) {
                    first.set(ns);
                }
                if (k == n) {
                    last.set(ns);
                }
            }
        }

        /** Called right after the last start returns. */
        void spawned() {
            spawnedAt = System.nanoTime() - start;
        }

        void waitAll() throws InterruptedException {
            while (count.get() < n) {
                Thread.sleep(0, 200_000);
            }
        }

        /** Called once every unit has checked in, before releasing them. */
        Map<String, Object> parked() {
            double spawn = (System.nanoTime() - start) / 1e6;
            Map<String, Long> now = readStatus();
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("n", n);
            f.put("spawn_ms", spawn);
            f.put("created_ms", spawnedAt / 1e6);
            f.put("first_run_ms", first.get() / 1e6);
            f.put("all_started_ms", last.get() / 1e6);
            f.put("baseline_rss_kib", baseline.getOrDefault("VmRSS", 0L));
            f.put("baseline_vm_kib", baseline.getOrDefault("VmSize", 0L));
            f.put("parked_rss_kib", now.getOrDefault("VmRSS", 0L));
            f.put("parked_vm_kib", now.getOrDefault("VmSize", 0L));
            f.put("parked_threads", now.getOrDefault("Threads", 0L));
            f.put("baseline_kernel", baselineKernel);
            f.put("parked_kernel", readKernelMemory());
            return f;
        }
    }

    /** One unit of CPU work: iters rounds of splitmix64, as tvc_core::work::cpu_unit. */
    static long cpuUnit(long index, long iters) {
        long x = index * 0x9E3779B97F4A7C15L ^ 0xD1B54A32D192ED03L;
        for (long i = 0; i < iters; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            x ^= z ^ (z >>> 31);
        }
        return x;
    }

    static long number(Map<String, Object> plan, String key) {
        return ((Number) plan.get(key)).longValue();
    }

    /** Joins every unit's thread. */
    static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    private Harness() {}
}
