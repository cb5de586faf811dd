//! The addresses of Docs and Plone as each side reaches the other.
//!
//! Browsers reach Docs at `docs_url`; Plone may reach it at another address
//! (`docs_internal_url`, e.g. inside a private network), and Docs may reach Plone at another one
//! (`plone_internal_url`). URLs crossing between the sides are rewritten here.

use crate::error::Result;
use crate::urls::{origin, parse_http_url, AllowedOrigins};

/// The configured addresses. Empty strings are unset; nothing is checked on construction (the
/// settings form checks each address with [`crate::urls::check_base_url`]): an address that does
/// not parse simply gives no origin, so nothing is fetched from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Addresses {
    pub docs_url: String,
    pub docs_internal_url: String,
    pub plone_internal_url: String,
}

/// `url` with exactly one trailing slash, or "" when unset.
fn base(url: &str) -> String {
    let url = url.trim();
    if url.is_empty() {
        String::new()
    } else {
        format!("{}/", url.trim_end_matches('/'))
    }
}

impl Addresses {
    pub fn new(docs_url: &str, docs_internal_url: &str, plone_internal_url: &str) -> Self {
        Addresses {
            docs_url: docs_url.to_owned(),
            docs_internal_url: docs_internal_url.to_owned(),
            plone_internal_url: plone_internal_url.to_owned(),
        }
    }

    /// Docs as browsers reach it, ending in "/" (or "" when unset).
    pub fn public_docs_url(&self) -> String {
        base(&self.docs_url)
    }

    /// Docs as Plone reaches it, ending in "/" (or "" when unset).
    pub fn server_docs_url(&self) -> String {
        let internal = base(&self.docs_internal_url);
        if internal.is_empty() {
            self.public_docs_url()
        } else {
            internal
        }
    }

    /// The origins (`scheme://host:port`) Plone accepts Docs URLs from: the public one, then the
    /// internal one, without duplicates.
    pub fn docs_origins(&self) -> Vec<String> {
        let mut origins: Vec<String> = Vec::new();
        for url in [&self.docs_url, &self.docs_internal_url] {
            if let Ok(o) = origin(url) {
                if !origins.contains(&o) {
                    origins.push(o);
                }
            }
        }
        origins
    }

    /// A URL Docs handed out (callback `url`/`changesurl`, a conversion result), on the address
    /// Plone fetches it from, checked to be on a Docs origin (`Error::InvalidUrl` otherwise).
    ///
    /// Docs builds these URLs on the address browsers use; with `docs_internal_url` set, a URL
    /// under the public address (origin and path prefix) moves to the internal one, keeping its
    /// path below the prefix and its query, dropping the fragment.
    pub fn docs_url_for_plone(&self, url: &str) -> Result<String> {
        let url = self.rewrite_for_plone(url);
        AllowedOrigins::parse(&self.docs_origins())?.check(&url)?;
        Ok(url)
    }

    fn rewrite_for_plone(&self, url: &str) -> String {
        let internal = base(&self.docs_internal_url);
        let public = base(&self.docs_url);
        if internal.is_empty() || url.is_empty() || internal == public {
            return url.to_owned();
        }
        let (Ok(parts), Ok(public_parts)) = (parse_http_url(url), parse_http_url(&public)) else {
            return url.to_owned();
        };
        let (path, query) = parts.path_and_query();
        let (prefix, _) = public_parts.path_and_query();
        if parts.origin != public_parts.origin || !format!("{path}/").starts_with(prefix) {
            return url.to_owned();
        }
        let below = path
            .get(prefix.len()..)
            .unwrap_or("")
            .trim_start_matches('/');
        if query.is_empty() {
            format!("{internal}{below}")
        } else {
            format!("{internal}{below}?{query}")
        }
    }

    /// A Plone URL (under `portal_url`) on the address Docs reaches Plone at.
    pub fn url_for_docs(&self, url: &str, portal_url: &str) -> String {
        let internal = base(&self.plone_internal_url);
        let public = base(portal_url);
        if internal.is_empty() {
            return url.to_owned();
        }
        if let Some(rest) = url.strip_prefix(public.as_str()) {
            return format!("{internal}{rest}");
        }
        if format!("{url}/") == public {
            return internal.trim_end_matches('/').to_owned();
        }
        url.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, UrlReason};
    use proptest::prelude::*;

    fn split() -> Addresses {
        Addresses::new(
            " https://docs.example.com/office ",
            "http://onlyoffice:8000/",
            "http://plone:8080/Plone/",
        )
    }

