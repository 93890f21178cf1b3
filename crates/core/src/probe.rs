//! Process probes: CPU time and context switches from `getrusage` (all threads; the counters
//! in `/proc/self/status` cover the main thread only), memory and thread counts from
//! `/proc/self/status`, the peak resident set reset around the measured run, what the
//! kernel holds beside it (`/proc/meminfo`), and predictions of how many threads and
//! stackful coroutines this machine lets one process have.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// CPU time and context switches, from `getrusage` or the parent's `wait4`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub user_ms: f64,
    pub sys_ms: f64,
    pub vol_ctx_switches: u64,
    pub invol_ctx_switches: u64,
    /// Peak resident set in KiB (`ru_maxrss`): a high-water mark, not a delta.
    pub max_rss_kib: u64,
}

impl Usage {
    pub fn from_rusage(r: &libc::rusage) -> Usage {
        let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
        Usage {
            user_ms: ms(r.ru_utime),
            sys_ms: ms(r.ru_stime),
            vol_ctx_switches: r.ru_nvcsw as u64,
            invol_ctx_switches: r.ru_nivcsw as u64,
            max_rss_kib: r.ru_maxrss as u64,
        }
    }

    /// This process, all threads.
    pub fn of_self() -> Usage {
        // SAFETY: getrusage only writes into the struct we hand it.
        let mut r: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut r) };
        Usage::from_rusage(&r)
    }

    /// What happened between `earlier` and `self` (the peak RSS is kept as the later value).
    pub fn since(&self, earlier: &Usage) -> Usage {
        Usage {
            user_ms: self.user_ms - earlier.user_ms,
            sys_ms: self.sys_ms - earlier.sys_ms,
            vol_ctx_switches: self
                .vol_ctx_switches
                .saturating_sub(earlier.vol_ctx_switches),
            invol_ctx_switches: self
                .invol_ctx_switches
                .saturating_sub(earlier.invol_ctx_switches),
            max_rss_kib: self.max_rss_kib,
        }
    }
}

/// A few lines of `/proc/self/status`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Status {
    pub threads: u64,
    pub vm_size_kib: u64,
    /// The peak virtual size over the process's whole life (the kernel cannot reset it).
    pub vm_peak_kib: u64,
    pub vm_rss_kib: u64,
    /// The peak resident set since the process started or [`reset_peak_rss`] was called.
    pub vm_hwm_kib: u64,
}

impl Status {
    pub fn of_self() -> Status {
        std::fs::read_to_string("/proc/self/status")
            .map(|s| Status::parse(&s))
            .unwrap_or_default()
    }

    /// Another live process's; `None` once it has gone.
    pub fn of(pid: u32) -> Option<Status> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        Some(Status::parse(&text))
    }

    fn parse(text: &str) -> Status {
        let mut s = Status::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let number = || {
                value
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0)
            };
            match key {
                "Threads" => s.threads = number(),
                "VmSize" => s.vm_size_kib = number(),
                "VmPeak" => s.vm_peak_kib = number(),
                "VmRSS" => s.vm_rss_kib = number(),
                "VmHWM" => s.vm_hwm_kib = number(),
                _ => {}
            }
        }
        s
    }
}

/// Resets this process's peak resident set (`VmHWM`) to its current RSS, so a later read
/// of [`Status::vm_hwm_kib`] is the peak of what ran in between: the measured run alone,
/// not the warm-up, and not the orchestrator's high-water mark that a forked child
/// inherits in `ru_maxrss` across `exec`. (`/proc/self/clear_refs`, Linux 4.0 and later.)
/// `TVC_NO_CLEAR_REFS=1` makes it fail as it does where the file cannot be written (tests of
/// the fallback; the peers' programs honour it too).
pub fn reset_peak_rss() -> std::io::Result<()> {
    if std::env::var(NO_CLEAR_REFS_VAR).is_ok_and(|v| v == "1") {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("{NO_CLEAR_REFS_VAR}=1"),
        ));
    }
    std::fs::write("/proc/self/clear_refs", "5")
}

