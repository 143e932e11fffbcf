//! The printable page in a real browser: headless Chromium renders the seed form, its table
//! cells read in the paper form's order, and a screenshot is kept as a test artefact
//! (`target/tmp/seed-form.png`).
//!
//! `scripts/test` installs Chromium from the Debian packages; where it cannot be installed the
//! test says so and skips.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// The Chromium (or Chrome) on `PATH`, if any.
pub(crate) fn chromium() -> Option<PathBuf> {
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find_map(|name| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|path| path.is_file())
        })
    })
}

fn run(browser: &Path, args: &[&str], page: &Path) -> std::process::Output {
    run_at(browser, args, &format!("file://{}", page.display()))
}

/// Runs headless Chromium with `args` on `url` and waits for it to exit.
pub(crate) fn run_at(browser: &Path, args: &[&str], url: &str) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--hide-scrollbars",
        ])
        .args(args)
        .arg(url)
        .output()
        .expect("Chromium runs")
}

/// The text of each `<td>` in document order, entities decoded.
fn cell_texts(dom: &str) -> Vec<String> {
    dom.split("<td")
        .skip(1)
        .map(|rest| {
            let inner = rest.split_once('>').map_or("", |(_, inner)| inner);
            let inner = inner.split("</td>").next().unwrap_or_default();
            inner
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

#[actix_web::test]
async fn chromium_renders_the_seed_form_as_the_paper_form_reads() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED: Chromium is not installed here and could not be (scripts/test installs \
             it with apt-get); the printable page was not rendered"
        );
        return;
    };
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let grid = app.get(&format!("{}/form", evaluation(id))).await.json();
    let page = app.get(&format!("{}/form.html", evaluation(id))).await;
    assert_eq!(page.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed-form.html");
    std::fs::write(&file, &page.body).unwrap();
    let screenshot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("seed-form.png");
    let _ = std::fs::remove_file(&screenshot);

    // Act
    let dom = run(&browser, &["--dump-dom"], &file);
    let shot_arg = format!("--screenshot={}", screenshot.display());
    let shot = run(&browser, &[&shot_arg, "--window-size=900,1500"], &file);

    // Assert: the browser's own parse of the page holds the grid's cells in order.
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let rendered = cell_texts(&String::from_utf8_lossy(&dom.stdout));
    let expected: Vec<String> = grid["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .map(|c| c["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rendered, expected);
    // And in the paper form's order: the funds heading, then the total row's figures.
    let start = rendered.iter().position(|t| t == "年初预算数").unwrap();
    assert_eq!(
        rendered[start..start + 13],
        [
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "执行率",
            "分值",
            "得分",
            "年度资金总额",
            "144.22",
            "254.48",
            "239.31",
            "94",
            "10",
            "8"
        ]
    );
    let order = [
        "部门资金（万元）",
        "年度总体目标",
        "绩效指标",
        "综合评定等级",
        "说明",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|label| rendered.iter().position(|t| t == label).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
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
