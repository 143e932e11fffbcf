//! Answers for requests no route takes: 405 with `Allow` where the path exists under other
//! methods, else 404 — both as problem documents.

use std::sync::Arc;

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, web};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

/// The documented paths and their methods, read from the OpenAPI document so that they can
/// never disagree with the routes.
#[derive(Clone, Debug)]
pub struct KnownPaths(Arc<Vec<(ResourceDef, String)>>);

impl KnownPaths {
    /// Collects the paths of `api`.
    #[must_use]
    pub fn from_openapi(api: &OpenApi) -> Self {
        let paths = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods: Vec<&str> = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect();
                // `admit` answers HEAD wherever GET is served.
                if methods.contains(&"GET") {
                    methods.push("HEAD");
                }
                (ResourceDef::new(path.as_str()), methods.join(", "))
            })
            .collect();
        Self(Arc::new(paths))
    }
}

/// The default service: 405 or 404.
///
/// # Errors
/// Always: that is its purpose.
pub async fn unmatched(req: HttpRequest, known: web::Data<KnownPaths>) -> Result<String, ApiError> {
    let allowed = known
        .0
        .iter()
        .find(|(def, _)| def.is_match(req.path()))
        .map(|(_, methods)| methods.clone());
    Err(match allowed {
        Some(allow) => ApiError::MethodNotAllowed {
            method: req.method().to_string(),
            allow,
        },
        None => ApiError::NoResource(req.path().to_owned()),
    })
}