/// Set to `1`, [`reset_peak_rss`] fails as where `/proc/self/clear_refs` is not writable.
pub const NO_CLEAR_REFS_VAR: &str = "TVC_NO_CLEAR_REFS";

/// What the kernel holds for all processes, from `/proc/meminfo`: the memory a thread costs
/// that its process's RSS does not show. Machine-wide, so a change is only this process's
/// when the machine is otherwise quiet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct KernelMemory {
    /// One kernel stack per thread (16 KiB on x86_64).
    pub kernel_stack_kib: u64,
    pub page_tables_kib: u64,
    /// Unreclaimable slab: task structs and the other per-thread kernel objects.
    pub slab_unreclaim_kib: u64,
}

impl KernelMemory {
    pub fn read() -> KernelMemory {
        std::fs::read_to_string("/proc/meminfo")
            .map(|s| KernelMemory::parse(&s))
            .unwrap_or_default()
    }

    fn parse(text: &str) -> KernelMemory {
        let mut k = KernelMemory::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let kib = value
                .split_whitespace()
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            match key {
                "KernelStack" => k.kernel_stack_kib = kib,
                "PageTables" => k.page_tables_kib = kib,
                "SUnreclaim" => k.slab_unreclaim_kib = kib,
                _ => {}
            }
        }
        k
    }

    pub fn total_kib(&self) -> u64 {
        self.kernel_stack_kib + self.page_tables_kib + self.slab_unreclaim_kib
    }

    /// Waits until the kernel's own memory stops moving (two readings 50 ms apart within
    /// 64 KiB), at most `limit`: after a process with thousands of threads exits, the kernel
    /// frees their stacks and task structs over the following moments, which would show as
    /// a fall in the next measurement. Returns how long it waited.
    pub fn settle(limit: Duration) -> Duration {
        let start = std::time::Instant::now();
        let mut last = KernelMemory::read().total_kib();
        while start.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(50));
            let now = KernelMemory::read().total_kib();
            if now.abs_diff(last) < 64 {
                break;
            }
            last = now;
        }
        start.elapsed()
    }
}

/// `TVC_PARK_HOLD_MS=ms` keeps parked units parked that long once measured.
pub const HOLD_VAR: &str = "TVC_PARK_HOLD_MS";

/// Reads memory (the process's and the kernel's) before units are spawned and again once
/// all are parked, and counts the units in as they start.
pub struct ParkProbe {
    baseline: Status,
    baseline_kernel: KernelMemory,
    arrivals: Arc<Arrivals>,
}

/// Where parked units check in, on their first instruction: a count, and the moments the
/// first and the last one started, measured from the first spawn. Only those two read the
/// clock, so checking in costs every unit one atomic add.
pub struct Arrivals {
    n: u64,
    start: std::time::Instant,
    count: AtomicU64,
    first_ns: AtomicU64,
    last_ns: AtomicU64,
    /// When the spawner's last spawn call returned (0: not said).
    spawned_ns: AtomicU64,
}

