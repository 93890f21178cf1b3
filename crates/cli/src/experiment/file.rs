//! The shape of an experiment file as TOML: one [`Section`] type for the top level and for
//! `[quick]` alike (which keys each may hold is checked by the parser's steps, which can
//! say where a key sits), and one [`Params`] type for every workload's table.

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::Deserialize;
use tvc_core::{CpuMode, Lock, Medium, Workload};

/// A value or a list of values: `n = 200` and `n = [200, 400]` both work. A value of the
/// wrong kind says what it is and what was expected, for the value or a list item alike.
#[derive(Debug, Clone)]
pub enum List<T> {
    One(T),
    Many(Vec<T>),
}

impl<T: Clone> List<T> {
    pub fn to_vec(&self) -> Vec<T> {
        match self {
            List::One(v) => vec![v.clone()],
            List::Many(v) => v.clone(),
        }
    }
}

/// What a parameter's values are, in words, for errors.
pub trait Expected {
    const WHAT: &'static str;
}

impl Expected for u64 {
    const WHAT: &'static str = "a whole number of 0 or more";
}

impl Expected for bool {
    const WHAT: &'static str = "true or false";
}

impl Expected for CpuMode {
    const WHAT: &'static str = "one of \"none\", \"inline\", \"offload\"";
}

impl Expected for Lock {
    const WHAT: &'static str = "one of \"mutex\", \"atomic\", \"none\"";
}

impl Expected for Medium {
    const WHAT: &'static str = "one of \"channel\", \"socket\"";
}

impl Expected for String {
    const WHAT: &'static str = "a string";
}

impl<'de, T: DeserializeOwned + Expected> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List<T>, D::Error> {
        let one = |v: toml::Value| {
            let shown = show(&v);
            T::deserialize(v).map_err(|_| {
                de::Error::custom(format!("{shown} is not {} (nor a list of them)", T::WHAT))
            })
        };
        match toml::Value::deserialize(d)? {
            toml::Value::Array(items) => items
                .into_iter()
                .map(one)
                .collect::<Result<_, _>>()
                .map(List::Many),
            v => one(v).map(List::One),
        }
    }
}

/// A value as the file wrote it, for an error message.
fn show(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Integer(i) if *i < 0 => format!("{i} (negative)"),
        toml::Value::Array(_) => "a nested list".into(),
        toml::Value::Table(_) => "a table".into(),
        other => other.to_string(),
    }
}

/// A level of the file: the top level, or `[quick]`, which overrides some of its keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub name: Option<String>,
    pub about: Option<String>,
    pub workload: Option<Workload>,
    pub models: Option<List<String>>,
    pub repetitions: Option<u32>,
    pub warmup: Option<u32>,
    pub point_timeout_s: Option<u64>,
    /// A real URL to measure instead of the built-in server (http and blocking only).
    pub target: Option<String>,
    pub quick: Option<Box<Section>>,
    http: Option<Params>,
    park: Option<Params>,
    switch: Option<Params>,
    cpu: Option<Params>,
    blocking: Option<Params>,
    #[serde(rename = "shared-state")]
    shared_state: Option<Params>,
}

impl Section {
    /// The table of one workload, `[http]` for http.
    pub fn table(&self, w: Workload) -> Option<&Params> {
        match w {
            Workload::Http => self.http.as_ref(),
            Workload::Park => self.park.as_ref(),
            Workload::Switch => self.switch.as_ref(),
            Workload::Cpu => self.cpu.as_ref(),
            Workload::Blocking => self.blocking.as_ref(),
            Workload::SharedState => self.shared_state.as_ref(),
        }
    }

    /// The keys set at this level besides the workload tables, for checking where they
    /// may stand.
    pub fn set_keys(&self) -> Vec<&'static str> {
        let set = [
            ("name", self.name.is_some()),
            ("about", self.about.is_some()),
            ("workload", self.workload.is_some()),
            ("models", self.models.is_some()),
            ("repetitions", self.repetitions.is_some()),
            ("warmup", self.warmup.is_some()),
            ("point_timeout_s", self.point_timeout_s.is_some()),
            ("target", self.target.is_some()),
            ("quick", self.quick.is_some()),
        ];
        set.iter().filter(|(_, s)| *s).map(|(k, _)| *k).collect()
    }
}

/// Declares [`Params`] from one list of its keys and one of the peer languages that may
/// have a table of their own inside it, with the methods that must name every key: a new
/// key is added in one place.
macro_rules! params {
    ($($field:ident: $ty:ty),* $(,)? ; $($language:ident),* $(,)?) => {
        /// A workload's parameter table; each value may be a list, and the sweep is the cross
        /// product. Which keys a workload takes is checked against the parser's list. A peer
        /// language's models, slower than compiled code, may have values of their own in a
        /// table inside it (`[park.python]`), laid over the rest for them alone.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Params {
            $(pub $field: Option<$ty>,)*
            $(pub $language: Option<Box<Params>>,)*
        }

        impl Params {
            /// `over`'s values where it sets them, else these (a language's table merged
            /// with this one's, key by key).
            pub fn overlay(self, over: &Params) -> Params {
                Params {
                    $($field: over.$field.clone().or(self.$field),)*
                    $($language: match (self.$language, &over.$language) {
                        (Some(mine), Some(theirs)) => Some(Box::new(mine.overlay(theirs))),
                        (mine, theirs) => theirs.clone().or(mine),
                    },)*
                }
            }

            /// The keys that are set, for checking them against the workload (a language's
            /// table is not a key).
            pub fn set_keys(&self) -> Vec<&'static str> {
                let mut keys = Vec::new();
                $(if self.$field.is_some() { keys.push(stringify!($field)); })*
                keys
            }

            /// The languages that have a table here, with it.
            pub fn languages(&self) -> Vec<(&'static str, &Params)> {
                let mut tables = Vec::new();
                $(if let Some(t) = &self.$language { tables.push((stringify!($language), &**t)); })*
                tables
            }

            /// These values without any language's table.
            pub fn common(&self) -> Params {
                Params { $($language: None,)* ..self.clone() }
            }
        }
    };
}

params! {
    n: List<u64>,
    n_per_concurrency: u64,
    concurrency: List<u64>,
    delay_ms: List<u64>,
    jitter_ms: List<u64>,
    bytes: List<u64>,
    keep_alive: List<bool>,
    request_timeout_ms: u64,
    rate: List<u64>,
    seconds: u64,
    units: List<u64>,
    hops: List<u64>,
    passes: u64,
    iters: List<u64>,
    cpu_tasks: List<u64>,
    cpu_mode: List<CpuMode>,
    increments: List<u64>,
    lock: List<Lock>,
    pinned: List<bool>,
    medium: List<Medium>;
    python,
    go,
    java,
}
