//! The measured window, in a test binary of its own: `getrusage(RUSAGE_SELF)` counts every
//! thread of the process, so no other test may burn CPU beside it.

use tvc_core::clock::Clock;

/// This thread's CPU time, in ms.
fn thread_cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes only into the struct we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
}

/// Spends `ms` of CPU time (not wall time: the machine may be busy).
fn burn(ms: f64) {
    let until = thread_cpu_ms() + ms;
    let mut x = 0u64;
    while thread_cpu_ms() < until {
        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(1));
    }
}

#[test]
fn a_window_counts_the_cpu_time_spent_inside_it_only() {
    burn(60.0); // before the window: not counted
    let clock = Clock::start();
    burn(40.0);
    let w = clock.stop();
    let cpu = w.usage.user_ms + w.usage.sys_ms;
    assert!(w.wall_ms >= 40.0, "{w:?}");
    // getrusage ticks at most a scheduler tick behind or ahead of the thread clock.
    assert!(
        (35.0..55.0).contains(&cpu),
        "40 ms of CPU inside, 60 before: {w:?}"
    );
}
