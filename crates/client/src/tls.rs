//! https for every model: rustls with the *ring* provider and Mozilla's roots compiled in
//! (webpki-roots), plus the CA certificates of a plan's `ca_file`. No system TLS library is
//! linked, so a bare machine builds and runs it, and every model trusts the same roots.
//!
//! The rustls config is built once per run and shared by every connection of every unit:
//! a handshake per new connection is part of what is measured, loading roots is not.

use futures_lite::io::{AsyncRead, AsyncWrite};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use std::io;
use std::sync::Arc;
use tvc_core::{ErrorKind, HttpPlan, PlanError, Target};

/// A TLS client stream over any `futures-io` stream (async-std's, smol's).
pub type FuturesTlsStream<S> = futures_rustls::client::TlsStream<S>;

/// The client side of TLS for one target: the shared config and the name the server's
/// certificate must carry.
#[derive(Clone)]
pub struct Tls {
    config: Arc<ClientConfig>,
    server_name: ServerName<'static>,
}

impl Tls {
    pub fn new(config: Arc<ClientConfig>, target: &Target) -> Result<Tls, PlanError> {
        let server_name = ServerName::try_from(target.server_name.clone()).map_err(|_| {
            PlanError::Tls(format!(
                "{:?} is not a valid TLS server name",
                target.server_name
            ))
        })?;
        Ok(Tls {
            config,
            server_name,
        })
    }

    pub fn config(&self) -> &Arc<ClientConfig> {
        &self.config
    }

    pub fn server_name(&self) -> &ServerName<'static> {
        &self.server_name
    }

    /// The client handshake over a `futures-io` stream. A failure is an `io::Error` that
    /// [`classify_io`] counts as [`ErrorKind::Tls`].
    pub async fn connect<S>(&self, stream: S) -> io::Result<FuturesTlsStream<S>>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        futures_rustls::TlsConnector::from(self.config.clone())
            .connect(self.server_name.clone(), stream)
            .await
    }
}

/// The rustls client config for a run: TLS 1.2 and 1.3 on *ring*, the webpki roots, and
/// every certificate in `ca_file` (PEM) as an extra root.
pub fn client_config(ca_file: Option<&str>) -> Result<Arc<ClientConfig>, PlanError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = ca_file {
        for cert in read_ca_file(path)? {
            roots.add(cert).map_err(|e| PlanError::CaFile {
                path: path.to_string(),
                why: format!("not a usable CA certificate: {e}"),
            })?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| PlanError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Every certificate in a PEM file; none at all is an error (the wrong file, surely).
pub fn read_ca_file(path: &str) -> Result<Vec<CertificateDer<'static>>, PlanError> {
    let fail = |why: String| PlanError::CaFile {
        path: path.to_string(),
        why,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| fail(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(e.to_string()))?;
    if certs.is_empty() {
        return Err(fail("it holds no PEM CERTIFICATE".into()));
    }
    Ok(certs)
}

/// Where a run's requests go: the target, resolved once, and for https the TLS setup that
/// every connection of every unit shares. Built once per run.
pub struct Endpoint {
    pub target: Target,
    pub tls: Option<Tls>,
}

impl Endpoint {
    pub fn of(plan: &HttpPlan) -> Result<Arc<Endpoint>, PlanError> {
        let target = plan.target()?;
        let tls = if target.is_https() {
            let config = client_config(plan.ca_file.as_deref())?;
            Some(Tls::new(config, &target)?)
        } else {
            None
        };
        Ok(Arc::new(Endpoint { target, tls }))
    }
}

/// Whether a TLS failure is anywhere in an error's chain. rustls reports one inside an
/// `io::Error`, whose `source()` skips its payload, so each `io::Error`'s payload is looked
/// into as well.
pub fn is_tls_error(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(e) = next {
        if e.is::<rustls::Error>() {
            return true;
        }
        if let Some(inner) = e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            if is_tls_error(inner) {
                return true;
            }
        }
        next = e.source();
    }
    false
}

/// [`ErrorKind::from_io`], with TLS failures told apart from other I/O errors.
pub fn classify_io(e: &io::Error) -> ErrorKind {
    if is_tls_error(e) {
        ErrorKind::Tls
    } else {
        ErrorKind::from_io(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_errors_are_found_inside_io_errors() {
        let e = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        assert_eq!(classify_io(&e), ErrorKind::Tls);
        let plain = io::Error::new(io::ErrorKind::InvalidData, "not tls");
        assert_eq!(classify_io(&plain), ErrorKind::Protocol);
        assert_eq!(
            classify_io(&io::Error::from(io::ErrorKind::ConnectionRefused)),
            ErrorKind::Connect
        );
    }

    #[test]
    fn a_bad_ca_file_is_a_plan_error_naming_it() {
        let e = client_config(Some("/no/such/ca.pem")).err().unwrap();
        assert!(e.to_string().contains("/no/such/ca.pem"), "{e}");

        let dir = std::env::temp_dir().join(format!("tvc-tls-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let e = client_config(empty.to_str()).err().unwrap();
        assert!(e.to_string().contains("no PEM CERTIFICATE"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_built_in_roots_need_no_file() {
        assert!(client_config(None).is_ok());
    }

    #[test]
    fn only_https_targets_get_tls() {
        let plan = |url: &str| HttpPlan {
            url: url.into(),
            n: 1,
            concurrency: 1,
            keep_alive: true,
            request_timeout_ms: 100,
            ca_file: None,
            rate: None,
        };
        assert!(Endpoint::of(&plan("http://127.0.0.1:1/"))
            .unwrap()
            .tls
            .is_none());
        let e = Endpoint::of(&plan("https://127.0.0.1:1/")).unwrap();
        assert!(e.tls.is_some());
        assert_eq!(
            e.tls.as_ref().unwrap().server_name(),
            &ServerName::try_from("127.0.0.1").unwrap()
        );
    }
}
