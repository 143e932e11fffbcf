//! The dashboard page (`GET /dashboard`): a static page in Chinese that draws charts from the
//! public API with a vendored Apache ECharts. Everything it loads is served from the binary,
//! so it works without a network beyond the service itself.
//!
//! It is not part of the API and is registered outside the OpenAPI document, like `/docs`.
//! Its assets carry a hash of their content in their path, so they can be cached for a year;
//! the page itself is revalidated, so a new release is picked up at once.

use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Where the page is served.
pub const PAGE_PATH: &str = "/dashboard";

/// Where its assets are served: `/dashboard/assets/{name}`.
const ASSETS_PATH: &str = "/dashboard/assets";

/// Only the page's own files; no inline script or style, no other origin.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// One file the page loads.
struct Asset {
    /// The name in the page's template, replaced by the hashed name.
    placeholder: &'static str,
    /// The file name, before the hash is put in.
    stem: &'static str,
    extension: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
    /// Whether the name carries the content hash (and may be cached for a year).
    hashed: bool,
}

const ASSETS: [Asset; 5] = [
    Asset {
        placeholder: "{{echarts.js}}",
        stem: "echarts.min",
        extension: "js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/echarts/echarts.min.js"),
        hashed: true,
    },
    Asset {
        placeholder: "{{dashboard.js}}",
        stem: "dashboard",
        extension: "js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/dashboard/dashboard.js"),
        hashed: true,
    },
    Asset {
        placeholder: "{{dashboard.css}}",
        stem: "dashboard",
        extension: "css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../assets/dashboard/dashboard.css"),
        hashed: true,
    },
    // The licence travels with the library it covers (Apache-2.0, section 4).
    Asset {
        placeholder: "{{echarts-license}}",
        stem: "echarts-LICENSE",
        extension: "txt",
        content_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../../assets/echarts/LICENSE"),
        hashed: false,
    },
    Asset {
        placeholder: "{{echarts-notice}}",
        stem: "echarts-NOTICE",
        extension: "txt",
        content_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../../assets/echarts/NOTICE"),
        hashed: false,
    },
];

impl Asset {
    /// The name it is served under: `stem.hash.ext` for hashed assets.
    fn name(&self) -> String {
        if !self.hashed {
            return format!("{}.{}", self.stem, self.extension);
        }
        let digest = Sha256::digest(self.bytes);
        let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        format!("{}.{hash}.{}", self.stem, self.extension)
    }
}

/// Each asset's served name, computed once.
static NAMES: LazyLock<Vec<String>> = LazyLock::new(|| ASSETS.iter().map(Asset::name).collect());

/// The page, with each placeholder replaced by its asset's path.
static PAGE: LazyLock<String> = LazyLock::new(|| {
    ASSETS.iter().zip(NAMES.iter()).fold(
        include_str!("../../assets/dashboard/index.html").to_owned(),
        |page, (asset, name)| page.replace(asset.placeholder, &format!("{ASSETS_PATH}/{name}")),
    )
});

/// Registers the page and its assets.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PAGE_PATH, web::get().to(page))
        .route(&format!("{ASSETS_PATH}/{{name}}"), web::get().to(asset));
}

async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(PAGE.as_str())
}

async fn asset(req: HttpRequest, name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let found = ASSETS
        .iter()
        .zip(NAMES.iter())
        .find(|(_, served)| **served == *name);
    let Some((asset, _)) = found else {
        return Err(ApiError::NoResource(req.path().to_owned()));
    };
    let cache = if asset.hashed {
        IMMUTABLE
    } else {
        "public, no-cache"
    };
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        .body(asset.bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_every_asset_by_its_served_path_and_keeps_no_placeholder() {
        for name in NAMES.iter() {
            assert!(PAGE.contains(&format!("{ASSETS_PATH}/{name}")), "{name}");
        }
        assert!(!PAGE.contains("{{"), "a placeholder is left in the page");
    }

    #[test]
    fn hashed_names_change_with_the_content() {
        let mut asset = Asset {
            placeholder: "",
            stem: "a",
            extension: "js",
            content_type: "",
            bytes: b"one",
            hashed: true,
        };
        let first = asset.name();
        asset.bytes = b"two";
        assert_ne!(first, asset.name());
        assert!(first.starts_with("a.") && first.ends_with(".js") && first.len() == 17);
    }
}
