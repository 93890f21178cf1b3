//! The one place that decides which model runs: every model crate is listed here once.

use tvc_core::Model;

/// All models, in the order tables and charts show them.
pub fn all() -> [&'static dyn Model; 6] {
    [
        &tvc_sequential::Sequential,
        &tvc_threads::Threads,
        &tvc_rayon::Rayon,
        &tvc_tokio::Tokio,
        &tvc_async_std::AsyncStd,
        &tvc_smol::Smol,
    ]
}

/// The names of all models, for error messages.
pub fn names() -> String {
    all()
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Looks a model up by name.
pub fn find(name: &str) -> Option<&'static dyn Model> {
    all().into_iter().find(|m| m.name() == name)
}

/// Splits `model[:variant]` and checks both; the error says what is known.
pub fn parse_spec(spec: &str) -> Result<(&'static dyn Model, &'static str), String> {
    let (name, variant) = spec.split_once(':').unwrap_or((spec, ""));
    let model =
        find(name).ok_or_else(|| format!("unknown model `{name}` (known models: {})", names()))?;
    let variant = tvc_core::ModelError::check_variant(model, variant).map_err(|e| e.to_string())?;
    Ok((model, variant))
}

/// A listing of every model and variant, for `tvc models`.
pub fn describe() -> String {
    let mut out = String::new();
    for m in all() {
        out.push_str(&format!("{:<11} {}\n", m.name(), m.about()));
        for (i, v) in m.variants().iter().enumerate() {
            let spec = if i == 0 {
                m.name().to_string()
            } else {
                format!("{}:{}", m.name(), v.name)
            };
            out.push_str(&format!("  {spec:<22} {}\n", v.about));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_specs_parse() {
        let mut names: Vec<_> = all().iter().map(|m| m.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all().len());
        assert_eq!(parse_spec("rayon:pool=c").unwrap().1, "pool=c");
        assert_eq!(parse_spec("tokio").unwrap().1, "default");
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let e = parse_spec("goroutines").err().unwrap();
        assert!(e.contains("goroutines") && e.contains("async-std"), "{e}");
        let e = parse_spec("tokio:fast").err().unwrap();
        assert!(e.contains("reqwest"), "{e}");
    }
}
