//! The main scenario (`examples/scenario.rs`) as part of the test suite: CI runs it on the
//! debug binaries and every step must pass, including step 8, the privacy scan of every
//! node's store, log, metrics and export after the whole story.

use std::process::Command;

#[test]
fn the_main_scenario_passes_every_step() {
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "scenario"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NANSEN_SCENARIO_PROFILE", "debug")
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the scenario failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let summary = stdout
        .lines()
        .find(|l| l.contains("checks passed in"))
        .unwrap_or_default();
    let (passed, total) = summary
        .split_once(" of ")
        .and_then(|(p, rest)| {
            Some((
                p.parse::<u32>().ok()?,
                rest.split(' ').next()?.parse::<u32>().ok()?,
            ))
        })
        .unwrap_or((0, 1));
    assert_eq!(passed, total, "{summary}\n{stdout}");
    assert!(total >= 11, "{summary}");
    assert!(
        stdout.contains("=> 8 no claim value in any node's store, log, metrics or export: PASS"),
        "{stdout}"
    );
}