impl Arrivals {
    /// Call first thing in every unit.
    pub fn arrive(&self) {
        let k = self.count.fetch_add(1, Ordering::AcqRel);
        if k == 0 || k + 1 == self.n {
            let ns = u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX);
            if k == 0 {
                self.first_ns.store(ns, Ordering::Release);
            }
            if k + 1 == self.n {
                self.last_ns.store(ns, Ordering::Release);
            }
        }
    }

    /// Whether every unit has started.
    pub fn all(&self) -> bool {
        self.count.load(Ordering::Acquire) >= self.n
    }

    /// Waits (sleeping) until every unit has started.
    pub fn wait_all(&self) {
        while !self.all() {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

impl ParkProbe {
    /// Call right before spawning the first of `n` units.
    pub fn begin(n: u64) -> ParkProbe {
        let baseline = Status::of_self();
        let baseline_kernel = KernelMemory::read();
        ParkProbe {
            baseline,
            baseline_kernel,
            arrivals: Arc::new(Arrivals {
                n,
                start: std::time::Instant::now(),
                count: AtomicU64::new(0),
                first_ns: AtomicU64::new(0),
                last_ns: AtomicU64::new(0),
                spawned_ns: AtomicU64::new(0),
            }),
        }
    }

    /// Call right after the last spawn call returns: the time to create the units, apart
    /// from the time they take to start.
    pub fn spawned(&self) {
        let ns = u64::try_from(self.arrivals.start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.arrivals.spawned_ns.store(ns.max(1), Ordering::Release);
    }

    /// Where the units check in.
    pub fn arrivals(&self) -> Arc<Arrivals> {
        self.arrivals.clone()
    }

    /// Call once every unit has checked in, before releasing them.
    pub fn parked(&self) -> crate::ParkFigures {
        let a = &self.arrivals;
        let spawn_ms = a.start.elapsed().as_secs_f64() * 1e3;
        let ms = |ns: &AtomicU64| ns.load(Ordering::Acquire) as f64 / 1e6;
        let now = Status::of_self();
        let figures = crate::ParkFigures {
            n: a.n,
            spawn_ms,
            created_ms: (a.spawned_ns.load(Ordering::Acquire) > 0).then(|| ms(&a.spawned_ns)),
            first_run_ms: ms(&a.first_ns),
            all_started_ms: ms(&a.last_ns),
            baseline_rss_kib: self.baseline.vm_rss_kib,
            baseline_vm_kib: self.baseline.vm_size_kib,
            parked_rss_kib: now.vm_rss_kib,
            parked_vm_kib: now.vm_size_kib,
            parked_threads: now.threads,
            baseline_kernel: self.baseline_kernel,
            parked_kernel: KernelMemory::read(),
        };
        // For tools that read the machine from outside while the units are parked
        // (scripts/cross-check.sh): hold them, after the figures are taken.
        if let Some(ms) = std::env::var(HOLD_VAR).ok().and_then(|v| v.parse().ok()) {
            eprintln!("tvc: {} units parked, held {ms} ms", a.n);
            std::thread::sleep(Duration::from_millis(ms));
        }
        figures
    }
}

/// Pins this process (and threads it creates from now on) to one CPU, the first it may
/// use. Context switches between threads on one core behave very differently.
pub fn pin_to_one_cpu() -> std::io::Result<usize> {
    // SAFETY: the cpu_set_t is ours; sched_{get,set}affinity only read/write it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let cpu = (0..libc::CPU_SETSIZE as usize)
            .find(|&c| libc::CPU_ISSET(c, &set))
            .unwrap_or(0);
        let mut one: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut one);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &one) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(cpu)
    }
}

/// Where blocking units (OS threads, rayon jobs) park in the memory workload: each calls
/// [`park`](Self::park) and blocks on a condition variable until [`open`](Self::open).
#[derive(Default)]
pub struct Gate {
    open: std::sync::Mutex<bool>,
    wake: std::sync::Condvar,
}

