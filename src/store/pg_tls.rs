//! TLS for team mode through rustls (pure Rust: no system OpenSSL to build against), with the
//! URL's `sslmode` honoured as libpq does:
//!
//! | `sslmode` | TLS | the server's certificate |
//! |---|---|---|
//! | `disable` | never | — |
//! | `allow`, `prefer` (the default) | when the server offers it, else in the clear | not checked |
//! | `require` | always (refused without) | not checked, unless `sslrootcert` is given: then as `verify-ca` |
//! | `verify-ca` | always | signed by a trusted root |
//! | `verify-full` | always | signed by a trusted root and issued for the host in the URL |
//!
//! Trusted roots: the file in `sslrootcert=PATH` (PEM), else the system's certificates. The
//! two parameters libpq knows that the `postgres` crate's URL parser does not (`verify-*`,
//! `sslrootcert`) are taken out of the URL here before it is parsed.

use super::StoreError;
use postgres::config::SslMode;
use postgres::{Client, Config, NoTls};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime, pem::PemObject};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// What the URL asks of the connection's encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tls {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// A URL taken apart: what the `postgres` crate parses, and the TLS settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TlsUrl {
    pub url: String,
    pub mode: Tls,
    pub root_cert: Option<PathBuf>,
}

/// Take `sslmode` and `sslrootcert` out of a `postgres://` URL's query.
pub(crate) fn split(url: &str) -> std::result::Result<TlsUrl, String> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    let (mut mode, mut root_cert) = (Tls::Prefer, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "sslmode" => {
                mode = match v {
                    "disable" => Tls::Disable,
                    "allow" | "prefer" => Tls::Prefer,
                    "require" => Tls::Require,
                    "verify-ca" => Tls::VerifyCa,
                    "verify-full" => Tls::VerifyFull,
                    other => {
                        return Err(format!(
                            "sslmode={other} is not one of disable, allow, prefer, require, verify-ca, verify-full"
                        ));
                    }
                }
            }
            "sslrootcert" if !v.is_empty() => root_cert = Some(PathBuf::from(v)),
            _ => kept.push(pair),
        }
    }
    if mode == Tls::Require && root_cert.is_some() {
        mode = Tls::VerifyCa;
    }
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok(TlsUrl {
        url,
        mode,
        root_cert,
    })
}

/// Connect to `config` with the encryption `tls` asks for.
pub(crate) fn connect(
    config: &mut Config,
    tls: &TlsUrl,
) -> std::result::Result<Client, ConnectFailure> {
    if tls.mode == Tls::Disable {
        config.ssl_mode(SslMode::Disable);
        return config.connect(NoTls).map_err(ConnectFailure::Server);
    }
    config.ssl_mode(match tls.mode {
        Tls::Prefer => SslMode::Prefer,
        _ => SslMode::Require,
    });
    let client_config = client_config(tls).map_err(ConnectFailure::Setup)?;
    config
        .connect(MakeRustlsConnect::new(client_config))
        .map_err(ConnectFailure::Server)
}

/// Why a connection was not made.
#[derive(Debug)]
pub(crate) enum ConnectFailure {
    /// The TLS settings could not be used (a root file that cannot be read…).
    Setup(String),
    /// The server, the network or the handshake.
    Server(postgres::Error),
}

fn client_config(tls: &TlsUrl) -> std::result::Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?;
    let config = match tls.mode {
        Tls::Prefer | Tls::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
            .with_no_client_auth(),
        _ => {
            let roots = Arc::new(roots(tls.root_cert.as_ref())?);
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
                .build()
                .map_err(|e| format!("TLS: {e}"))?;
            if tls.mode == Tls::VerifyFull {
                builder.with_webpki_verifier(webpki).with_no_client_auth()
            } else {
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(AnyName(webpki)))
                    .with_no_client_auth()
            }
        }
    };
    Ok(config)
}

/// The trusted roots: the `sslrootcert` file, else the system's.
fn roots(file: Option<&PathBuf>) -> std::result::Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    if let Some(path) = file {
        let bytes =
            crate::files::read(path).map_err(|e| format!("sslrootcert={}: {e}", path.display()))?;
        for cert in CertificateDer::pem_slice_iter(&bytes) {
            let cert = cert.map_err(|e| format!("sslrootcert={}: {e}", path.display()))?;
            store
                .add(cert)
                .map_err(|e| format!("sslrootcert={}: {e}", path.display()))?;
        }
        if store.is_empty() {
            return Err(format!(
                "sslrootcert={}: no PEM certificate in the file",
                path.display()
            ));
        }
        return Ok(store);
    }
    let found = rustls_native_certs::load_native_certs();
    for cert in found.certs {
        let _ = store.add(cert);
    }
    if store.is_empty() {
        return Err(
            "no trusted root certificates on this system: give the server's CA as sslrootcert=FILE"
                .to_string(),
        );
    }
    Ok(store)
}

/// `prefer` / `require` without a root: encrypted, the certificate not checked (as libpq).
/// Handshake signatures are still verified, so the session key belongs to the certificate.
#[derive(Debug)]
struct Unchecked(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted root; the name on the certificate is not
/// compared with the host.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// A store error for a connection that failed.
pub(crate) fn store_error(url: &str, f: ConnectFailure) -> StoreError {
    match f {
        ConnectFailure::Setup(why) => StoreError::PgConnect {
            url: super::pg::redact(url),
            detail: why,
        },
        ConnectFailure::Server(e) => StoreError::PgConnect {
            url: super::pg::redact(url),
            detail: super::pg::connect_detail(&e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_parameters_are_taken_out_and_the_rest_kept() {
        let t =
            split("postgres://u@h/db?sslmode=verify-full&application_name=x&sslrootcert=/ca.pem")
                .unwrap();
        assert_eq!(t.url, "postgres://u@h/db?application_name=x");
        assert_eq!(t.mode, Tls::VerifyFull);
        assert_eq!(t.root_cert, Some(PathBuf::from("/ca.pem")));
        let t = split("postgres://u@h/db").unwrap();
        assert_eq!((t.url.as_str(), t.mode), ("postgres://u@h/db", Tls::Prefer));
        assert_eq!(
            split("postgres://h/d?sslmode=disable").unwrap().mode,
            Tls::Disable
        );
        assert_eq!(
            split("postgres://h/d?sslmode=allow").unwrap().mode,
            Tls::Prefer
        );
        // libpq: `require` with a root file checks the chain, as verify-ca.
        assert_eq!(
            split("postgres://h/d?sslmode=require&sslrootcert=ca.pem")
                .unwrap()
                .mode,
            Tls::VerifyCa
        );
        assert!(
            split("postgres://h/d?sslmode=always")
                .unwrap_err()
                .contains("sslmode=always")
        );
    }
}
