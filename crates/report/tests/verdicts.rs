//! Every verdict rule on small hand-written runs: once where the claim holds, once where it
//! does not (and where it partly does), so no verdict can be a constant.

use std::path::Path;
use tvc_report::verdict::{self, Primitive, Verdict};
use tvc_results::Run;

const ENV: &str = r#"{"machine": {"cpus": 2}, "experiment": {"name": "t"}}"#;

/// A run from CSV text; each `model,variant,...,value` line is repeated for 3 repetitions
/// with the value spread by ±1 % so the interval is real.
fn run(header: &str, lines: &[&str]) -> Run {
    let mut csv = format!("{header}\n");
    for line in lines {
        for k in [0.99, 1.0, 1.01] {
            // The last cell is the measured value unless it is empty or not a number.
            let (head, last) = line.rsplit_once(',').unwrap_or((line, ""));
            match last.parse::<f64>() {
                Ok(v) => csv.push_str(&format!("{head},{}\n", v * k)),
                Err(_) => csv.push_str(&format!("{line}\n")),
            }
        }
    }
    Run::from_texts(Path::new("test-run"), &csv, ENV, None).expect("valid test CSV")
}

const HTTP: &str = "workload,model,variant,n,concurrency,delay_ms,keep_alive,status,wall_ms";

#[test]
fn c1_holds_within_10_percent_of_n_times_delay() {
    let ok = run(HTTP, &["http,sequential,default,200,1,83,false,ok,16900"]);
    assert_eq!(verdict::c1(Some(&ok)).verdict, Verdict::Reproduced);
    let close = run(HTTP, &["http,sequential,default,200,1,83,false,ok,19000"]);
    assert_eq!(verdict::c1(Some(&close)).verdict, Verdict::Partly);
    let slow = run(HTTP, &["http,sequential,default,200,1,83,false,ok,30000"]);
    assert_eq!(verdict::c1(Some(&slow)).verdict, Verdict::NotReproduced);
    assert_eq!(verdict::c1(None).verdict, Verdict::NotMeasured);
    let failed = run(HTTP, &["http,sequential,default,200,1,83,false,timeout,"]);
    assert_eq!(verdict::c1(Some(&failed)).verdict, Verdict::NotMeasured);
}

#[test]
fn c2_needs_every_async_model_at_73_percent() {
    let seq = "http,sequential,default,200,1,83,true,ok,16900";
    let fast = run(
        HTTP,
        &[
            seq,
            "http,tokio,default,200,200,83,true,ok,100",
            "http,smol,default,200,200,83,true,ok,110",
        ],
    );
    let f = verdict::c2(Some(&fast));
    assert_eq!(f.verdict, Verdict::Reproduced, "{:?}", f.evidence);
    assert!(f.measured.contains("99.4 %"), "{}", f.measured);
    let mixed = run(
        HTTP,
        &[
            seq,
            "http,tokio,default,200,200,83,true,ok,100",
            "http,smol,default,200,200,83,true,ok,9000",
        ],
    );
    assert_eq!(verdict::c2(Some(&mixed)).verdict, Verdict::Partly);
    let slow = run(
        HTTP,
        &[
            seq,
            "http,tokio,default,200,200,83,true,ok,8000",
            "http,smol,default,200,200,83,true,ok,9000",
        ],
    );
    assert_eq!(verdict::c2(Some(&slow)).verdict, Verdict::NotReproduced);
    // Threads alone do not speak for coroutines.
    let threads_only = run(HTTP, &[seq, "http,threads,default,200,200,83,true,ok,100"]);
    assert_eq!(
        verdict::c2(Some(&threads_only)).verdict,
        Verdict::NotMeasured
    );
}

fn memory(fits: &str) -> Run {
    let raw = "workload,model,variant,n,status,reason,rss_parked_kib\n\
               park,threads,default,1000,ok,,20000\n\
               park,threads,default,100000,aborted,killed by SIGABRT,\n\
               park,tokio,default,1000,ok,,3000\n\
               park,tokio,default,100000,ok,,40000\n";
    let fits =
        format!("experiment,model,variant,metric,slope,intercept,r2,points,n_min,n_max\n{fits}");
    let env = r#"{"machine": {"cpus": 2}, "predicted_thread_limit": {"predicted": 16382,
        "binding": "vm.max_map_count", "mappings_per_thread": 4,
        "how_to_raise": "sysctl -w vm.max_map_count=1048576"}}"#;
    Run::from_texts(Path::new("m"), raw, env, Some(&fits)).expect("valid")
}

