//! tvc-peer: what every peer model shares. A peer is a model written in another language
//! (Python, Go, Java): a crate of short programs in that language, one file per workload,
//! run by the worker as its child. This crate is the Rust side they all share, so a peer
//! crate holds only its programs and the table saying which program runs which variant.
//!
//! - [`model`]: what a peer crate says about itself ([`Peer`]), and the shared code that
//!   sends each run to its process and turns the answer into a report.
//! - [`session`]: the peer's process, started once per worker and kept for its life. The
//!   worker sends each run (its warm-ups, then the measured run) as one JSON line on the
//!   child's stdin and reads one `TVC-PEER {json}` line back, so the child's start-up
//!   (an interpreter's imports, a JVM's class loading) is paid once, outside every measured
//!   window, and the measured run finds its code warm, as a Rust model's does.
//! - [`reply`]: that line, and how it becomes the same [`tvc_core::Report`] or
//!   [`tvc_core::RunReport`] every Rust model returns (requests recorded through the shared
//!   [`tvc_core::HttpRun`]), with the child's own peak resident set, threads and virtual size
//!   ([`tvc_core::PeerProcess`]).
//! - [`place`]: where a peer's programs and toolchains live: under the build's `target/`
//!   folder (found from the running executable), else the user's cache.
//! - [`setup`]: the toolchains, from the package registries, pinned: one Python virtual
//!   environment made from a requirements file, once, reused until the pins change; a
//!   half-made one is never reused.

pub mod model;
pub mod place;
pub mod reply;
pub mod session;
pub mod setup;

pub use model::Peer;
pub use reply::Reply;

/// Every package and toolchain the peers need, pinned: one environment for them all.
pub const REQUIREMENTS: &str = include_str!("../requirements.txt");
pub use session::{Launch, Session};

/// The prefix of a peer's result line on its stdout.
pub const PREFIX: &str = "TVC-PEER ";
