//! The API contract: the generated OpenAPI spec is committed as `web/openapi.json` (the front end's
//! types are generated from it), and every permission the API checks exists in the catalogue.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;

#[test]
fn openapi_snapshot_is_up_to_date() {
    let spec = xiezhi_api::openapi().to_pretty_json().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed.trim() == spec.trim(),
        "web/openapi.json is stale: run `scripts/gen-api.sh` and commit web/openapi.json and web/src/api/schema.d.ts"
    );
}

#[tokio::test]
async fn every_checked_permission_exists_in_the_catalogue() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await.unwrap();
    let known: Vec<String> =
        xiezhi_storage::platform::role::permissions(&mut conn).await.unwrap().into_iter().map(|p| p.code).collect();
    for code in xiezhi_api::auth::perm::ALL {
        assert!(known.iter().any(|k| k == code), "{code} missing from the permissions table");
    }
}
