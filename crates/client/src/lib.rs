//! tvc-client: the HTTP stacks the models share, so a difference between two models is the
//! concurrency primitive and not the client.
//!
//! - [`blocking`]: one ureq agent for `sequential`, `threads` and `rayon`; or, for their
//!   `hyper` variants, the async models' hyper client on each OS thread ([`thread_net`]),
//!   the control that leaves only the concurrency primitive between threads and tasks.
//! - [`hyper_client`]: hyper's HTTP/1 client connection, generic over a runtime's TCP stream,
//!   timer and spawner ([`AsyncNet`]), for `tokio`, `async-std` and `smol`.
//! - [`http1`]: a small HTTP/1.1 client over any blocking stream whose calls suspend a
//!   stackful coroutine rather than a thread ([`Transport`]), for `may`.
//! - [`tls`]: https for all three, with one rustls config (ring, webpki roots, a plan's extra
//!   CA file) per run.
//!
//! All three classify failures into the same [`tvc_core::ErrorKind`]s and send the same
//! headers.

pub mod blocking;
pub mod futures_io;
pub mod http1;
pub mod hyper_client;
pub mod thread_net;
pub mod tls;

pub use blocking::{BlockingClient, ClientKind, Clients, Unit};
pub use futures_io::FuturesIo;
pub use http1::{Http1Client, Transport};
pub use hyper_client::{AsyncNet, HyperClient};
pub use tls::{Endpoint, FuturesTlsStream, Tls};

/// The built-in server's headers: the delay it held a request, and the delay asked for.
pub const SERVED_HEADER: &str = "x-tvc-served-delay-us";
pub const ASKED_HEADER: &str = "x-tvc-asked-delay-us";

/// Sent with every request so a server's operator can tell who is knocking.
pub const USER_AGENT: &str = concat!(
    "tvc/",
    env!("CARGO_PKG_VERSION"),
    " (threads-vs-coroutines study harness)"
);
