/*
 * cpu: N units of the same CPU-bound work, the speedup against one after another (C7).
 * Platform threads run on every core; virtual threads run on a carrier pool of one thread per
 * core, and a virtual thread that computes keeps its carrier until it ends.
 */

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

final class Cpu {
    static Map<String, Object> run(Peer.Variant v, Map<String, Object> plan) throws Exception {
        int n = (int) Harness.number(plan, "n");
        long iters = Harness.number(plan, "iters");
        long[] results = new long[n];
        Harness.Clock clock = new Harness.Clock();
        if (v.sequential()) {
            for (int i = 0; i < n; i++) {
                results[i] = Harness.cpuUnit(i, iters);
            }
        } else {
            List<Thread> units = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                units.add(v.start(() -> results[index] = Harness.cpuUnit(index, iters)));
            }
            clock.started();
            Harness.joinAll(units);
        }
        Map<String, Object> window = clock.stop();
        long check = 0;
        for (long r : results) {
            check ^= r;
        }
        return Harness.report(window, v.workers(n), v.knobs(), Harness.unsigned(check), null, null);
    }

    private Cpu() {}
}