impl Gate {
    /// Blocks until the gate opens.
    pub fn park(&self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        while !*open {
            open = self.wake.wait(open).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Releases every parked unit, and any that arrives later.
    pub fn open(&self) {
        *self.open.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_all();
    }
}

/// A prediction of how many threads one process can have here, from the limits that bind
/// it, made before anything runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThreadLimit {
    /// The smallest of the bounds below.
    pub predicted: Option<u64>,
    /// Which limit gives it.
    pub binding: String,
    /// `vm.max_map_count / mappings_per_thread`: each thread's stack, its guard page and
    /// the allocator arena it may get cost memory mappings; past the limit `mmap` fails and
    /// the Rust runtime aborts the process.
    pub by_max_map_count: Option<u64>,
    pub mappings_per_thread: u64,
    /// `kernel.pid_max`: every thread takes a pid.
    pub by_pid_max: Option<u64>,
    /// `ulimit -u`: processes and threads of this user.
    pub by_ulimit_u: Option<u64>,
    /// `kernel.threads-max`.
    pub by_threads_max: Option<u64>,
    /// How to raise each limit (as root).
    pub how_to_raise: String,
}

/// A file that holds one number, such as a sysctl under `/proc/sys`; `None` if it cannot be
/// read or is not a number.
pub fn read_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Mappings a thread costs, as observed on Linux with glibc.
const MAPPINGS_PER_THREAD: u64 = 4;

impl ThreadLimit {
    pub fn predict() -> ThreadLimit {
        let number = read_number;
        // SAFETY: getrlimit writes only into the struct we own.
        let nproc = unsafe {
            let mut l: libc::rlimit = std::mem::zeroed();
            (libc::getrlimit(libc::RLIMIT_NPROC, &mut l) == 0 && l.rlim_cur != libc::RLIM_INFINITY)
                .then_some(l.rlim_cur)
        };
        let by_max_map_count =
            number("/proc/sys/vm/max_map_count").map(|m| m / MAPPINGS_PER_THREAD);
        let by_pid_max = number("/proc/sys/kernel/pid_max");
        let by_threads_max = number("/proc/sys/kernel/threads-max");
        let bounds = [
            ("vm.max_map_count", by_max_map_count),
            ("kernel.pid_max", by_pid_max),
            ("ulimit -u", nproc),
            ("kernel.threads-max", by_threads_max),
        ];
        let (binding, predicted) = bounds
            .iter()
            .filter_map(|(name, v)| v.map(|v| (*name, v)))
            .min_by_key(|(_, v)| *v)
            .map(|(n, v)| (n.to_string(), Some(v)))
            .unwrap_or_else(|| ("unknown".into(), None));
        ThreadLimit {
            predicted,
            binding,
            by_max_map_count,
            mappings_per_thread: MAPPINGS_PER_THREAD,
            by_pid_max,
            by_ulimit_u: nproc,
            by_threads_max,
            how_to_raise: "as root: sysctl -w vm.max_map_count=1048576; \
                           sysctl -w kernel.pid_max=4194304; sysctl -w kernel.threads-max=4194304; \
                           ulimit -u unlimited"
                .into(),
        }
    }
}

/// A prediction of how many stackful coroutines one process can have here, made before
/// anything runs. Each coroutine's stack is a mapping of its own with a guard page made by
/// `mprotect`, which splits it in two: two memory mappings per coroutine, whatever the stack
/// size, so `vm.max_map_count` binds long before memory does. Past it `mmap` or `mprotect`
/// fails with ENOMEM.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CoroutineLimit {
    /// `(max_map_count - mappings_in_use) / mappings_per_coroutine`.
    pub predicted: Option<u64>,
    pub max_map_count: Option<u64>,
    /// Mappings this process already had when the prediction was made (code, heap,
    /// thread stacks, a runtime's own pool).
    pub mappings_in_use: u64,
    pub mappings_per_coroutine: u64,
    pub how_to_raise: String,
}

/// Lines of a file, read through a small fixed buffer: near the mapping limit, a buffer as
/// large as `/proc/self/maps` (megabytes) could not be allocated.
fn count_lines(path: &str) -> std::io::Result<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut buf = [0u8; 4096];
    let mut lines = 0;
    loop {
        match file.read(&mut buf)? {
            0 => return Ok(lines),
            n => lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64,
        }
    }
}

/// Mappings a guarded coroutine stack costs: the stack and its guard page.
const MAPPINGS_PER_COROUTINE: u64 = 2;

impl CoroutineLimit {
    pub fn predict() -> CoroutineLimit {
        let max_map_count = read_number("/proc/sys/vm/max_map_count");
        let mappings_in_use = count_lines("/proc/self/maps").unwrap_or(0);
        CoroutineLimit {
            predicted: max_map_count
                .map(|m| m.saturating_sub(mappings_in_use) / MAPPINGS_PER_COROUTINE),
            max_map_count,
            mappings_in_use,
            mappings_per_coroutine: MAPPINGS_PER_COROUTINE,
            how_to_raise: "as root: sysctl -w vm.max_map_count=1048576".into(),
        }
    }
}

