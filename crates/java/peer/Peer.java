/*
 * tvc's Java peer: started once by a tvc worker and kept for the worker's life, it reads one
 * request per line on stdin (the workload, the model's variant and the plan, as JSON), runs
 * it, and answers with one line starting with "TVC-PEER ": the result, or why it could not
 * run. The warm-up runs come first and the measured run last, so the JVM's start-up, class
 * loading and JIT compilation of the code are paid before the measured window.
 *
 * Variants: "default" runs each unit on a platform thread (an OS thread), "virtual" on a
 * virtual thread (Java 21+, a continuation mounted on a few carrier threads), the same code
 * otherwise; "sequential" the units one after another, Java's baseline. The programs are
 * compiled with javac --release 17 (the JDK these machines have) and run on Java 25, so the
 * one Java 21 call they need, Thread.startVirtualThread, is looked up by reflection once.
 */

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class Peer {
    static final String PREFIX = "TVC-PEER ";

    /** A workload the variant cannot express; its message says why. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String why) {
            super(why);
        }
    }

    /** How the units of a run are started. */
    record Variant(String name, boolean sequential, boolean virtual) {
        /** Starts one unit: on a platform thread, or on a virtual thread. */
        Thread start(Runnable unit) {
            if (!virtual) {
                Thread thread = new Thread(unit);
                thread.start();
                return thread;
            }
            try {
                return (Thread) START_VIRTUAL.invoke(null, unit);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot start a virtual thread", e);
            }
        }

        /** OS threads that carry the units: one each on platform threads. */
        int workers(int units) {
            if (sequential) {
                return 1;
            }
            return virtual ? Runtime.getRuntime().availableProcessors() : units;
        }

        List<Object[]> knobs() {
            List<Object[]> knobs = new ArrayList<>();
            knobs.add(new Object[] {"java", Runtime.version().toString()});
            knobs.add(new Object[] {"threads", virtual ? "virtual" : sequential ? "one" : "platform"});
            return knobs;
        }
    }

    /** Thread.startVirtualThread(Runnable), Java 21+; null before. */
    static final Method START_VIRTUAL = startVirtual();

    static Method startVirtual() {
        try {
            return Thread.class.getMethod("startVirtualThread", Runnable.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    static Variant variant(String name) throws Unsupported {
        switch (name) {
            case "default":
                return new Variant(name, false, false);
            case "virtual":
                if (START_VIRTUAL == null) {
                    throw new Unsupported(
                            "virtual threads need Java 21 or later; this is Java " + Runtime.version());
                }
                return new Variant(name, false, true);
            case "sequential":
                return new Variant(name, true, false);
            default:
                throw new IllegalArgumentException("no variant " + name);
        }
    }

    static Map<String, Object> run(Map<String, Object> request) throws Exception {
        Variant v = variant((String) request.get("variant"));
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) request.get("plan");
        String workload = (String) request.get("workload");
        switch (workload) {
            case "http":
                return Http.run(v, plan);
            case "park":
                return Park.run(v, plan);
            case "switch":
                return "socket".equals(plan.get("medium")) ? SwitchIo.run(v, plan) : Switch.run(v, plan);
            case "cpu":
                return Cpu.run(v, plan);
            case "blocking":
                return Blocking.run(v, plan);
            case "shared-state":
                return Shared.run(v, plan);
            default:
                throw new IllegalArgumentException("no workload " + workload);
        }
    }

    static Map<String, Object> answer(String line) {
        Map<String, Object> reply = new LinkedHashMap<>();
        boolean rssWindow = Harness.resetPeakRss();
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> request = (Map<String, Object>) Json.parse(line);
            reply = run(request);
        } catch (Unsupported e) {
            reply.put("unsupported", e.getMessage());
            return reply;
        } catch (Exception | Error e) { // a failure to run is the row's reason, not a crash
            e.printStackTrace();
            reply.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            return reply;
        }
        Map<String, Long> status = Harness.readStatus();
        reply.put("peak_rss_kib", status.get("VmHWM"));
        reply.put("rss_window", rssWindow);
        reply.put("vm_peak_kib", status.get("VmPeak"));
        return reply;
    }

    public static void main(String[] args) throws Exception {
        // Keep-alive off asks the server to close each connection (Connection: close),
        // which java.net.http allows only when told to, before the client's first use.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.println(PREFIX + Json.write(Map.of("hello", "Java " + Runtime.version())));
        out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            out.println(PREFIX + Json.write(answer(line)));
            out.flush();
        }
    }

    private Peer() {}
}
