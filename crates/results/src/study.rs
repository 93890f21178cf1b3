//! The study's experiments, listed once, in the order the report follows: the orchestrator
//! runs them (their files are built into the binary, so `cargo run --release` works from
//! anywhere), the report knows them by these names.

/// One experiment of the study.
#[derive(Debug, Clone, Copy)]
pub struct StudyExperiment {
    /// The `name` in its file, which names its results folder.
    pub name: &'static str,
    /// Its file, relative to the repository.
    pub file: &'static str,
    /// The file's text, as built in.
    pub source: &'static str,
}

macro_rules! study {
    ($($name:literal),* $(,)?) => {
        /// Every experiment of the study, in the report's order.
        pub const STUDY: &[StudyExperiment] = &[$(StudyExperiment {
            name: $name,
            file: concat!("experiments/", $name, ".toml"),
            source: include_str!(concat!("../../../experiments/", $name, ".toml")),
        }),*];
    };
}

study!(
    "article",
    "open-loop",
    "io-scaling",
    "memory",
    "switch",
    "cpu",
    "blocking",
    "shared-state",
);

/// An experiment of the study by name.
pub fn find(name: &str) -> Option<&'static StudyExperiment> {
    STUDY.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_file_names_itself() {
        for e in super::STUDY {
            let line = format!("name = \"{}\"", e.name);
            assert!(e.source.lines().any(|l| l.trim() == line), "{}", e.file);
        }
    }
}