/// The most files (sockets included) one process may ever open here: the hard
/// `RLIMIT_NOFILE`, which an unprivileged process cannot raise. `None` when unlimited or
/// unreadable.
pub fn nofile_hard_limit() -> Option<u64> {
    // SAFETY: a plain libc call on a struct we own.
    unsafe {
        let mut l: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) != 0 || l.rlim_max == libc::RLIM_INFINITY {
            return None;
        }
        Some(l.rlim_max)
    }
}

/// Raises the soft open-files limit to the hard one, so 10 000 connections fit.
pub fn raise_nofile_limit() -> u64 {
    // SAFETY: plain libc calls on a struct we own.
    unsafe {
        let mut l: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) != 0 {
            return 0;
        }
        if l.rlim_cur < l.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: l.rlim_max,
                rlim_max: l.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                return raised.rlim_cur;
            }
        }
        l.rlim_cur
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_lines() {
        let s = Status::parse(
            "Name:\tx\nVmPeak:\t 2000 kB\nVmSize:\t 1500 kB\nVmRSS:\t 300 kB\nThreads:\t7\n",
        );
        assert_eq!(s.threads, 7);
        assert_eq!(s.vm_peak_kib, 2000);
        assert_eq!(s.vm_size_kib, 1500);
        assert_eq!(s.vm_rss_kib, 300);
    }

    #[test]
    fn status_reads_this_process() {
        // The test harness runs this test on a thread of its own beside the main thread.
        let s = Status::of_self();
        assert!(s.threads >= 2, "{s:?}");
        assert!(
            s.vm_hwm_kib >= s.vm_rss_kib && s.vm_peak_kib >= s.vm_size_kib,
            "{s:?}"
        );
        assert!(
            s.vm_rss_kib > 1000,
            "a test binary is more than 1 MiB resident: {s:?}"
        );
    }

    #[test]
    fn the_meminfo_kernel_lines_are_read() {
        let k = KernelMemory::parse(
            "MemTotal: 1 kB\nKernelStack:    9216 kB\nPageTables:     2048 kB\n\
             SUnreclaim:    70000 kB\n",
        );
        assert_eq!(
            (k.kernel_stack_kib, k.page_tables_kib, k.slab_unreclaim_kib),
            (9216, 2048, 70000)
        );
        assert_eq!(k.total_kib(), 81264);
        assert!(
            KernelMemory::read().kernel_stack_kib > 0,
            "this machine has threads"
        );
    }

    #[test]
    fn the_predicted_thread_limit_is_the_smallest_bound() {
        let t = ThreadLimit::predict();
        let bounds = [
            t.by_max_map_count,
            t.by_pid_max,
            t.by_ulimit_u,
            t.by_threads_max,
        ];
        let smallest = bounds.iter().flatten().min().copied();
        assert!(smallest.is_some(), "Linux has a pid_max: {t:?}");
        assert_eq!(t.predicted, smallest, "{t:?}");
        assert_ne!(t.binding, "unknown");
    }

    #[test]
    fn predicts_two_mappings_per_coroutine_below_the_map_count() {
        let c = CoroutineLimit::predict();
        assert!(c.mappings_in_use > 0, "this process has mappings");
        let max = c.max_map_count.expect("Linux has vm.max_map_count");
        assert_eq!(c.predicted, Some((max - c.mappings_in_use) / 2));
    }

    #[test]
    fn gate_holds_units_until_opened_and_arrivals_are_stamped() {
        let probe = ParkProbe::begin(3);
        let gate = Arc::new(Gate::default());
        let hs: Vec<_> = (0..3)
            .map(|i| {
                let (g, a) = (gate.clone(), probe.arrivals());
                std::thread::sleep(Duration::from_millis(10 * i));
                std::thread::spawn(move || {
                    a.arrive();
                    g.park()
                })
            })
            .collect();
        probe.arrivals().wait_all();
        let f = probe.parked();
        assert!(hs.iter().all(|h| !h.is_finished()));
        assert!(f.first_run_ms < 10.0, "{f:?}");
        assert!(
            f.all_started_ms >= 30.0 && f.all_started_ms <= f.spawn_ms,
            "{f:?}"
        );
        gate.open();
        for h in hs {
            h.join().unwrap();
        }
    }
}
