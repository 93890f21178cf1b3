//! The study's models, described once: name, variants, family, what each variant is, the
//! order tables and charts show them in and their colour. The orchestrator runs the models
//! whose crates implement [`crate::Model`]; the chart and report crates, which never link a
//! model, read the same descriptions here, so a model is added in one place.
//!
//! A model crate hands its entry back from [`crate::Model::info`]; a test in the orchestrator
//! checks that every entry has a crate and every crate an entry.

/// The language a model is written in: Rust, or a peer's (a crate of programs in another
/// language, run by the worker as its child). Each claim is answered once per language.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Rust,
    Python,
    Go,
    Java,
}

impl Language {
    pub const ALL: [Language; 4] = [
        Language::Rust,
        Language::Python,
        Language::Go,
        Language::Java,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Language::Rust => "Rust",
            Language::Python => "Python",
            Language::Go => "Go",
            Language::Java => "Java",
        }
    }

    /// Where a model crate of this language keeps its file for a workload whose file stem
    /// is `stem` (`switch_io`), relative to the crate: each language's own naming.
    pub fn source_file(self, stem: &str) -> String {
        match self {
            Language::Rust => format!("src/{stem}.rs"),
            Language::Python => format!("tvc_peer/{stem}.py"),
            Language::Go => format!("peer/{stem}.go"),
            Language::Java => {
                let words = stem.split('_').map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect::<String>())
                        .unwrap_or_default()
                });
                format!("peer/{}.java", words.collect::<String>())
            }
        }
    }
}

/// The kind of concurrency a model (or one of its variants) stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// OS threads, one at a time or many, or a pool of them (`sequential`, `threads`, `rayon`).
    OsThreads,
    /// OS processes, each with a runtime of its own (Python's process pool: its only way to
    /// run Python code on more than one core under the GIL).
    Processes,
    /// Stackless coroutines: futures polled by an async runtime (`tokio`, `async-std`,
    /// `smol`), or coroutine objects driven by an event loop (Python's asyncio).
    Stackless,
    /// Stackful coroutines with a fixed stack each, switched in user space (`may`).
    Stackful,
    /// Stackful coroutines whose stacks start small and grow on demand, scheduled M:N over
    /// every core (Go's goroutines, Java's virtual threads).
    Growable,
}

impl Family {
    pub const ALL: [Family; 5] = [
        Family::OsThreads,
        Family::Processes,
        Family::Stackless,
        Family::Stackful,
        Family::Growable,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::OsThreads => "OS threads and pools",
            Family::Processes => "OS processes",
            Family::Stackless => "stackless coroutines",
            Family::Stackful => "stackful coroutines, fixed stacks",
            Family::Growable => "stackful coroutines, growable stacks",
        }
    }

    /// Coroutines of any kind: what the article's claims are about.
    pub fn is_coroutine(self) -> bool {
        matches!(
            self,
            Family::Stackless | Family::Stackful | Family::Growable
        )
    }

    /// Units the kernel schedules (threads or processes): "traditional parallelism".
    pub fn is_kernel_scheduled(self) -> bool {
        matches!(self, Family::OsThreads | Family::Processes)
    }
}

/// A named variant of a model (e.g. rayon with a pool as large as the concurrency). The first
/// variant a model lists is its default.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    pub name: &'static str,
    pub about: &'static str,
    /// Holds one OS thread per request in flight, so the machine's thread limit caps its
    /// concurrency.
    pub thread_per_request: bool,
    /// Runs every unit on the calling thread, so units need not be `Send` (the only place a
    /// counter without a lock can be written in safe Rust).
    pub single_threaded: bool,
    /// A colour for this variant, as RGB; `None` takes the model's.
    pub colour: Option<(u8, u8, u8)>,
    /// Drives the async models' HTTP client on OS threads: the control that leaves only the
    /// concurrency primitive between threads and coroutines.
    pub same_client: bool,
    /// Runs one unit at a time (`sequential`, Python's loop): in its default variant, the
    /// baseline its language's models are compared with.
    pub one_at_a_time: bool,
    /// This variant's family, where it differs from its model's (a peer's threads and its
    /// coroutines are variants of one model).
    pub family: Option<Family>,
    /// This variant's HTTP client, where it differs from its model's.
    pub client: Option<&'static str>,
}