#[test]
fn c3_compares_resident_slopes_of_coroutines_and_threads() {
    let both = memory(
        "memory,threads,default,rss_bytes_per_unit,1048576,0,1,3,1,1000\n\
         memory,tokio,default,rss_bytes_per_unit,400,0,1,3,1,1000\n",
    );
    assert_eq!(verdict::c3(Some(&both)).verdict, Verdict::Reproduced);
    let reserved_only = memory(
        "memory,threads,default,rss_bytes_per_unit,16384,0,1,3,1,1000\n\
         memory,threads,default,vm_bytes_per_unit,2101248,0,1,3,1,1000\n\
         memory,tokio,default,rss_bytes_per_unit,400,0,1,3,1,1000\n",
    );
    let f = verdict::c3(Some(&reserved_only));
    assert_eq!(f.verdict, Verdict::Partly);
    assert!(f.measured.contains("2 MiB virtual"), "{}", f.measured);
    // The limit, where threads stopped, and how to raise it are part of the finding.
    let text = f.evidence.join("\n");
    assert!(
        text.contains("16 382 threads, set by vm.max_map_count"),
        "{text}"
    );
    assert!(
        text.contains("threads stopped at N = 100k (aborted)"),
        "{text}"
    );
    assert!(
        text.contains("`sysctl -w vm.max_map_count=1048576`"),
        "{text}"
    );
    assert!(f.measured.contains("capped near 16 382"), "{}", f.measured);
    let neither = memory(
        "memory,threads,default,rss_bytes_per_unit,16384,0,1,3,1,1000\n\
         memory,tokio,default,rss_bytes_per_unit,51200,0,1,3,1,1000\n",
    );
    assert_eq!(verdict::c3(Some(&neither)).verdict, Verdict::NotReproduced);
}

#[test]
fn c3_fits_raw_csv_itself_when_fits_csv_is_absent() {
    let raw = run(
        "workload,model,variant,n,status,rss_parked_kib",
        &[
            "park,threads,default,1,ok,2016",
            "park,threads,default,1000,ok,18000",
            "park,threads,default,10000,ok,162000",
            "park,tokio,default,1,ok,2000",
            "park,tokio,default,1000,ok,2400",
            "park,tokio,default,10000,ok,6000",
        ],
    );
    let slopes = verdict::slopes(&raw);
    let threads = slopes
        .iter()
        .find(|s| s.label == "threads")
        .and_then(|s| s.rss);
    assert!(
        threads.is_some_and(|s| (s / 1024.0 - 16.0).abs() < 0.5),
        "{threads:?}"
    );
    assert_eq!(verdict::c3(Some(&raw)).verdict, Verdict::Partly);
    assert_eq!(verdict::least_squares(&[(1.0, 3.0), (3.0, 7.0)]), Some(2.0));
    assert_eq!(verdict::least_squares(&[(1.0, 3.0)]), None);
}

const SWITCH: &str = "workload,model,variant,n,concurrency,pinned,status,ns_per_switch";

#[test]
fn c4_wants_async_clearly_cheaper_than_threads() {
    let cheap = run(
        SWITCH,
        &[
            "switch,threads,default,1000,2,false,ok,5000",
            "switch,tokio,default,1000,2,false,ok,150",
        ],
    );
    assert_eq!(verdict::c4(Some(&cheap)).verdict, Verdict::Reproduced);
    let overlapping = run(
        SWITCH,
        &[
            "switch,threads,default,1000,2,false,ok,110",
            "switch,tokio,default,1000,2,false,ok,109.5",
        ],
    );
    assert_eq!(verdict::c4(Some(&overlapping)).verdict, Verdict::Partly);
    let dearer = run(
        SWITCH,
        &[
            "switch,threads,default,1000,2,false,ok,5000",
            "switch,tokio,default,1000,2,false,ok,6000",
        ],
    );
    assert_eq!(verdict::c4(Some(&dearer)).verdict, Verdict::NotReproduced);
}

const SHARED: &str =
    "workload,model,variant,n,concurrency,lock,status,reason,count_ok,ns_per_increment";

