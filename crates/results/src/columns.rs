//! Columns declared once. A record type lists its fields in one [`record!`]; the header, the
//! writer and the reader all come from that list, so a column cannot be written under one
//! name and read under another, and a record can embed another (the point key is part of
//! the raw row, the summary row and the fits row) without repeating its fields.
//!
//! Reading matches columns by header name: a column this version does not know is ignored,
//! and one it knows but an older file lacks reads as empty. A cell that does not parse is an
//! error naming the column.

use std::collections::HashMap;

/// One value and its text in a CSV cell. A figure that was not measured is an empty cell,
/// never zero.
pub trait Cell: Sized {
    fn to_cell(&self) -> String;
    /// Parses a cell; `None` is an empty cell or a column the file does not have.
    fn from_cell(text: Option<&str>) -> Result<Self, String>;
}

/// A type that fills one or more columns: a [`Cell`] fills the one named after its field, a
/// [`record!`] type fills its own fields' columns.
pub trait Columns: Sized {
    /// Appends the column names; `field` is the name the enclosing record gives it.
    fn names(field: &'static str, out: &mut Vec<&'static str>);
    fn cells(&self, out: &mut Vec<String>);
    fn read(field: &'static str, row: &RowView<'_>) -> Result<Self, String>;
}

impl<T: Cell> Columns for T {
    fn names(field: &'static str, out: &mut Vec<&'static str>) {
        out.push(field);
    }

    fn cells(&self, out: &mut Vec<String>) {
        out.push(self.to_cell());
    }

    fn read(field: &'static str, row: &RowView<'_>) -> Result<Self, String> {
        T::from_cell(row.get(field)).map_err(|e| format!("column `{field}`: {e}"))
    }
}

/// The column names of a record, in writing order.
pub fn header<R: Columns>() -> Vec<&'static str> {
    let mut out = Vec::new();
    R::names("", &mut out);
    out
}

/// A record's cells, in the header's order.
pub fn cells<R: Columns>(record: &R) -> Vec<String> {
    let mut out = Vec::new();
    record.cells(&mut out);
    out
}

/// One CSV line seen through its file's header.
pub struct RowView<'a> {
    pub index: &'a HashMap<String, usize>,
    pub record: &'a csv::StringRecord,
}

impl RowView<'_> {
    /// The cell under `column`, `None` when empty or absent.
    pub fn get(&self, column: &str) -> Option<&str> {
        let i = *self.index.get(column)?;
        self.record.get(i).filter(|t| !t.is_empty())
    }
}

/// Declares a record: a struct whose fields are [`Cell`]s or other records, with its
/// [`Columns`] (header, cells and reader) derived from the one field list.
#[macro_export]
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($(#[$fmeta:meta])* pub $field:ident : $ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty),*
        }

        impl $crate::columns::Columns for $name {
            fn names(_: &'static str, out: &mut Vec<&'static str>) {
                $(<$ty as $crate::columns::Columns>::names(stringify!($field), out);)*
            }

            fn cells(&self, out: &mut Vec<String>) {
                $($crate::columns::Columns::cells(&self.$field, out);)*
            }

            fn read(
                _: &'static str,
                row: &$crate::columns::RowView<'_>,
            ) -> Result<Self, String> {
                Ok($name {
                    $($field: <$ty as $crate::columns::Columns>::read(stringify!($field), row)?),*
                })
            }
        }
    };
}

