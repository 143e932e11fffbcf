//! Exact bodies whose shape is the contract: the seed's result and its form grid. A change to
//! either must be deliberate: rerun with `UPDATE_SNAPSHOTS=1 cargo test --test api snapshots`
//! and review the diff of `tests/snapshots/`.

use std::path::PathBuf;

use crate::support::*;

fn assert_snapshot(name: &str, actual: &Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    let pretty = serde_json::to_string_pretty(actual).expect("JSON") + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &pretty).expect("the snapshot is written");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with UPDATE_SNAPSHOTS=1", path.display()));
    assert!(
        expected == pretty,
        "{name} changed; if that is intended, rerun with UPDATE_SNAPSHOTS=1 and review the diff"
    );
}

#[actix_web::test]
async fn the_seed_result_is_exactly_the_snapshot() {
    let app = spawn_app().await;
    let stored = app.create(&seed()).await;
    assert_snapshot("seed-result.json", &stored["result"]);
}

#[actix_web::test]
async fn the_seed_form_grid_is_exactly_the_snapshot() {
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let grid = app.get(&format!("{}/form", evaluation(id))).await.json();
    assert_snapshot("seed-form.json", &grid);
}