impl Variant {
    const fn new(name: &'static str, about: &'static str) -> Variant {
        Variant {
            name,
            about,
            thread_per_request: false,
            single_threaded: false,
            colour: None,
            same_client: false,
            one_at_a_time: false,
            family: None,
            client: None,
        }
    }

    const fn client(mut self, client: &'static str) -> Variant {
        self.client = Some(client);
        self
    }

    const fn one_at_a_time(mut self) -> Variant {
        self.one_at_a_time = true;
        self.single_threaded = true;
        self
    }

    const fn family(mut self, family: Family) -> Variant {
        self.family = Some(family);
        self
    }

    const fn same_client(mut self) -> Variant {
        self.same_client = true;
        self
    }

    const fn thread_per_request(mut self) -> Variant {
        self.thread_per_request = true;
        self
    }

    const fn single_threaded(mut self) -> Variant {
        self.single_threaded = true;
        self
    }

    const fn colour(mut self, rgb: (u8, u8, u8)) -> Variant {
        self.colour = Some(rgb);
        self
    }
}

/// One model of the study.
#[derive(Debug)]
pub struct ModelInfo {
    /// The name experiment files use (`tokio`, `async-std`, ...).
    pub name: &'static str,
    /// One sentence a reader of the results needs to know what this model is.
    pub about: &'static str,
    pub language: Language,
    /// The family of its variants, unless a variant says otherwise.
    pub family: Family,
    /// The HTTP client its variants' http units drive, unless a variant says otherwise:
    /// what pairs a coroutine model with the OS threads that drive the same client.
    pub client: &'static str,
    /// The model's colour in every chart, as RGB (Tableau 10, which stays distinguishable
    /// under the common colour-vision deficiencies; a second variant takes the lighter
    /// partner of its hue from Tableau 20).
    pub colour: (u8, u8, u8),
    /// The variants; the first is the default.
    pub variants: &'static [Variant],
}

impl ModelInfo {
    pub fn variant(&self, name: &str) -> Option<&'static Variant> {
        self.variants.iter().find(|v| v.name == name)
    }

    pub fn default_variant(&self) -> &'static Variant {
        &self.variants[0]
    }

    /// The family of one of its variants.
    pub fn family_of(&self, variant: &Variant) -> Family {
        variant.family.unwrap_or(self.family)
    }
}

pub static SEQUENTIAL: ModelInfo = ModelInfo {
    name: "sequential",
    about: "one thread, blocking calls one after another (the baseline)",
    family: Family::OsThreads,
    client: "ureq",
    language: Language::Rust,
    colour: (0x79, 0x70, 0x6E),
    variants: &[
        Variant::new("default", "one thread, one unit at a time").one_at_a_time(),
        Variant::new(
            "hyper",
            "one thread driving the async models' hyper client (the same-client control)",
        )
        .one_at_a_time()
        .client("hyper")
        .same_client()
        .colour((0xBA, 0xB0, 0xAC)),
    ],
};

pub static THREADS: ModelInfo = ModelInfo {
    name: "threads",
    about: "std::thread OS threads",
    family: Family::OsThreads,
    client: "ureq",
    language: Language::Rust,
    colour: (0xE1, 0x57, 0x59),
    variants: &[
        Variant::new("default", "threads with Rust's default 2 MiB stack").thread_per_request(),
        Variant::new("stack=64k", "threads with a 64 KiB stack")
            .thread_per_request()
            .colour((0xFF, 0x9D, 0x9A)),
        Variant::new(
            "hyper",
            "threads driving the async models' hyper client, one connection each (the \
             same-client control)",
        )
        .thread_per_request()
        .same_client()
        .client("hyper")
        .colour((0xA3, 0x2A, 0x2D)),
        Variant::new(
            "http1",
            "threads driving tvc-client's HTTP/1.1 client over std's TCP stream, one \
             connection each (the stackful coroutines' client: may's same-client control)",
        )
        .thread_per_request()
        .same_client()
        .client("tvc-http1")
        .colour((0x6E, 0x1A, 0x1C)),
    ],
};

