//! Strict reading of the http(s) URLs Docs hands us, and the allow-list of Docs origins (SSRF guard).

use crate::error::{Error, Result, UrlReason};

/// Scheme, host and port of a URL; what allowed origins are compared by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub https: bool,
    /// Lowercase host name, or an IPv6 literal with its brackets.
    pub host: String,
    /// Explicit port, or 80/443 by default.
    pub port: u16,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.https { "https" } else { "http" };
        write!(f, "{scheme}://{}:{}", self.host, self.port)
    }
}

/// A URL split into its origin and the rest (path, query, fragment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    pub origin: Origin,
    pub rest: &'a str,
}

impl<'a> HttpUrl<'a> {
    /// The path (maybe empty), and the query without its `?` (maybe empty); the fragment is left
    /// out. Split as Python's `urllib.parse.urlsplit` does.
    pub fn path_and_query(&self) -> (&'a str, &'a str) {
        let rest: &'a str = self.rest;
        let before_fragment = rest.split('#').next().unwrap_or("");
        before_fragment
            .split_once('?')
            .unwrap_or((before_fragment, ""))
    }
}

fn bad(url: &str, why: &str) -> Error {
    bad_because(UrlReason::Scheme, url, why)
}

fn bad_because(reason: UrlReason, url: &str, why: &str) -> Error {
    let shown: String = url.chars().take(200).collect();
    Error::InvalidUrl {
        reason,
        message: format!("URL {shown:?} {why}"),
        callback: None,
    }
}

/// Parse an absolute `http://` or `https://` URL. Refuses user info (`user@host`), backslashes,
/// whitespace, control and non-ASCII characters, percent signs in the host and bad ports.
pub fn parse_http_url(url: &str) -> Result<HttpUrl<'_>> {
    // Bytes first (a URL is ASCII graphic characters); characters only to name the offender.
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        if let Some(c) = url.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(bad(url, &format!("contains the character {c:?}")));
        }
    }
    if url.contains('\\') {
        return Err(bad(url, "contains a backslash"));
    }
    let (scheme, after) = url
        .split_once("://")
        .ok_or_else(|| bad(url, "is not an absolute http(s) URL"))?;
    let https = if scheme.eq_ignore_ascii_case("https") {
        true
    } else if scheme.eq_ignore_ascii_case("http") {
        false
    } else {
        return Err(bad(url, "is not http(s)"));
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.contains('@') {
        return Err(bad_because(
            UrlReason::Credentials,
            url,
            "carries user info (an @ before the host)",
        ));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inner, after_bracket) = v6
            .split_once(']')
            .ok_or_else(|| bad(url, "has an unterminated IPv6 host"))?;
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(bad(url, "has an invalid IPv6 host"));
        }
        (&authority[..inner.len() + 2], after_bracket)
    } else {
        let split = authority.find(':').unwrap_or(authority.len());
        (&authority[..split], &authority[split..])
    };
    if host.is_empty() {
        return Err(bad(url, "has no host"));
    }
    if !host.starts_with('[')
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    {
        return Err(bad(url, "has an invalid host"));
    }
    let port = match port {
        "" => {
            if https {
                443
            } else {
                80
            }
        }
        p => {
            let digits = p.strip_prefix(':').unwrap_or("x");
            if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(bad(url, "has an invalid port"));
            }
            match digits.parse::<u16>() {
                Ok(port) if port > 0 => port,
                _ => return Err(bad(url, "has an invalid port")),
            }
        }
    };
    Ok(HttpUrl {
        origin: Origin {
            https,
            host: host.to_ascii_lowercase(),
            port,
        },
        rest,
    })
}

/// The origins URLs may point to. Empty allows nothing: a site that has not configured Docs
/// must not fetch URLs from anywhere (fail closed, the SSRF guard's whole point).
#[derive(Debug, Clone, Default)]
pub struct AllowedOrigins(Vec<Origin>);

