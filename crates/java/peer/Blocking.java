/*
 * blocking: the http units while CPU-bound units run beside them (C7 in practice). Inline:
 * a unit of the same kind per CPU task (a platform thread, or a virtual thread, which holds
 * its carrier while it computes); offloaded: the CPU tasks on a pool of one platform thread
 * per core, as the JDK advises for CPU work beside virtual threads.
 */

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

final class Blocking {
    @SuppressWarnings("unchecked")
    static Map<String, Object> run(Peer.Variant v, Map<String, Object> plan) throws Exception {
        if (v.sequential()) {
            throw new Peer.Unsupported("one unit after another has no requests in flight beside the CPU work");
        }
        Map<String, Object> http = (Map<String, Object>) plan.get("http");
        if (http.get("rate") != null) {
            throw new Peer.Unsupported("the Java peer sends as fast as answers come (a closed loop)");
        }
        int c = (int) Math.max(Harness.number(http, "concurrency"), 1);
        long tasks = Harness.number(plan, "cpu_tasks");
        long iters = Harness.number(plan, "iters");
        String mode = (String) plan.get("mode");
        int cores = Runtime.getRuntime().availableProcessors();
        HttpClient client = Http.client(http);
        Http.Run run = new Http.Run(http);
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            Harness.Clock clock = new Harness.Clock();
            List<Thread> io = Http.units(v, run, client, c);
            List<Thread> inline = new ArrayList<>();
            List<Future<Long>> offloaded = new ArrayList<>();
            for (long i = 0; i < tasks; i++) {
                long index = i;
                if (mode.equals("inline")) {
                    inline.add(v.start(() -> Harness.cpuUnit(index, iters)));
                } else if (mode.equals("offload")) {
                    offloaded.add(pool.submit(() -> Harness.cpuUnit(index, iters)));
                }
            }
            clock.started();
            Harness.joinAll(io);
            Map<String, Object> window = clock.stop();
            Harness.joinAll(inline);
            for (Future<Long> f : offloaded) {
                f.get();
            }
            List<Object[]> knobs = Http.knobs(v, http);
            if (mode.equals("offload")) {
                knobs.add(new Object[] {"offload", "a pool of " + cores + " platform threads"});
            }
            return run.report(window, c, v.workers(c), knobs);
        } finally {
            pool.shutdown();
        }
    }

    private Blocking() {}
}
