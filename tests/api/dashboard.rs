//! The dashboard page (`/dashboard`): served with its assets and a strict Content Security
//! Policy, and drawn in headless Chromium from the same figures `/stats` gives. A screenshot
//! is kept as a test artefact (`target/tmp/dashboard.png`).

use std::path::PathBuf;

use crate::browser::{chromium, run_at};
use crate::support::*;

/// The served paths of the assets the page loads (`src` and `href` under `/dashboard/`).
fn asset_paths(page: &str) -> Vec<String> {
    page.split(['"', '\''])
        .filter(|part| part.starts_with("/dashboard/assets/"))
        .map(str::to_owned)
        .collect()
}

/// The value of attribute `name` on the element whose start tag contains `marker`, entities
/// decoded; `None` when the element or the attribute is absent.
fn attribute(dom: &str, marker: &str, name: &str) -> Option<String> {
    let at = dom.find(marker)?;
    let start = dom[..at].rfind('<')?;
    let end = at + dom[at..].find('>')?;
    let tag = &dom[start..end];
    let needle = format!(" {name}=\"");
    let value = &tag[tag.find(&needle)? + needle.len()..];
    let value = &value[..value.find('"')?];
    Some(
        value
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// An app holding seven forms, of which four (three years) are approved and so readable by
/// anyone, and three are drafts.
async fn app_with_forms() -> TestApp {
    let app = spawn_app().await;
    for (n, stored) in store_seven(&app).await.iter().enumerate() {
        if [0, 1, 2, 5].contains(&n) {
            expect_status(&app, id_of(stored), "submit", None, "submitted").await;
            expect_status(&app, id_of(stored), "approve", None, "approved").await;
        }
    }
    app
}

#[actix_web::test]
async fn the_page_and_its_assets_are_served_with_their_types_and_caching() {
    // Arrange
    let app = spawn_app().await.anonymous();

    // Act
    let page = app.get("/dashboard").await;

    // Assert
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type(), "text/html; charset=utf-8");
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = body_text(&page);
    assert!(html.contains("绩效自评看板"));
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=").count(),
        "no inline script"
    );
    let paths = asset_paths(&html);
    let expected_types = [
        ("echarts.min.", "text/javascript; charset=utf-8"),
        ("dashboard.", "text/javascript; charset=utf-8"),
        ("dashboard.", "text/css; charset=utf-8"),
        ("echarts-LICENSE", "text/plain; charset=utf-8"),
        ("echarts-NOTICE", "text/plain; charset=utf-8"),
    ];
    assert_eq!(paths.len(), expected_types.len(), "{paths:?}");
    for path in &paths {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        let extension = path.rsplit('.').next().unwrap();
        let content_type = reply.content_type();
        let name = path.rsplit('/').next().unwrap();
        assert!(
            expected_types
                .iter()
                .any(|(stem, t)| name.starts_with(stem) && *t == content_type),
            "{path}: {content_type}"
        );
        let cache = reply.header("cache-control").unwrap_or_default();
        if extension == "txt" {
            assert_eq!(cache, "public, no-cache", "{path}");
        } else {
            assert_eq!(cache, "public, max-age=31536000, immutable", "{path}");
        }
    }
    let license = paths.iter().find(|p| p.contains("LICENSE")).unwrap();
    assert!(body_text(&app.get(license).await).contains("Apache License"));
    let notice = paths.iter().find(|p| p.contains("NOTICE")).unwrap();
    assert!(body_text(&app.get(notice).await).contains("Apache ECharts"));
    assert_eq!(
        app.get("/dashboard/assets/echarts.min.js").await.status,
        404
    );
}

