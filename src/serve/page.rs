//! The page and its assets, embedded in the binary: the page works offline and loads
//! nothing from anywhere else.

/// The asset served at `path`, with its content type.
pub fn asset(path: &str) -> Option<(&'static str, &'static str)> {
    match path {
        "/" | "/index.html" => Some(("text/html; charset=utf-8", include_str!("page/index.html"))),
        "/app.js" => Some((
            "text/javascript; charset=utf-8",
            include_str!("page/app.js"),
        )),
        "/app.css" => Some(("text/css; charset=utf-8", include_str!("page/app.css"))),
        _ => None,
    }
}