/// The rows every shared-state run has: each model with a Mutex and an atomic.
const LOCKED: [&str; 4] = [
    "shared-state,threads,default,100000,8,mutex,ok,,true,20",
    "shared-state,tokio,default,100000,8,mutex,ok,,true,21",
    "shared-state,tokio,current-thread,100000,8,mutex,ok,,true,10",
    "shared-state,smol,local,100000,8,atomic,ok,,true,7",
];

fn shared(lock_free: &[&str]) -> Run {
    let lines: Vec<&str> = LOCKED.iter().chain(lock_free).copied().collect();
    run(SHARED, &lines)
}

#[test]
fn c5_asks_whether_lock_free_async_counters_stay_exact() {
    let current = "shared-state,tokio,current-thread,100000,8,none,ok,,true,6";
    let local = "shared-state,smol,local,100000,8,none,ok,,true,5";
    let multi = "shared-state,tokio,default,100000,8,none,unsupported,\"needs a single-threaded \
                 executor: Rc<RefCell<_>> is not Send\",,";
    // Every async configuration ran lock-free and stayed exact.
    let all = shared(&[current, local]);
    let f = verdict::c5(Some(&all));
    assert_eq!(f.verdict, Verdict::Reproduced, "{:?}", f.evidence);
    // Only the single-threaded executors can express it: partly, with the reason quoted.
    let some = shared(&[current, local, multi]);
    let f = verdict::c5(Some(&some));
    assert_eq!(f.verdict, Verdict::Partly, "{:?}", f.evidence);
    assert!(
        f.measured.starts_with("only on a single-threaded executor"),
        "{}",
        f.measured
    );
    assert!(f
        .evidence
        .iter()
        .any(|e| e.contains("Rc<RefCell<_>> is not Send")));
    // The table shows the lock-free cell as unsupported, not as a gap.
    let table = &f.tables[0];
    assert_eq!(table.header, ["model", "Mutex", "atomic", "no lock"]);
    let tokio = table
        .rows
        .iter()
        .find(|r| r[0] == "tokio")
        .expect("tokio row");
    assert_eq!(tokio[3], "unsupported");
    // A lock-free counter that lost updates refutes the claim.
    let lost = shared(&["shared-state,smol,local,100000,8,none,ok,,false,5", current]);
    assert_eq!(verdict::c5(Some(&lost)).verdict, Verdict::NotReproduced);
    // So does a run where no async runtime could go lock-free at all.
    let none = shared(&[multi]);
    assert_eq!(verdict::c5(Some(&none)).verdict, Verdict::NotReproduced);
    // Threads without a lock do not speak for coroutines.
    let threads = shared(&["shared-state,threads,default,100000,8,none,unsupported,Send,,"]);
    assert_eq!(verdict::c5(Some(&threads)).verdict, Verdict::NotMeasured);
}

#[test]
fn c5_reads_the_lock_from_the_variant_in_older_runs() {
    let old = "workload,model,variant,n,concurrency,status,count_ok,ns_per_increment";
    let exact = run(
        old,
        &[
            "shared-state,smol,local-refcell,1000,8,ok,true,3",
            "shared-state,tokio,mutex,1000,8,ok,true,60",
        ],
    );
    assert_eq!(verdict::c5(Some(&exact)).verdict, Verdict::Reproduced);
    let lost = run(old, &["shared-state,tokio,unsync-cell,1000,8,ok,false,7"]);
    assert_eq!(verdict::c5(Some(&lost)).verdict, Verdict::NotReproduced);
    assert_eq!(verdict::primitive("mutex"), Primitive::Lock);
    assert_eq!(verdict::primitive("atomic"), Primitive::Atomic);
    assert_eq!(verdict::primitive("local-refcell"), Primitive::NoLock);
    assert_eq!(verdict::primitive("local;lock=none"), Primitive::NoLock);
    assert_eq!(verdict::primitive("local;lock=mutex"), Primitive::Lock);
}

const IO: &str =
    "workload,model,variant,n,concurrency,delay_ms,status,peak_rss_kib,throughput_per_s";