impl AllowedOrigins {
    /// Parse allowed origins such as `https://docs.example.com` or `http://docs:8080/prefix/` (only
    /// scheme, host and port count).
    pub fn parse<S: AsRef<str>>(origins: &[S]) -> Result<Self> {
        origins
            .iter()
            .map(|o| parse_http_url(o.as_ref()).map(|u| u.origin))
            .collect::<Result<_>>()
            .map(AllowedOrigins)
            .map_err(|e| Error::argument(format!("allowed origin: {e}")))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Check that `url` is a well-formed http(s) URL on one of the allowed origins.
    pub fn check(&self, url: &str) -> Result<()> {
        let parsed = parse_http_url(url)?;
        if self.0.contains(&parsed.origin) {
            Ok(())
        } else {
            Err(bad_because(
                UrlReason::Origin,
                url,
                &format!(
                    "is not on an allowed Docs origin ({} is not allowed)",
                    parsed.origin
                ),
            ))
        }
    }
}

/// `scheme://host:port` of an absolute http(s) URL: lowercase, the default port explicit, an IPv6
/// host in brackets. What origins are compared by.
pub fn origin(url: &str) -> Result<String> {
    Ok(parse_http_url(url.trim())?.origin.to_string())
}

/// The rule for a configured base address (Docs' or Plone's): an absolute http(s) URL with a host,
/// no user info, and neither a query nor a fragment (paths are joined onto it).
pub fn check_base_url(url: &str) -> Result<()> {
    let parsed = parse_http_url(url)?;
    if parsed.rest.contains(['?', '#']) {
        return Err(bad_because(
            UrlReason::Query,
            url,
            "has a query or fragment (a base address cannot)",
        ));
    }
    Ok(())
}

/// Join a Docs base URL (with or without a trailing slash, maybe with a path prefix such as
/// `http://host/docs/`) and an endpoint path.
pub fn join(base: &str, endpoint: &str) -> Result<String> {
    let parsed = parse_http_url(base).map_err(|e| Error::argument(format!("Docs URL: {e}")))?;
    if parsed.rest.contains(['?', '#']) {
        return Err(Error::argument(format!(
            "Docs URL {base:?} must not have a query or fragment"
        )));
    }
    Ok(format!(
        "{}/{}",
        base.trim_end_matches('/'),
        endpoint.trim_start_matches('/')
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> AllowedOrigins {
        AllowedOrigins::parse(&["https://docs.example.com", "http://10.0.0.5:8080/docs/"]).unwrap()
    }

    #[test]
    fn names_the_first_character_a_url_may_not_hold() {
        for (url, shown) in [
            ("http://h/caf\u{e9}/a b", "'\u{e9}'"),
            ("http://h/a b/\u{e9}", "' '"),
            ("http://h/\u{7f}", "'\\u{7f}'"),
            ("http://h/\u{2028}", "'\\u{2028}'"),
            ("http://h/\\\u{e9}", "'\u{e9}'"),
        ] {
            let Err(Error::InvalidUrl { message, .. }) = parse_http_url(url) else {
                panic!("{url:?} accepted");
            };
            assert!(
                message.ends_with(&format!("contains the character {shown}")),
                "{message}"
            );
        }
    }

    #[test]
    fn accepts_urls_on_allowed_origins() {
        let a = allowed();
        a.check("https://docs.example.com/cache/files/data/k/output.docx?md5=x&expires=1")
            .unwrap();
        a.check("HTTPS://DOCS.example.com:443/x").unwrap();
        a.check("http://10.0.0.5:8080/docs/cache/x").unwrap();
        a.check("https://docs.example.com").unwrap();
    }

    #[test]
    fn refuses_ssrf_tricks() {
        let a = allowed();
        for url in [
            "file:///etc/passwd",
            "ftp://docs.example.com/x",
            "gopher://docs.example.com/x",
            "https://evil.example.com/x",
            "https://docs.example.com@evil.example/x",
            "https://user:pw@docs.example.com/x",
            "https://docs.example.com:8443/x",
            "http://docs.example.com/x",
            "http://10.0.0.5/x",
            "https://docs.example.com\\@evil/",
            "https://docs.example.com%2f@evil/",
            "https://docs.example.com.evil.com/",
            " https://docs.example.com/",
            "https://docs.example.com:0/",
            "https://docs.example.com:99999/",
            "https://docs.example.com:/",
            "https:docs.example.com",
            "//docs.example.com/x",
            "https:///x",
            "https://[::1/",
            "https://dоcs.example.com/",
        ] {
            assert!(
                matches!(a.check(url), Err(Error::InvalidUrl { .. })),
                "{url} accepted"
            );
        }
    }

    #[test]
    fn empty_allow_list_allows_nothing() {
        let none = AllowedOrigins::default();
        assert!(none.check("https://anywhere.example/x").is_err());
        assert!(none.check("http://127.0.0.1/latest/meta-data").is_err());
        assert!(none.check("file:///etc/passwd").is_err());
    }

    #[test]
    fn ipv6_hosts() {
        let a = AllowedOrigins::parse(&["http://[::1]:8000"]).unwrap();
        a.check("http://[::1]:8000/x").unwrap();
        assert!(a.check("http://[::2]:8000/x").is_err());
    }

    #[test]
    fn joins_base_urls() {
        assert_eq!(
            join("http://docs", "converter").unwrap(),
            "http://docs/converter"
        );
        assert_eq!(
            join("http://docs/", "converter").unwrap(),
            "http://docs/converter"
        );
        assert_eq!(
            join("http://h:81/docs/", "/command").unwrap(),
            "http://h:81/docs/command"
        );
        assert!(join("docs.example.com", "command").is_err());
        assert!(join("http://h/?x=1", "command").is_err());
    }

    fn reason(result: Result<impl std::fmt::Debug>) -> UrlReason {
        match result {
            Err(Error::InvalidUrl { reason, .. }) => reason,
            other => panic!("not a URL error: {other:?}"),
        }
    }

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            origin("HTTPS://Docs.Example.com/x?y").unwrap(),
            "https://docs.example.com:443"
        );
        assert_eq!(origin("http://h:8080").unwrap(), "http://h:8080");
        assert_eq!(origin("http://[::1]/x").unwrap(), "http://[::1]:80");
        assert_eq!(origin(" http://h/ ").unwrap(), "http://h:80");
        assert_eq!(reason(origin("ftp://h/")), UrlReason::Scheme);
        assert_eq!(reason(origin("")), UrlReason::Scheme);
        assert_eq!(reason(origin("http://u:p@h/")), UrlReason::Credentials);
    }

    #[test]
    fn base_urls_follow_the_settings_rule() {
        check_base_url("https://docs.example.com").unwrap();
        check_base_url("http://plone:8080/Plone/").unwrap();
        check_base_url("http://[::1]:81/docs").unwrap();
        for (url, why) in [
            ("docs.example.com", UrlReason::Scheme),
            ("ftp://docs/", UrlReason::Scheme),
            ("https://", UrlReason::Scheme),
            ("https://exa mple.com", UrlReason::Scheme),
            ("https://ann:pw@docs/", UrlReason::Credentials),
            ("https://ann@docs/", UrlReason::Credentials),
            ("https://docs/?x=1", UrlReason::Query),
            ("https://docs/#top", UrlReason::Query),
            ("https://docs?", UrlReason::Query),
        ] {
            assert_eq!(reason(check_base_url(url)), why, "{url}");
        }
    }

    #[test]
    fn refusals_off_the_allow_list_say_origin() {
        assert_eq!(
            reason(allowed().check("https://evil.example/x")),
            UrlReason::Origin
        );
        assert_eq!(reason(allowed().check("gopher://x/")), UrlReason::Scheme);
    }

    #[test]
    fn splits_path_and_query_like_urlsplit() {
        let split = |url: &'static str| parse_http_url(url).unwrap().path_and_query();
        assert_eq!(split("http://h/a/b?x=1#f"), ("/a/b", "x=1"));
        assert_eq!(split("http://h?x=1"), ("", "x=1"));
        assert_eq!(split("http://h/#f?x"), ("/", ""));
        assert_eq!(split("http://h"), ("", ""));
        assert_eq!(split("http://h/a?b?c"), ("/a", "b?c"));
    }

    proptest::proptest! {
        #[test]
        fn origin_ignores_case_default_ports_and_paths(
            host in "[a-z][a-z0-9-]{0,20}(\\.[a-z0-9]{1,8}){0,3}",
            https in proptest::bool::ANY,
            explicit_port in proptest::bool::ANY,
            path in "(/[a-zA-Z0-9._~%-]{0,10}){0,3}(\\?[a-z=&]{0,10})?",
        ) {
            let scheme = if https { "https" } else { "http" };
            let port = if https { 443 } else { 80 };
            let expected = format!("{scheme}://{host}:{port}");
            let shown_port = if explicit_port { format!(":{port}") } else { String::new() };
            let url = format!("{}://{}{shown_port}{path}", scheme.to_uppercase(), host.to_uppercase());
            proptest::prop_assert_eq!(origin(&url).unwrap(), expected.clone());
            let allowed = AllowedOrigins::parse(&[expected]).unwrap();
            proptest::prop_assert!(allowed.check(&url).is_ok());
        }
    }
}