/// Declares a record of figures: every field a number that may be missing. Besides
/// [`record!`], it gives the figures by name ([`get`](Figures::get)) and the list of names,
/// which is what summaries and charts go through, so a new figure is one new field.
#[macro_export]
macro_rules! figures {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($(#[$fmeta:meta])* pub $field:ident : $ty:ty),* $(,)?
        }
    ) => {
        $crate::record! {
            $(#[$meta])*
            pub struct $name {
                $($(#[$fmeta])* pub $field: $ty),*
            }
        }

        impl $name {
            /// Every figure's name, in column order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];

            /// A figure by its column name; `None` for an unknown name or a figure not
            /// measured.
            pub fn get(&self, name: &str) -> Option<f64> {
                match name {
                    $(stringify!($field) => $crate::columns::Figure::value(&self.$field),)*
                    _ => None,
                }
            }
        }
    };
}

/// A measured number, as the statistics see it.
pub trait Figure {
    fn value(&self) -> Option<f64>;
}

impl Figure for Option<f64> {
    fn value(&self) -> Option<f64> {
        *self
    }
}

macro_rules! number_cell {
    ($($t:ty),*) => {$(
        /// An integer key; an empty cell or a missing column (an older file) reads as 0.
        impl Cell for $t {
            fn to_cell(&self) -> String {
                self.to_string()
            }

            fn from_cell(text: Option<&str>) -> Result<Self, String> {
                match text {
                    None => Ok(0),
                    Some(t) => t.trim().parse().map_err(|_| format!("{t:?} is not a count")),
                }
            }
        }
    )*};
}
number_cell!(u32, u64);

impl Cell for f64 {
    fn to_cell(&self) -> String {
        self.to_string()
    }

    fn from_cell(text: Option<&str>) -> Result<Self, String> {
        match text {
            None => Ok(f64::NAN),
            Some(t) => t
                .trim()
                .parse()
                .map_err(|_| format!("{t:?} is not a number")),
        }
    }
}

impl Cell for bool {
    fn to_cell(&self) -> String {
        self.to_string()
    }

    fn from_cell(text: Option<&str>) -> Result<Self, String> {
        match text.map(str::trim) {
            None => Ok(false),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(t) => Err(format!("{t:?} is neither true nor false")),
        }
    }
}

impl Cell for String {
    fn to_cell(&self) -> String {
        self.clone()
    }

    fn from_cell(text: Option<&str>) -> Result<Self, String> {
        Ok(text.unwrap_or("").to_string())
    }
}

/// A figure that may not have been measured: an empty cell.
impl<T: Cell> Cell for Option<T> {
    fn to_cell(&self) -> String {
        self.as_ref().map(Cell::to_cell).unwrap_or_default()
    }

    fn from_cell(text: Option<&str>) -> Result<Self, String> {
        match text {
            None => Ok(None),
            Some(t) => T::from_cell(Some(t)).map(Some),
        }
    }
}

/// An enum written by its name (workload, CPU mode, lock, status).
macro_rules! named_cell {
    ($($t:ty: $default:expr),* $(,)?) => {$(
        impl Cell for $t {
            fn to_cell(&self) -> String {
                self.name().to_string()
            }

            fn from_cell(text: Option<&str>) -> Result<Self, String> {
                match text {
                    None => Ok($default),
                    Some(t) => <$t>::parse(t.trim()).ok_or_else(|| format!("unknown value {t:?}")),
                }
            }
        }
    )*};
}
named_cell!(
    tvc_core::Workload: tvc_core::Workload::Http,
    tvc_core::CpuMode: tvc_core::CpuMode::None,
    tvc_core::Lock: tvc_core::Lock::Mutex,
    tvc_core::Medium: tvc_core::Medium::Channel,
);

#[cfg(test)]
mod tests {
    use super::*;

    record! {
        #[derive(Debug, PartialEq, Default)]
        pub struct Inner {
            pub a: u64,
            pub b: Option<f64>,
        }
    }

    record! {
        #[derive(Debug, PartialEq, Default)]
        pub struct Outer {
            pub name: String,
            pub inner: Inner,
            pub flag: bool,
        }
    }

    fn view(header: &[&str], cells: &[&str], f: impl FnOnce(&RowView<'_>)) {
        let index = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_string(), i))
            .collect();
        let record = csv::StringRecord::from(cells.to_vec());
        f(&RowView {
            index: &index,
            record: &record,
        })
    }

    #[test]
    fn nested_records_flatten_into_one_header() {
        assert_eq!(header::<Outer>(), ["name", "a", "b", "flag"]);
        let o = Outer {
            name: "x".into(),
            inner: Inner { a: 3, b: None },
            flag: true,
        };
        assert_eq!(cells(&o), ["x", "3", "", "true"]);
    }

    #[test]
    fn reading_goes_by_name_and_tolerates_missing_and_extra_columns() {
        view(
            &["flag", "future", "b", "name"],
            &["false", "?", "2.5", "y"],
            |row| {
                let o = Outer::read("", row).unwrap();
                assert_eq!(o.name, "y");
                assert_eq!(o.inner, Inner { a: 0, b: Some(2.5) });
            },
        );
    }

    #[test]
    fn a_bad_cell_names_its_column() {
        view(&["a"], &["fast"], |row| {
            let e = Inner::read("", row).unwrap_err();
            assert!(e.contains("column `a`") && e.contains("fast"), "{e}");
        });
        view(&["flag"], &["maybe"], |row| {
            assert!(Outer::read("", row).unwrap_err().contains("flag"));
        });
    }
}