pub static RAYON: ModelInfo = ModelInfo {
    name: "rayon",
    about: "the rayon work-stealing pool",
    family: Family::OsThreads,
    client: "ureq",
    language: Language::Rust,
    colour: (0x9C, 0x75, 0x5F),
    variants: &[
        Variant::new("default", "rayon's default pool (one thread per core)"),
        Variant::new(
            "pool=c",
            "a pool with as many threads as the concurrency (or units)",
        )
        .thread_per_request()
        .colour((0xB0, 0x7A, 0xA1)),
    ],
};

pub static TOKIO: ModelInfo = ModelInfo {
    name: "tokio",
    about: "tokio multi-thread runtime",
    family: Family::Stackless,
    client: "hyper",
    language: Language::Rust,
    colour: (0x4E, 0x79, 0xA7),
    variants: &[
        Variant::new(
            "default",
            "multi-thread runtime, shared hyper HTTP/1 client",
        ),
        Variant::new(
            "reqwest",
            "multi-thread runtime, one shared reqwest client (http workloads only)",
        )
        .client("reqwest")
        .colour((0x76, 0xB7, 0xB2)),
        Variant::new(
            "current-thread",
            "current-thread runtime: every task on one thread",
        )
        .single_threaded()
        .colour((0xA0, 0xCB, 0xE8)),
    ],
};

pub static ASYNC_STD: ModelInfo = ModelInfo {
    name: "async-std",
    about: "async-std (deprecated upstream in favour of smol)",
    family: Family::Stackless,
    client: "hyper",
    language: Language::Rust,
    colour: (0xF2, 0x8E, 0x2B),
    variants: &[Variant::new(
        "default",
        "the global runtime, shared hyper HTTP/1 client",
    )],
};

pub static SMOL: ModelInfo = ModelInfo {
    name: "smol",
    about: "smol",
    family: Family::Stackless,
    client: "hyper",
    language: Language::Rust,
    colour: (0x59, 0xA1, 0x4F),
    variants: &[
        Variant::new("default", "the global executor, shared hyper HTTP/1 client"),
        Variant::new(
            "local",
            "a LocalExecutor on the calling thread (shared-state only)",
        )
        .single_threaded()
        .colour((0x8C, 0xD1, 0x7D)),
    ],
};

/// Tableau 10's unused pink is all but the colour of `threads:stack=64k`, so may takes the
/// darker pink of the same hue from Tableau 20, and its second variant the lighter one.
pub static MAY: ModelInfo = ModelInfo {
    name: "may",
    about: "may's stackful coroutines: M:N scheduler, a fixed mmap'ed stack each",
    family: Family::Stackful,
    client: "tvc-http1",
    language: Language::Rust,
    colour: (0xD3, 0x72, 0x95),
    variants: &[
        Variant::new(
            "default",
            "coroutines with may's default 32 KiB stack, HTTP/1.1 over may's TcpStream",
        ),
        Variant::new(
            "stack=16k",
            "coroutines with a 16 KiB stack (no https: a TLS handshake needs more)",
        )
        .colour((0xFA, 0xBF, 0xD2)),
    ],
};

/// CPython, a peer: the article's own code (httpx) and the concurrency Python offers, each
/// variant a program in `crates/python/tvc_peer/` run by the interpreter as a child of the
/// worker. Its default runs units one after another (for http, the article's first
/// measurement: one `httpx.get` after another), the baseline of Python's answers; `threads`,
/// `asyncio`, `uvloop` and `processes` are Python's threads, coroutines and processes; the
/// `httpx-async*` variants are the article's second measurement at three pool limits. Colours
/// from the hues no Rust model uses (olive, teal, cyan, light orange, light orchid), none a
/// grey that could pass for a lighter keep-alive-off bar.
pub static PYTHON: ModelInfo = ModelInfo {
    name: "python",
    about: "CPython: the article's code (httpx), threads, asyncio and processes, run as a peer",
    language: Language::Python,
    family: Family::Stackless,
    client: "httpx",
    colour: (0xB6, 0x99, 0x2D),
    variants: &[
        Variant::new(
            "default",
            "one unit after another; http: the article's httpx.get loop, a new client and \
             connection each",
        )
        .one_at_a_time()
        .family(Family::OsThreads)
        .client("httpx.get"),
        Variant::new(
            "threads",
            "a threading.Thread per unit; http: one shared httpx.Client (the same-library \
             control)",
        )
        .thread_per_request()
        .same_client()
        .family(Family::OsThreads)
        .colour((0x7F, 0x6A, 0x1E)),
        Variant::new(
            "asyncio",
            "an asyncio task per unit on one event loop; http: one shared httpx.AsyncClient",
        )
        .single_threaded()
        .colour((0x17, 0xBE, 0xCF)),
        Variant::new(
            "uvloop",
            "asyncio on uvloop's event loop (libuv), as production asyncio servers run",
        )
        .single_threaded()
        .colour((0x9E, 0xDA, 0xE5)),
        Variant::new(
            "processes",
            "a ProcessPoolExecutor of one process per core (cpu only)",
        )
        .family(Family::Processes)
        .colour((0xBC, 0xBD, 0x22)),
        Variant::new(
            "httpx-async",
            "the article's one httpx.AsyncClient, default pool (100 connections, 20 kept \
             alive), asyncio.gather",
        )
        .single_threaded()
        .colour((0x49, 0x98, 0x94)),
        Variant::new(
            "httpx-async-pool200",
            "the article's httpx.AsyncClient with a pool of 200 connections",
        )
        .single_threaded()
        .colour((0xFF, 0xBE, 0x7D)),
        Variant::new(
            "httpx-async-unlimited",
            "the article's httpx.AsyncClient without pool limits",
        )
        .single_threaded()
        .colour((0xD4, 0xA6, 0xC8)),
    ],
};

