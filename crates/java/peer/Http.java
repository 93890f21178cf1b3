/*
 * http: C units each making requests until the work runs out (C1, C2, C6), through
 * java.net.http, Java's standard client: one HttpClient (HTTP/1.1), each unit calling its
 * synchronous send, which blocks a platform thread and parks a virtual one. Keep-alive on:
 * the client pools its connections; off: every request asks the server to close its
 * connection (Connection: close).
 */

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

final class Http {
    /** One run's requests: units claim the next from one counter, each recorded in its slot. */
    static final class Run {
        final int n;
        final HttpRequest request;
        final AtomicInteger next = new AtomicInteger();
        final Object[][] results;
        final AtomicReference<String> firstError = new AtomicReference<>();

        Run(Map<String, Object> plan) {
            n = (int) Harness.number(plan, "n");
            results = new Object[n][];
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create((String) plan.get("url")))
                    .timeout(Duration.ofMillis(Harness.number(plan, "request_timeout_ms")))
                    .GET();
            if (!Boolean.TRUE.equals(plan.get("keep_alive"))) {
                b.header("Connection", "close");
            }
            request = b.build();
        }

        /** The next request's index, or -1 once the work has run out. */
        int claim() {
            int i = next.getAndIncrement();
            return i < n ? i : -1;
        }

        static Long header(HttpResponse<?> r, String name) {
            Optional<String> v = r.headers().firstValue(name);
            try {
                return v.map(Long::valueOf).orElse(null);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** Makes request i and records it. */
        void get(HttpClient client, int i) {
            long started = System.nanoTime();
            try {
                HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                double latency = (System.nanoTime() - started) / 1e9;
                results[i] = new Object[] {latency, r.statusCode(), null,
                    header(r, "x-tvc-served-delay-us"), header(r, "x-tvc-asked-delay-us")};
            } catch (IOException | InterruptedException e) {
                double latency = (System.nanoTime() - started) / 1e9;
                results[i] = new Object[] {latency, null, errorKind(e), null, null};
                firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        Map<String, Object> report(Map<String, Object> window, int inFlight, int workers,
                List<Object[]> knobs) {
            List<Object[]> requests = new ArrayList<>();
            for (Object[] r : results) {
                if (r != null) {
                    requests.add(r);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("window", window);
            out.put("in_flight", inFlight);
            out.put("workers", workers);
            out.put("knobs", knobs);
            out.put("requests", requests);
            out.put("first_error", firstError.get());
            return out;
        }
    }

    /** tvc's ErrorKind name for a request's exception. */
    static String errorKind(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return "tls";
            }
        }
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (e instanceof ConnectException) {
            return "connect";
        }
        String text = String.valueOf(e.getMessage()).toLowerCase();
        if (text.contains("reset") || text.contains("closed") || text.contains("eof")) {
            return "reset";
        }
        return "io";
    }

    /** One client for the run; an https plan's CA file is trusted beside nothing else. */
    static HttpClient client(Map<String, Object> plan) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(Harness.number(plan, "request_timeout_ms")));
        Object ca = plan.get("ca_file");
        if (ca != null && ((String) plan.get("url")).startsWith("https")) {
            KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            try (InputStream pem = new FileInputStream((String) ca)) {
                int k = 0;
                for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                    roots.setCertificateEntry("ca" + k++, cert);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(roots);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            b.sslContext(tls);
        }
        return b.build();
    }

    /** Starts the c request units. */
    static List<Thread> units(Peer.Variant v, Run run, HttpClient client, int c) {
        List<Thread> units = new ArrayList<>();
        for (int u = 0; u < c; u++) {
            units.add(v.start(() -> {
                for (int i = run.claim(); i >= 0; i = run.claim()) {
                    run.get(client, i);
                }
            }));
        }
        return units;
    }

    static List<Object[]> knobs(Peer.Variant v, Map<String, Object> plan) {
        List<Object[]> knobs = v.knobs();
        knobs.add(new Object[] {"client", "one java.net.http.HttpClient, HTTP/1.1, send"});
        boolean keepAlive = Boolean.TRUE.equals(plan.get("keep_alive"));
        knobs.add(new Object[] {"pool", keepAlive ? "the client's own, unbounded" : "none (Connection: close)"});
        return knobs;
    }

    static Map<String, Object> run(Peer.Variant v, Map<String, Object> plan) throws Exception {
        if (plan.get("rate") != null) {
            throw new Peer.Unsupported(
                    "the Java peer sends as fast as answers come (a closed loop); it has no schedule to send on at a rate");
        }
        int c = v.sequential() ? 1 : (int) Math.max(Harness.number(plan, "concurrency"), 1);
        HttpClient client = client(plan);
        Run run = new Run(plan);
        Harness.Clock clock = new Harness.Clock();
        List<Thread> units = units(v, run, client, c);
        clock.started();
        Harness.joinAll(units);
        Map<String, Object> window = clock.stop();
        return run.report(window, c, v.workers(c), knobs(v, plan));
    }

    private Http() {}
}
