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
          does not show; the 1 MB/2 MB is a reservation (a smaller stack, stack=64k, shrinks the \
          virtual size and leaves the resident one as it was). The real ceiling on threads is \
          the machine's limits: every thread needs memory mappings (vm.max_map_count), a \
          process id (kernel.pid_max) and a slot under ulimit -u, and the smallest of these \
          stops them long before memory runs out.",
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
    rule: "Look at the async models' rows with lock = none (the counter in a RefCell, no \
           synchronisation at all). Reproduced if every async model and variant ran them and \
           kept the final count exact in every run. Partly if every lock-free row that ran kept \
           the count exact but some models could not express a lock-free counter at all (status \
           unsupported: a multi-threaded runtime, where the compiler demands a Mutex or an \
           atomic). Not reproduced if a lock-free row lost updates, or if none could run.",
    why: "On a single-threaded executor (tokio's current-thread runtime with a LocalSet, smol's \
          local executor) tasks take turns on one thread and only switch at an .await, so an \
          increment with no .await inside it can never be interrupted by another task: a plain \
          RefCell is enough, and the count stays exact. A multi-threaded runtime (tokio's \
          default, async-std, smol with several executor threads) runs tasks in parallel \
          exactly like threads, so they need a Mutex or an atomic, and Rust refuses to compile \
          the unsynchronised version (an Rc<RefCell> is not Send) where Python's GIL and \
          asyncio's single thread hide the question. So the claim holds only for coroutines \
          kept on one thread, which also gives up every other core (C7).",
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
    why: "A waiting coroutine costs a few hundred bytes (C3); a waiting thread costs a kernel \
          task, a stack mapping and scheduler work. But with thousands of requests in flight \
          most of the memory belongs to the connections themselves (socket buffers, the HTTP \
          client's buffers), tens of KiB each whatever waits on them, so the difference between \
          threads and coroutines shrinks to a fraction of the total, and on a small machine the \
          CPU, not the waiting, caps the throughput. What coroutines really buy here is headroom: \
          threads stop at the machine's thread limit (C3), coroutines do not.",
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
          pool does, so throughput is not the problem; a single-threaded executor (tokio's \
          current-thread runtime, smol with its one default executor thread) uses one core \
          whatever the machine has. The problem is latency: a task never yields while it \
          computes, so it holds its worker and every I/O task queued behind it waits; on a \
          one-thread executor, inline CPU work delays every request in flight. Handing the work \
          to a blocking pool (spawn_blocking, smol::unblock) frees the runtime's threads, but on \
          a machine with few cores the pool still competes with the I/O for the same cores, so \
          it improves the p99 without restoring it.",
    charts: &[names::CPU_SPEEDUP, names::BLOCKING],
};

pub const CLAIMS: [&Claim; 7] = [&C1, &C2, &C3, &C4, &C5, &C6, &C7];