/// Go, a peer: goroutines, the coroutines most readers picture (stackful, growable stacks,
/// M:N over every core, preempted), on every core, on one thread, and locked to an OS thread
/// each (threads, in Go, with the same code and client), and one after another.
pub static GO: ModelInfo = ModelInfo {
    name: "go",
    about: "Go: goroutines (growable stacks, M:N, preempted), run as a peer",
    language: Language::Go,
    family: Family::Growable,
    client: "net/http",
    colour: (0x00, 0x7D, 0x9C),
    variants: &[
        Variant::new("default", "a goroutine per unit, GOMAXPROCS = the cores"),
        Variant::new(
            "gomaxprocs=1",
            "a goroutine per unit, every one on one thread (GOMAXPROCS = 1)",
        )
        .single_threaded()
        .colour((0x5D, 0xC9, 0xE2)),
        Variant::new(
            "lockosthread",
            "a goroutine per unit locked to an OS thread of its own (threads, in Go: the same \
             code and client)",
        )
        .thread_per_request()
        .same_client()
        .family(Family::OsThreads)
        .colour((0x2E, 0x4A, 0x62)),
        Variant::new("sequential", "one unit after another")
            .one_at_a_time()
            .family(Family::OsThreads)
            .colour((0x9A, 0xA5, 0xB1)),
    ],
};

/// Java, a peer: platform threads and virtual threads (Java 21+) running the same code, and
/// one after another.
pub static JAVA: ModelInfo = ModelInfo {
    name: "java",
    about: "Java: platform threads and virtual threads, the same code, run as a peer",
    language: Language::Java,
    family: Family::OsThreads,
    client: "java.net.http",
    colour: (0xC0, 0x5A, 0x00),
    variants: &[
        Variant::new(
            "default",
            "a platform thread (an OS thread) per unit; http: one java.net.http.HttpClient",
        )
        .thread_per_request()
        .same_client(),
        Variant::new(
            "virtual",
            "a virtual thread per unit (Java 21+: a continuation on a few carrier threads)",
        )
        .family(Family::Growable)
        .colour((0xF5, 0xA6, 0x23)),
        Variant::new("sequential", "one unit after another")
            .one_at_a_time()
            .colour((0x7A, 0x5C, 0x48)),
    ],
};

/// Every model, in the order tables and charts show them (the peers last).
pub static MODELS: &[&ModelInfo] = &[
    &SEQUENTIAL,
    &THREADS,
    &RAYON,
    &TOKIO,
    &ASYNC_STD,
    &SMOL,
    &MAY,
    &PYTHON,
    &GO,
    &JAVA,
];

/// The colour of a model that is not in the registry (a results file from elsewhere).
pub const UNKNOWN_COLOUR: (u8, u8, u8) = (0xED, 0xC9, 0x48);

/// Looks a model up by name.
pub fn model(name: &str) -> Option<&'static ModelInfo> {
    MODELS.iter().copied().find(|m| m.name == name)
}

