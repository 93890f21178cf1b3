//! How figures are written for a reader, the same in charts, tables and the report: three
//! significant digits, binary units for memory as the kernel counts it, times in the unit
//! that reads best.

/// A value with three significant digits and no trailing zeros.
pub fn sig3(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A number in at most three significant digits, with k/M/G for thousands and up.
pub fn number(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    format!("{}{suffix}", sig3(x))
}

/// A whole number with its thousands set apart by spaces: 16382 → "16 382".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Bytes with SI prefixes (1 kB = 1000 B), three significant digits (chart axes, whose
/// decade ticks give round numbers).
pub fn bytes(v: f64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut x = v;
    let mut i = 0;
    while x.abs() >= 999.5 && i < units.len() - 1 {
        x /= 1000.0;
        i += 1;
    }
    format!("{} {}", sig3(x), units[i])
}

/// Bytes in binary units, as the kernel counts memory: 226 B, 9.58 KiB, 2.07 MiB.
pub fn mem(v: f64) -> String {
    const K: f64 = 1024.0;
    match v.abs() {
        a if a < K => format!("{v:.0} B"),
        a if a < K * K => format!("{} KiB", sig3(v / K)),
        a if a < K * K * K => format!("{} MiB", sig3(v / K / K)),
        _ => format!("{} GiB", sig3(v / K / K / K)),
    }
}

/// `v` milliseconds as seconds or milliseconds.
pub fn time_ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else {
        format!("{} ms", sig3(v))
    }
}

/// `v` nanoseconds as ns, µs or ms.
pub fn ns(v: f64) -> String {
    if v >= 999_500.0 {
        format!("{} ms", sig3(v / 1e6))
    } else if v >= 1000.0 {
        format!("{} µs", sig3(v / 1000.0))
    } else {
        format!("{} ns", sig3(v))
    }
}

/// A factor: `1.9×`.
pub fn times(v: f64) -> String {
    format!("{}×", sig3(v))
}

/// A ratio near 1 with the digits that tell it from 1: `0.952`, `0.9995` (not `1`), `1`;
/// for the ends of an interval, whose side of 1 is the point.
pub fn factor(v: f64) -> String {
    let short = sig3(v);
    if short != "1" || v == 1.0 {
        return short;
    }
    (4..=6)
        .map(|d| {
            let s = format!("{v:.d$}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        })
        .find(|s| s != "1")
        .unwrap_or(short)
}

/// A fraction as a percentage with one decimal: `99.4 %`.
pub fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

/// `a – b` of the smallest and largest value, or one value when they print the same.
pub fn span(values: &[f64], unit: impl Fn(f64) -> String) -> String {
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let (a, b) = (unit(min), unit(max));
    if a == b {
        a
    } else {
        format!("{a} – {b}")
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A commit as people quote it: its first 12 characters, `-dirty` kept (`unknown` stays).
pub fn short_commit(commit: &str) -> String {
    let (hash, dirty) = match commit.strip_suffix("-dirty") {
        Some(h) => (h, "-dirty"),
        None => (commit, ""),
    };
    let short: String = hash.chars().take(12).collect();
    format!("{short}{dirty}")
}

/// `s` with its first letter in upper case.
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_is_shortened_by_characters() {
        assert_eq!(short_commit("0123456789abcdef-dirty"), "0123456789ab-dirty");
        assert_eq!(short_commit("unknown"), "unknown");
        // A hand-edited env.json cannot make it cut a character in two.
        assert_eq!(short_commit("ééééééééééééé"), "éééééééééééé");
        assert_eq!(capitalised("faster"), "Faster");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(sig3(0.0123456), "0.0123");
        assert_eq!(sig3(12345.0), "12345");
        assert_eq!(number(12345.0), "12.3k");
        assert_eq!(number(0.1234), "0.123");
        assert_eq!(number(1000.0), "1000");
        assert_eq!(number(1e6), "1M");
        assert_eq!(thousands(16382), "16 382");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1 000 000");
        assert_eq!(bytes(1024.0), "1.02 kB");
        assert_eq!(bytes(2e9), "2 GB");
        assert_eq!(bytes(2_048_000.0), "2.05 MB");
        assert_eq!(mem(9800.0), "9.57 KiB");
        assert_eq!(time_ms(16_886.0), "16.89 s");
        assert_eq!(ns(8240.0), "8.24 µs");
        assert_eq!(span(&[0.994, 0.9941], pct), "99.4 %");
        assert_eq!(factor(0.9521), "0.952");
        assert_eq!(factor(0.99952), "0.9995");
        assert_eq!(factor(1.00004), "1.00004");
        assert_eq!(factor(1.0), "1");
        assert_eq!(
            join_and(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