#[test]
fn c6_looks_at_the_highest_concurrency() {
    let low = "http,tokio,default,200,10,50,ok,9000,190";
    let async_wins = run(
        IO,
        &[
            low,
            "http,threads,default,20000,10000,50,aborted,,",
            "http,tokio,default,20000,10000,50,ok,30000,150000",
        ],
    );
    assert_eq!(verdict::c6(Some(&async_wins)).verdict, Verdict::Reproduced);
    let threads_keep_up = run(
        IO,
        &[
            low,
            "http,threads,default,20000,10000,50,ok,20000,190000",
            "http,tokio,default,20000,10000,50,ok,30000,150000",
        ],
    );
    assert_eq!(verdict::c6(Some(&threads_keep_up)).verdict, Verdict::Partly);
    let async_fails = run(IO, &[low, "http,tokio,default,20000,10000,50,crashed,,"]);
    assert_eq!(
        verdict::c6(Some(&async_fails)).verdict,
        Verdict::NotReproduced
    );
}

const CPU: &str = "workload,model,variant,n,status,wall_ms";
const BLOCKING: &str = "workload,model,variant,n,cpu_mode,status,p99_ms";

#[test]
fn c7_needs_both_no_speedup_and_starved_io() {
    let seq = "cpu,sequential,default,64,ok,640";
    let no_speedup = run(
        CPU,
        &[
            seq,
            "cpu,threads,default,64,ok,330",
            "cpu,tokio,current-thread,64,ok,640",
        ],
    );
    let speedup = run(
        CPU,
        &[
            seq,
            "cpu,threads,default,64,ok,330",
            "cpu,tokio,default,64,ok,335",
        ],
    );
    let starved = run(
        BLOCKING,
        &[
            "blocking,tokio,default,400,none,ok,22",
            "blocking,tokio,default,400,inline,ok,260",
        ],
    );
    let fine = run(
        BLOCKING,
        &[
            "blocking,tokio,default,400,none,ok,22",
            "blocking,tokio,default,400,inline,ok,30",
        ],
    );
    assert_eq!(
        verdict::c7(Some(&no_speedup), Some(&starved)).verdict,
        Verdict::Reproduced
    );
    assert_eq!(
        verdict::c7(Some(&speedup), Some(&starved)).verdict,
        Verdict::Partly
    );
    assert_eq!(
        verdict::c7(Some(&speedup), Some(&fine)).verdict,
        Verdict::NotReproduced
    );
    // One part alone never makes "reproduced".
    assert_eq!(verdict::c7(None, Some(&starved)).verdict, Verdict::Partly);
    assert_eq!(verdict::c7(None, None).verdict, Verdict::NotMeasured);
}

#[test]
fn open_loop_names_who_fell_behind_and_the_widest_gap() {
    const OPEN: &str = "workload,model,variant,n,concurrency,delay_ms,keep_alive,rate_per_s,\
                        status,achieved_rate_per_s,p99_uncorrected_ms,p99_ms";
    let r = run(
        OPEN,
        &[
            "http,sequential,default,200,1,83,true,100,ok,12,85,2800",
            "http,tokio,default,200,200,83,true,100,ok,100,86,88",
        ],
    );
    let (evidence, table) = verdict::open_loop(Some(&r)).expect("an open-loop run");
    assert!(
        evidence[0].contains("sequential at 100/s") && !evidence[0].contains("tokio"),
        "{evidence:?}"
    );
    assert!(evidence[1].contains("C ÷ delay = 2410/s"), "{evidence:?}");
    assert!(evidence[2].contains("sequential"), "{evidence:?}");
    assert_eq!(table.rows.len(), 2);
    assert_eq!(table.rows[0][1], "1, 83 ms");
    let two = run(
        OPEN,
        &[
            "http,tokio,default,200,200,83,true,100,ok,100,86,88",
            "http,tokio,default,200,10,83,true,100,ok,100,86,88",
        ],
    );
    let (evidence, table) = verdict::open_loop(Some(&two)).unwrap();
    assert_eq!(table.rows.len(), 2, "both settings are rows");
    assert!(
        evidence.iter().any(|e| e.contains("C = 10 in flight")),
        "{evidence:?}"
    );
    assert!(
        evidence.iter().any(|e| e.contains("C = 200 in flight")),
        "{evidence:?}"
    );
    let kept = run(
        OPEN,
        &["http,tokio,default,200,200,83,true,100,ok,100,86,88"],
    );
    let (evidence, _) = verdict::open_loop(Some(&kept)).unwrap();
    assert!(evidence[0].starts_with("every model kept"), "{evidence:?}");
    // A closed-loop run has no open-loop section.
    let closed = run(HTTP, &["http,tokio,default,200,200,83,true,ok,100"]);
    assert!(verdict::open_loop(Some(&closed)).is_none());
}