/// Whether `variant` names a model's default variant (written `default`, or left empty).
pub fn is_default(variant: &str) -> bool {
    variant.is_empty() || variant == "default"
}

/// `model` for the default variant, else `model:variant`: the name a reader knows.
pub fn label(model: &str, variant: &str) -> String {
    if is_default(variant) {
        model.to_string()
    } else {
        format!("{model}:{variant}")
    }
}

/// A label (`model` or `model:variant`) split into the model's entry and the variant's.
pub fn lookup(label: &str) -> (Option<&'static ModelInfo>, Option<&'static Variant>) {
    let (name, variant) = label.split_once(':').unwrap_or((label, "default"));
    let m = model(name);
    (m, m.and_then(|m| m.variant(variant)))
}

/// Where a label sorts: models in registry order, each model's variants in its own order,
/// unknown models and variants after the known ones (by name).
pub fn order(label: &str) -> (usize, usize, String) {
    let (name, variant) = label.split_once(':').unwrap_or((label, "default"));
    match model(name) {
        Some(m) => {
            let rank = MODELS.iter().position(|x| x.name == name).unwrap_or(0);
            let v = m
                .variants
                .iter()
                .position(|v| v.name == variant)
                .unwrap_or(m.variants.len());
            (rank, v, label.to_string())
        }
        None => (MODELS.len(), 0, label.to_string()),
    }
}

/// A label's colour: its variant's, else its model's, else [`UNKNOWN_COLOUR`].
pub fn colour(label: &str) -> (u8, u8, u8) {
    match lookup(label) {
        (Some(m), Some(v)) => v.colour.unwrap_or(m.colour),
        (Some(m), None) => m.colour,
        (None, _) => UNKNOWN_COLOUR,
    }
}

/// The family of a label's variant (or, for a variant it does not know, its model's);
/// `None` for a model the registry does not know.
pub fn family(label: &str) -> Option<Family> {
    match lookup(label) {
        (Some(m), Some(v)) => Some(m.family_of(v)),
        (m, None) => m.map(|m| m.family),
        (None, Some(_)) => None,
    }
}

/// The language of a label's model; `None` for a model the registry does not know.
pub fn language(label: &str) -> Option<Language> {
    lookup(label).0.map(|m| m.language)
}

/// Whether a label's variant runs one unit at a time (`sequential`, any variant; Python's
/// default).
pub fn one_at_a_time(label: &str) -> bool {
    lookup(label).1.is_some_and(|v| v.one_at_a_time)
}

/// Whether a label is its language's baseline (its first variant that runs one unit at a
/// time; the others are controls, compared like any model).
pub fn is_baseline(label: &str) -> bool {
    let label = match label.split_once(':') {
        Some((name, variant)) => self::label(name, variant),
        None => label.to_string(),
    };
    language(&label).and_then(baseline_of).as_deref() == Some(label.as_str())
}

/// The label of `language`'s baseline, its first variant (in the registry's order) that runs
/// one unit at a time: `sequential`, `python`.
pub fn baseline_of(language: Language) -> Option<String> {
    models_of(language)
        .flat_map(|m| m.variants.iter().map(move |v| (m, v)))
        .find(|(_, v)| v.one_at_a_time)
        .map(|(m, v)| label(m.name, v.name))
}

/// The label of `language`'s OS threads model, a thread per unit with its own client: what
/// a claim sets that language's coroutines against (`threads`, `python:threads`). A variant
/// that drives another model's client is taken only where the language has no other.
pub fn threads_of(language: Language) -> Option<String> {
    let threads: Vec<(&ModelInfo, &Variant)> = models_of(language)
        .flat_map(|m| m.variants.iter().map(move |v| (m, v)))
        .filter(|(m, v)| {
            v.thread_per_request && m.family_of(v) == Family::OsThreads && !v.one_at_a_time
        })
        .collect();
    let plain = threads.iter().find(|(_, v)| !v.same_client);
    plain
        .or(threads.first())
        .map(|(m, v)| label(m.name, v.name))
}

/// The HTTP client a label's http units drive.
pub fn client(label: &str) -> Option<&'static str> {
    match lookup(label) {
        (Some(m), Some(v)) => Some(v.client.unwrap_or(m.client)),
        (m, None) => m.map(|m| m.client),
        (None, Some(_)) => None,
    }
}