#[actix_web::test]
async fn chromium_draws_the_published_forms_as_stats_counts_them() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED: Chromium is not installed here and could not be (scripts/test installs \
             it with apt-get); the dashboard was not drawn"
        );
        return;
    };
    // Arrange
    let app = app_with_forms().await;
    let anonymous = app.anonymous();
    let stats = anonymous
        .get("/api/v1/stats?group_by=fiscal_year&group_by=grade")
        .await
        .json();
    let url = app.url("/dashboard");
    let screenshot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dashboard.png");
    let _ = std::fs::remove_file(&screenshot);

    // Act: the browser waits for the page's fetches within its virtual time.
    let shot_arg = format!("--screenshot={}", screenshot.display());
    let (dom, shot) = actix_web::rt::task::spawn_blocking(move || {
        let wait = "--virtual-time-budget=20000";
        let dom = run_at(&browser, &[wait, "--dump-dom"], &url);
        let shot = run_at(
            &browser,
            &[wait, &shot_arg, "--window-size=1280,1400"],
            &url,
        );
        (dom, shot)
    })
    .await
    .unwrap();

    // Assert: drawn, without errors, from the figures `/stats` gives anyone.
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert_eq!(
        attribute(&dom, "<html", "data-ready").as_deref(),
        Some("true")
    );
    assert_eq!(
        attribute(&dom, "<html", "data-errors").as_deref(),
        Some("[]")
    );
    let drawn: Value = serde_json::from_str(
        &attribute(&dom, "id=\"grades-chart\"", "data-series").expect("the grades were drawn"),
    )
    .unwrap();
    let years: Vec<i64> = drawn["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_i64().unwrap())
        .collect();
    assert_eq!(years, [2019, 2020, 2021], "{drawn}");
    let mut counted = 0;
    for group in stats["groups"].as_array().unwrap() {
        let year = group["key"]["fiscal_year"].as_i64().unwrap();
        let grade = group["key"]["grade"].as_str().unwrap();
        let at = years.iter().position(|y| *y == year).unwrap();
        assert_eq!(drawn["series"][grade][at], group["count"], "{year} {grade}");
        counted += group["count"].as_i64().unwrap();
    }
    let drawn_total: i64 = drawn["series"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|row| row.as_array().unwrap())
        .map(|n| n.as_i64().unwrap())
        .sum();
    assert_eq!(drawn_total, counted);
    assert_eq!(counted, stats["overall"]["count"].as_i64().unwrap());
    assert_eq!(counted, 4, "the approved forms only");
    // The rates chart and the disagreements table are filled; filing asks for a token.
    assert!(attribute(&dom, "id=\"rates-chart\"", "data-series").is_some());
    assert!(
        dom.contains("form.html?annotate=true"),
        "a link to a printable page"
    );
    assert!(dom.contains("填报情况只有财政局"), "the filing note");
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let png = std::fs::read(&screenshot).expect("the screenshot is kept");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
}

#[actix_web::test]
async fn with_a_reviewers_token_from_a_link_it_draws_filing_and_a_units_trend() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED: Chromium is not installed here and could not be (scripts/test installs \
             it with apt-get); the dashboard was not drawn"
        );
        return;
    };
    // Arrange: the finance bureau's unit registered, and a reviewer's link to its trend.
    let app = app_with_forms().await;
    register(&app, FINANCE_CODE, FINANCE, None, Some("430421")).await;
    register(&app, "430421999", "衡阳县未填报单位", None, Some("430421")).await;
    let reviewer = app.as_caller(Some(&app.issue("reviewer", &[]).await));
    let token = reviewer.token.clone().expect("a token");
    let filing = reviewer
        .get("/api/v1/filing?fiscal_year=2021&kind=department")
        .await
        .json();
    let trend = reviewer
        .get(&format!(
            "/api/v1/units/{FINANCE_CODE}/trend?kind=department"
        ))
        .await
        .json();
    let url = app.url(&format!(
        "/dashboard#token={token}&unit={FINANCE_CODE}&fiscal_year=2021&kind=department"
    ));

    // Act
    let dom = actix_web::rt::task::spawn_blocking(move || {
        run_at(
            &browser,
            &["--virtual-time-budget=20000", "--dump-dom"],
            &url,
        )
    })
    .await
    .unwrap();

    // Assert: both charts drawn from what the reviewer's token reads, without errors.
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert_eq!(
        attribute(&dom, "<html", "data-errors").as_deref(),
        Some("[]")
    );
    assert!(dom.contains("已使用令牌"), "the token is in use");
    let drawn: Value = serde_json::from_str(
        &attribute(&dom, "id=\"filing-chart\"", "data-series").expect("filing was drawn"),
    )
    .unwrap();
    let order = [
        "missing",
        "draft",
        "submitted",
        "returned",
        "approved",
        "overdue",
    ];
    let expected: Vec<&Value> = order.iter().map(|s| &filing["counts"][s]).collect();
    let drawn_counts: Vec<&Value> = drawn["counts"].as_array().unwrap().iter().collect();
    assert_eq!(drawn_counts, expected, "{drawn} against {filing}");
    assert_eq!(filing["counts"]["missing"], 1, "{filing}");
    let drawn: Value = serde_json::from_str(
        &attribute(&dom, "id=\"trend-chart\"", "data-series").expect("the trend was drawn"),
    )
    .unwrap();
    let years: Vec<&Value> = trend
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["fiscal_year"])
        .collect();
    assert!(!years.is_empty(), "{trend}");
    assert_eq!(
        drawn["years"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        years,
        "{drawn} against {trend}"
    );
}
