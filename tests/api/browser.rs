//! The printable page in a real browser: headless Chromium renders the seed form, its table
//! cells read in the paper form's order, and a screenshot is kept as a test artefact
//! (`target/tmp/seed-form.png`). Both kinds of form, with nine-digit amounts and long texts,
//! print every figure on one line within A4 portrait (`target/tmp/*-a4.png`, `*-a4.pdf`).
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
        .map(|c| {
            let text = c["text"].as_str().unwrap().to_owned();
            // The execution rate prints with its percent sign.
            if c["source"] == "/funds/declared_rate" {
                format!("{text}%")
            } else {
                text
            }
        })
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
            "94%",
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

/// Run in the page at A4's width: whether each figure cell's text is one line that fits its
/// cell, whether each text keeps its line breaks left-aligned, and how wide the page is. The
/// answer is left on `<body data-check>` for `--dump-dom` to carry out.
const CHECK: &str = r#"<script>
(() => {
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return { tops: tops.size, width: range.getBoundingClientRect().width };
  };
  const figures = [...document.querySelectorAll("td.figure")].map((td) => {
    const style = getComputedStyle(td);
    const room = td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const { tops, width } = lines(td);
    return { text: td.textContent, tops, width, room };
  });
  const prose = [...document.querySelectorAll("td.prose")].map((td) => ({
    text: td.textContent,
    align: getComputedStyle(td).textAlign,
    whiteSpace: getComputedStyle(td).whiteSpace,
    tops: lines(td).tops,
  }));
  const table = document.querySelector("table.form").getBoundingClientRect();
  document.body.dataset.check = JSON.stringify({
    figures, prose,
    tableRight: table.right,
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  });
})();
</script>"#;

/// The project example with amounts of nine digits and two decimals in 元, and long texts of
/// several paragraphs.
pub(crate) fn long_project() -> Value {
    let path = data_dir().join("examples/sichuan-2022-project-example.json");
    let text = std::fs::read_to_string(path).expect("the project example is readable");
    let mut form: Value = serde_json::from_str(&text).expect("the project example is JSON");
    let funds = &mut form["funds"];
    funds["initial_budget"] = json!("115000000.00");
    funds["annual_budget"] = json!("120000000.00");
    funds["executed"] = json!("111223150.40");
    funds["declared_rate"] = json!("92.69");
    funds["breakdown"][0]["initial_budget"] = json!("115000000.00");
    funds["breakdown"][0]["annual_budget"] = json!("115000000.00");
    funds["breakdown"][0]["executed"] = json!("106223150.40");
    funds["breakdown"][1]["annual_budget"] = json!("5000000.00");
    funds["breakdown"][1]["executed"] = json!("5000000.00");
    form["goals"][0]["expected"] = json!(
        "新建高标准农田 1 万亩，改善灌溉条件，提高粮食综合生产能力。\n\
         完善田间道路和农田防护设施，推进农业机械化。\n\
         建立工程管护机制，确保工程长期发挥效益。"
    );
    form["deviation_analysis"] = json!(
        "一是渠道建设未完全达到年初目标。两处渠段因征地协调延后，涉及长度 3.5 公里，已纳入下年度计划。\n\
         二是完工时间有所延后。受冬季降雨影响，收尾工程于次年1月完成。\n\
         三是部分资金支付滞后，执行率未达到100%。"
    );
    form["improvement_measures"] = json!(
        "1. 提前开展征地协调，合理安排施工工期。\n\
         2. 加强资金支付进度管理，按月调度。\n\
         3. 完善工程管护制度，落实管护责任和经费。"
    );
    form["indicators"][0]["children"][0]["children"][1]["deviation_reason"] =
        json!("两处渠段因征地协调延后。\n已纳入下年度计划，预计2023年6月底前完成。");
    form
}

/// The department seed with amounts of nine digits and two decimals.
fn long_department() -> Value {
    let mut form = seed();
    let funds = &mut form["funds"];
    funds["initial_budget"] = json!("144220000.00");
    funds["annual_budget"] = json!("254480000.00");
    funds["executed"] = json!("239310000.00");
    form
}

/// The `data-check` answer of the page script.
fn check_of(dom: &str) -> Value {
    let start = dom.find("data-check=\"").expect("the page script ran") + "data-check=\"".len();
    let end = start + dom[start..].find('"').expect("the attribute is closed");
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).expect("the page script's answer is JSON")
}