/// The same-client control of a label: OS threads of its language driving the very client
/// its units drive (`threads:hyper` for tokio, `threads:http1` for may, `python:threads`
/// for asyncio), when there is one.
pub fn control_of(label: &str) -> Option<String> {
    let (language, wanted) = (language(label)?, client(label)?);
    models_of(language)
        .flat_map(|m| m.variants.iter().map(move |v| (m, v)))
        .find(|(m, v)| {
            v.same_client
                && !v.one_at_a_time
                && m.family_of(v) == Family::OsThreads
                && v.client.unwrap_or(m.client) == wanted
        })
        .map(|(m, v)| self::label(m.name, v.name))
}

/// The models written in `language`, in the registry's order.
pub fn models_of(language: Language) -> impl Iterator<Item = &'static ModelInfo> {
    MODELS
        .iter()
        .copied()
        .filter(move |m| m.language == language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_variants_are_unique_and_defaults_first() {
        for (i, m) in MODELS.iter().enumerate() {
            assert!(MODELS[..i].iter().all(|o| o.name != m.name), "{}", m.name);
            assert_eq!(m.variants[0].name, "default", "{}", m.name);
            for (j, v) in m.variants.iter().enumerate() {
                assert!(m.variants[..j].iter().all(|o| o.name != v.name));
            }
        }
    }

    #[test]
    fn order_follows_the_registry_then_the_variants() {
        let mut labels = vec!["smol", "tokio:current-thread", "zzz", "tokio", "sequential"];
        labels.sort_by_key(|l| order(l));
        assert_eq!(
            labels,
            ["sequential", "tokio", "tokio:current-thread", "smol", "zzz"]
        );
    }

    #[test]
    fn every_variant_has_a_colour_of_its_own() {
        let labels: Vec<String> = MODELS
            .iter()
            .flat_map(|m| m.variants.iter().map(|v| label(m.name, v.name)))
            .collect();
        for (i, a) in labels.iter().enumerate() {
            assert_ne!(colour(a), UNKNOWN_COLOUR, "{a}");
            for b in &labels[i + 1..] {
                assert_ne!(colour(a), colour(b), "{a} and {b}");
            }
        }
        assert_eq!(family("may:stack=16k"), Some(Family::Stackful));
    }

    #[test]
    fn a_peers_variants_have_families_of_their_own_and_each_language_a_baseline() {
        assert_eq!(family("python"), Some(Family::OsThreads));
        assert_eq!(family("python:threads"), Some(Family::OsThreads));
        assert_eq!(family("python:asyncio"), Some(Family::Stackless));
        assert_eq!(family("python:processes"), Some(Family::Processes));
        assert_eq!(language("python:uvloop"), Some(Language::Python));
        assert_eq!(language("tokio"), Some(Language::Rust));
        assert!(is_baseline("sequential") && is_baseline("python"));
        assert!(!is_baseline("sequential:hyper") && one_at_a_time("sequential:hyper"));
        assert!(!is_baseline("python:threads") && !is_baseline("tokio"));
        assert_eq!(baseline_of(Language::Rust).as_deref(), Some("sequential"));
        assert_eq!(baseline_of(Language::Python).as_deref(), Some("python"));
        assert!(is_baseline("sequential:default") && !is_baseline("python:default:x"));
        assert_eq!(models_of(Language::Python).count(), 1);
        assert_eq!(control_of("tokio").as_deref(), Some("threads:hyper"));
        assert_eq!(control_of("may").as_deref(), Some("threads:http1"));
        assert_eq!(
            control_of("python:asyncio").as_deref(),
            Some("python:threads")
        );
        assert_eq!(control_of("java:virtual").as_deref(), Some("java"));
        assert_eq!(
            control_of("go:gomaxprocs=1").as_deref(),
            Some("go:lockosthread")
        );
        assert_eq!(control_of("tokio:reqwest"), None);
    }

    #[test]
    fn colours_fall_back_to_the_model_then_the_unknown_colour() {
        assert_eq!(colour("threads:stack=64k"), (0xFF, 0x9D, 0x9A));
        assert_eq!(colour("threads:stack=1m"), THREADS.colour);
        assert_eq!(colour("fibers"), UNKNOWN_COLOUR);
        assert_eq!(family("tokio:reqwest"), Some(Family::Stackless));
        assert_eq!(family("fibers"), None);
    }
}
