//! The API documentation page (`/docs/`): Swagger UI, titled after the service.

use std::sync::{Arc, LazyLock};

use actix_web::{HttpResponse, http::header::ContentType};

use crate::domain::messages::Detail;
use crate::error::ApiError;

/// The page title a browser tab and a bookmark show.
pub const TITLE: &str = "jixiao 接口文档 · 预算绩效自评";

/// Swagger UI's own index page with the service's title and language; its scripts and styles
/// are still served by Swagger UI itself. `None` only if the vendored page were missing.
static INDEX: LazyLock<Option<String>> = LazyLock::new(|| {
    let config = Arc::new(utoipa_swagger_ui::Config::new(["/openapi.json"]));
    let file = utoipa_swagger_ui::serve("index.html", config)
        .ok()
        .flatten()?;
    let page = String::from_utf8(file.bytes.into_owned()).ok()?;
    Some(retitle(&page))
});

/// The page with its `<title>` replaced and its language set to Chinese; unchanged if it has no
/// title.
fn retitle(page: &str) -> String {
    let Some(start) = page.find("<title>") else {
        return page.to_owned();
    };
    let Some(end) = page[start..].find("</title>") else {
        return page.to_owned();
    };
    let end = start + end + "</title>".len();
    let titled = format!("{}<title>{TITLE}</title>{}", &page[..start], &page[end..]);
    titled.replacen("<html lang=\"en\">", "<html lang=\"zh-CN\">", 1)
}

/// `GET /docs/` and `/docs/index.html`.
pub async fn index() -> Result<HttpResponse, ApiError> {
    let page = INDEX
        .as_deref()
        .ok_or(ApiError::NotFound(Detail::DocsUnavailable))?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::html())
        .body(page.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_page_is_titled_after_the_service() {
        let page = INDEX.as_deref().unwrap();
        assert!(page.contains(&format!("<title>{TITLE}</title>")), "{page}");
        assert!(!page.contains("Swagger UI</title>"));
        assert!(page.contains("swagger-initializer.js"));
    }

    #[test]
    fn a_page_without_title_is_left_alone() {
        assert_eq!(retitle("<html><body/></html>"), "<html><body/></html>");
    }
}
