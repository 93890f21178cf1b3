//! The one place that decides which model runs: every model crate is listed here once, and
//! a test checks the list against the registry every other crate reads.

use tvc_core::Model;

/// All models, in the registry's order.
pub fn all() -> [&'static dyn Model; 10] {
    [
        &tvc_sequential::Sequential,
        &tvc_threads::Threads,
        &tvc_rayon::Rayon,
        &tvc_tokio::Tokio,
        &tvc_async_std::AsyncStd,
        &tvc_smol::Smol,
        &tvc_may::May,
        &tvc_python::Python,
        &tvc_go::Go,
        &tvc_java::Java,
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
    let variant =
        tvc_core::ModelError::check_variant(model.info(), variant).map_err(|e| e.to_string())?;
    Ok((model, variant))
}

/// A listing of every model and variant by language and family, for `tvc models`.
pub fn describe() -> String {
    let mut out = String::new();
    let mut heading = None;
    for m in all() {
        let info = m.info();
        for (i, v) in info.variants.iter().enumerate() {
            let now = (info.language, info.family_of(v));
            if heading != Some(now) {
                heading = Some(now);
                let peer = match info.language {
                    tvc_core::Language::Rust => String::new(),
                    l => format!("{} (a peer), ", l.name()),
                };
                out.push_str(&format!("{peer}{}:\n", now.1.name()));
            }
            let spec = if i == 0 {
                info.name.to_string()
            } else {
                format!("{}:{}", info.name, v.name)
            };
            out.push_str(&format!("  {spec:<29} {}\n", v.about));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tvc_core::registry;

    #[test]
    fn every_registry_entry_has_a_model_and_every_model_an_entry() {
        let crates: Vec<&str> = all().iter().map(|m| m.name()).collect();
        let listed: Vec<&str> = registry::MODELS.iter().map(|m| m.name).collect();
        assert_eq!(crates, listed, "models::all() and the registry differ");
        for m in all() {
            assert!(std::ptr::eq(m.info(), registry::model(m.name()).unwrap()));
        }
    }

    #[test]
    fn specs_parse() {
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