    #[test]
    fn base_addresses() {
        let a = split();
        assert_eq!(a.public_docs_url(), "https://docs.example.com/office/");
        assert_eq!(a.server_docs_url(), "http://onlyoffice:8000/");
        assert_eq!(
            a.docs_origins(),
            ["https://docs.example.com:443", "http://onlyoffice:8000"]
        );
        let one = Addresses::new("https://docs.example.com//", "", "");
        assert_eq!(one.server_docs_url(), "https://docs.example.com/");
        assert_eq!(one.docs_origins(), ["https://docs.example.com:443"]);
        let same = Addresses::new("https://d/", "https://d:443/x", "");
        assert_eq!(same.docs_origins(), ["https://d:443"]);
        let unset = Addresses::default();
        assert_eq!(
            (unset.public_docs_url(), unset.server_docs_url()),
            (String::new(), String::new())
        );
        assert!(unset.docs_origins().is_empty());
        assert!(Addresses::new("not a url", "", "")
            .docs_origins()
            .is_empty());
    }

    #[test]
    fn docs_urls_move_to_the_internal_address() {
        let a = split();
        for (url, expected) in [
            (
                "https://docs.example.com/office/cache/files/k/output.docx?md5=x&e=1#f",
                "http://onlyoffice:8000/cache/files/k/output.docx?md5=x&e=1",
            ),
            (
                "https://DOCS.example.com:443/office/x",
                "http://onlyoffice:8000/x",
            ),
            ("https://docs.example.com/office", "http://onlyoffice:8000/"),
            (
                "https://docs.example.com/office?x=1",
                "http://onlyoffice:8000/?x=1",
            ),
            // Already internal, or off the public prefix: unchanged, and still a Docs origin.
            ("http://onlyoffice:8000/x", "http://onlyoffice:8000/x"),
            (
                "https://docs.example.com/other/x",
                "https://docs.example.com/other/x",
            ),
        ] {
            assert_eq!(a.docs_url_for_plone(url).unwrap(), expected, "{url}");
        }
    }

    #[test]
    fn urls_off_the_docs_origins_are_refused() {
        let a = split();
        for url in [
            "https://evil.example/office/x",
            "http://docs.example.com/office/x",
            "file:///etc/passwd",
            "https://docs.example.com@evil/office/x",
            "",
        ] {
            assert!(
                matches!(
                    a.docs_url_for_plone(url),
                    Err(Error::InvalidUrl { callback: None, .. })
                ),
                "{url}"
            );
        }
        let Err(Error::InvalidUrl { reason, .. }) = a.docs_url_for_plone("https://evil/x") else {
            panic!()
        };
        assert_eq!(reason, UrlReason::Origin);
        assert!(Addresses::default()
            .docs_url_for_plone("https://docs.example.com/x")
            .is_err());
    }

    #[test]
    fn plone_urls_move_to_the_address_docs_uses() {
        let a = split();
        let portal = "https://www.example.com/Plone";
        assert_eq!(
            a.url_for_docs("https://www.example.com/Plone/@@x?uid=1", portal),
            "http://plone:8080/Plone/@@x?uid=1"
        );
        assert_eq!(a.url_for_docs(portal, portal), "http://plone:8080/Plone");
        assert_eq!(
            a.url_for_docs("https://other.example.com/x", portal),
            "https://other.example.com/x"
        );
        let unset = Addresses::new("https://d/", "", "");
        assert_eq!(
            unset.url_for_docs("https://www.example.com/Plone/x", portal),
            "https://www.example.com/Plone/x"
        );
    }

    proptest! {
        #[test]
        fn rewritten_urls_keep_path_and_query(
            path in "(/[a-zA-Z0-9._~%-]{1,10}){0,4}",
            query in proptest::option::of("[a-z0-9=&]{1,20}"),
        ) {
            let a = split();
            let q = query.as_ref().map(|q| format!("?{q}")).unwrap_or_default();
            let url = format!("https://docs.example.com/office{path}{q}");
            let rewritten = a.docs_url_for_plone(&url).unwrap();
            let expected = format!("http://onlyoffice:8000/{}{q}", path.trim_start_matches('/'));
            prop_assert_eq!(&rewritten, &expected);
            // Rewriting is idempotent: an internal URL stays as it is.
            prop_assert_eq!(a.docs_url_for_plone(&rewritten).unwrap(), expected);
        }
    }
}