#[actix_web::test]
async fn chromium_prints_every_figure_on_one_line_within_a4_portrait() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: Chromium is not installed here; the A4 layout was not checked");
        return;
    };
    // Arrange: both pages fetched before the browser runs, which blocks this thread.
    let app = spawn_app().await;
    let mut pages = Vec::new();
    for (name, form) in [
        ("department", long_department()),
        ("project", long_project()),
    ] {
        let id = id_of(&app.create(&form).await);
        let page = app.get(&format!("{}/form.html", evaluation(id))).await;
        assert_eq!(page.status, 200);
        pages.push((name, form, body_text(&page)));
    }
    for (name, form, html) in pages {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!("{name}.html"));
        std::fs::write(&file, html.replace("</body>", &format!("{CHECK}</body>"))).unwrap();
        let kept = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let screenshot = kept.join(format!("{name}-a4.png"));
        let pdf = kept.join(format!("{name}-a4.pdf"));
        let _ = std::fs::remove_file(&pdf);

        // Act: A4 is 794 CSS pixels wide.
        let dom = run(&browser, &["--dump-dom", "--window-size=794,1123"], &file);
        let shot_arg = format!("--screenshot={}", screenshot.display());
        run(&browser, &[&shot_arg, "--window-size=794,1700"], &file);
        let pdf_arg = format!("--print-to-pdf={}", pdf.display());
        let printed = run(&browser, &[&pdf_arg, "--no-pdf-header-footer"], &file);

        // Assert: every figure is one line that fits its cell.
        assert!(
            dom.status.success(),
            "{}",
            String::from_utf8_lossy(&dom.stderr)
        );
        let check = check_of(&String::from_utf8_lossy(&dom.stdout));
        let figures = check["figures"].as_array().unwrap();
        assert!(figures.len() > 20, "{name}: {check}");
        let amounts = figures
            .iter()
            .filter(|f| f["text"].as_str().unwrap().len() == "115000000.00".len())
            .count();
        assert!(
            amounts >= 3,
            "{name}: the nine-digit amounts are figures: {check}"
        );
        for figure in figures {
            assert_eq!(figure["tops"], 1, "{name}: {figure} is on one line");
            let (width, room) = (
                figure["width"].as_f64().unwrap(),
                figure["room"].as_f64().unwrap(),
            );
            assert!(width <= room + 0.5, "{name}: {figure} fits its cell");
        }
        assert!(
            figures
                .iter()
                .any(|f| f["text"].as_str().unwrap().ends_with('%')),
            "{name}: the execution rate prints with %"
        );
        // Texts keep their paragraphs, left-aligned.
        let prose = check["prose"].as_array().unwrap();
        let paragraphs = |field: &str| -> &Value {
            prose
                .iter()
                .find(|p| p["text"].as_str().unwrap().starts_with(field))
                .unwrap_or_else(|| panic!("{name}: no text starting {field}: {check}"))
        };
        let analysis = if name == "project" {
            "一是渠道"
        } else {
            "三公开支"
        };
        for text in [
            paragraphs(analysis),
            paragraphs(&form["improvement_measures"].as_str().unwrap()[..6]),
        ] {
            assert_eq!(text["whiteSpace"], "pre-line", "{name}: {text}");
            assert_eq!(text["align"], "left", "{name}: {text}");
            let breaks = text["text"].as_str().unwrap().matches('\n').count();
            assert!(
                text["tops"].as_u64().unwrap() > breaks as u64,
                "{name}: {text}"
            );
        }
        // The page is no wider than A4.
        assert!(
            check["pageWidth"].as_f64().unwrap() <= 794.0,
            "{name}: {check}"
        );
        assert!(
            check["tableRight"].as_f64().unwrap() <= 794.0,
            "{name}: {check}"
        );
        // Printed, it is A4 portrait pages: 595 × 842 points.
        assert!(
            printed.status.success(),
            "{}",
            String::from_utf8_lossy(&printed.stderr)
        );
        let pdf = std::fs::read(&pdf).expect("the PDF is kept");
        let pdf = String::from_utf8_lossy(&pdf);
        let pages = pdf.matches("/Type /Page\n").count();
        let boxes: Vec<&str> = pdf
            .match_indices("/MediaBox [")
            .map(|(i, _)| &pdf[i..i + 30])
            .collect();
        assert!((1..=2).contains(&pages), "{name}: {pages} pages");
        assert_eq!(boxes.len(), pages, "{name}: {boxes:?}");
        for media in &boxes {
            let size: Vec<f64> = media["/MediaBox [".len()..]
                .split([' ', ']'])
                .filter_map(|n| n.parse().ok())
                .collect();
            assert!(
                size.len() >= 4 && (size[2] - 595.0).abs() < 1.0 && (size[3] - 842.0).abs() < 1.0,
                "{name}: A4 portrait, not {media}"
            );
        }
    }
}
