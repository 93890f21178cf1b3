//! The article's claims as tvc tests them: the sentence, the article's own figure, the
//! experiments that measure it, the rule that decides the verdict, and the lesson. Text only;
//! the verdicts are computed in `verdict`.

use tvc_plot::names;

/// A claim of the article and how tvc tests it.
#[derive(Debug)]
pub struct Claim {
    pub id: &'static str,
    /// A heading of a few words.
    pub title: &'static str,
    pub claim: &'static str,
    /// What the article itself said or measured.
    pub article: &'static str,
    /// The experiments (files under experiments/) that measure it.
    pub experiments: &'static [&'static str],
    /// The rule that turns the data into the verdict.
    pub rule: &'static str,
    /// Why the result comes out as it does: what a reader should learn.
    pub why: &'static str,
    pub charts: &'static [&'static str],
}

pub const C1: Claim = Claim {
    id: "C1",
    title: "Sequential I/O costs N × the round trip",
    claim: "Sequential I/O costs N × the round trip: 200 GETs one after another take 200 × 83 ms.",
    article: "16.6 s for 200 GETs (83 ms each)",
    experiments: &["article"],
    rule: "Reproduced if the sequential median wall time is within 10 % of N × delay at every \
           keep-alive setting; partly if within 25 %; otherwise not reproduced.",
    why: "A blocking loop waits for each response before sending the next request, so the \
          waits add up: the CPU is idle almost the whole time. What is left above N × delay is \
          the per-request cost of the client and the loopback round trip, plus a TCP handshake \
          per request when keep-alive is off.",
    charts: &[names::ARTICLE_WALL],
};

pub const C2: Claim = Claim {
    id: "C2",
    title: "Coroutines cut the I/O time by 73 %",
    claim: "Coroutines cut the I/O time sharply: 200 concurrent GETs take 73 % less time.",
    article: "4.5 s with coroutines, a 73 % reduction",
    experiments: &["article"],
    rule: "Reduction = 1 − model median ÷ sequential median at the same keep-alive setting. \
           Reproduced if every async model (tokio, async-std, smol and their variants) reaches \
           at least 73 % at every setting; partly if some do; not reproduced if none does.",
    why: "With all 200 requests in flight at once, the wall time approaches one round trip \
          instead of 200, whatever runs the concurrency: OS threads get there as well as \
          coroutines, and a pool smaller than the concurrency does not. The article's 4.5 s is \
          54 round trips, not one: its client or the remote server limited how many requests \
          were really in flight, which says nothing about coroutines.",
    charts: &[names::ARTICLE_WALL, names::LATENCY],
};

pub const C3: Claim = Claim {
    id: "C3",
    title: "1 KB per coroutine, 1 MB per thread",
    claim: "A coroutine needs about 1 KB of memory, a thread about 1 MB.",
    article: "~1 KB per coroutine vs ~1 MB per thread",
    experiments: &["memory"],
    rule: "Per-unit cost = slope of bytes against N (fits.csv, or a least-squares fit of \
           raw.csv). Two parts: every async model's resident slope is under 10 KiB, and the \
           default thread's resident slope is at least 100 KiB. Reproduced if both hold, partly \
           if one does, not reproduced if neither does.",
    why: "A Rust coroutine is a state machine in one heap allocation, sized to what it keeps \
          across an await: hundreds of bytes, not a stack. A thread reserves its whole stack \
          (2 MiB by default in Rust) as virtual address space, but the kernel backs only the \
          pages it touches, so its resident cost is a few pages plus kernel structures that RSS \
          does not show; the 1 MB/2 MB is a reservation, and the real ceiling is the machine's \
          limits on threads and memory mappings.",
    charts: &[names::MEMORY],
};

pub const C4: Claim = Claim {
    id: "C4",
    title: "Switching coroutines is cheaper than switching threads",
    claim: "Switching between coroutines is cheaper than switching between threads.",
    article: "no figure (a qualitative claim)",
    experiments: &["switch"],
    rule: "Per setup (ring size × pinned), an async model is clearly cheaper when the upper \
           end of its interval is below the lower end of the threads model's. Reproduced if \
           every async model is clearly cheaper in every setup; not reproduced if no async \
           model has a lower median than threads in any setup; partly otherwise.",
    why: "Handing a token to another thread means a futex wake-up, a trip through the kernel's \
          scheduler and often another core's cache; handing it to another task is a queue push \
          and a function call in user space. Pinning threads to one core removes the cross-core \
          part, not the kernel part.",
    charts: &[names::SWITCH],
};

pub const C5: Claim = Claim {
    id: "C5",
    title: "Coroutines need no locks",
    claim: "Coroutines need no locks.",
    article: "no figure (a qualitative claim)",
    experiments: &["shared-state"],
    rule: "Among async models, points whose variant names no synchronisation (none, local, \
           refcell, unsync) count as lock-free. Reproduced if every such point ran with an \
           exact final count; partly if some did and others lost updates or could not be \
           written (the compiler refused a shared counter without a lock); not reproduced if \
           none did.",
    why: "Coroutines on one thread only interleave at an await, so a plain RefCell between \
          awaits is safe. On a multi-threaded runtime, tasks run in parallel exactly like \
          threads and need a Mutex or an atomic; Rust refuses to compile the unsynchronised \
          version, where Python's GIL would hide the question.",
    charts: &[names::SHARED_STATE],
};

pub const C6: Claim = Claim {
    id: "C6",
    title: "Coroutines suit highly concurrent I/O",
    claim: "Coroutines suit I/O-bound work with very many concurrent tasks.",
    article: "no figure (a qualitative claim)",
    experiments: &["io-scaling"],
    rule: "At the highest concurrency measured: reproduced if every async model completed, with \
           throughput at least 90 % of the threads model's (or threads failed there) and a lower \
           peak RSS than threads; partly if every async model completed without beating threads \
           on both; not reproduced if an async model failed.",
    why: "Each waiting coroutine costs a small allocation and a registration with the I/O \
          reactor, so 10 000 of them fit in a few megabytes. Each waiting thread costs a kernel \
          task, a stack mapping and scheduler work, and the machine's limits (threads, memory \
          mappings) stop them long before memory runs out.",
    charts: &[names::IO_SCALING],
};

pub const C7: Claim = Claim {
    id: "C7",
    title: "Coroutines are unsuitable for CPU-bound work",
    claim: "Coroutines are unsuitable for CPU-bound work.",
    article: "no figure (a qualitative claim)",
    experiments: &["cpu", "blocking"],
    rule: "Two parts. CPU: every async model's speedup over sequential is below 75 % of the best \
           thread model's (threads, rayon). Blocking: for every async model, running the CPU work \
           inline at least doubles the p99 latency of the I/O beside it. Reproduced if both hold, \
           partly if one does, not reproduced if neither does.",
    why: "A multi-threaded runtime spreads CPU-bound tasks over its worker threads much as a \
          pool does, so throughput is not the problem. The problem is that a task never yields \
          while it computes: it holds its worker, and every I/O task queued behind it waits. \
          Handing the work to a blocking pool (spawn_blocking, unblock) restores the latency.",
    charts: &[names::CPU_SPEEDUP, names::BLOCKING],
};

pub const CLAIMS: [&Claim; 7] = [&C1, &C2, &C3, &C4, &C5, &C6, &C7];
