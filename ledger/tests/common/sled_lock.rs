//! Reopening a sled store right after dropping it (tests only).

/// Runs `open` until the previous handle's sled file lock is released:
/// sled lets go of the lock from a background thread shortly after the
/// handle is dropped, which a loaded machine can delay. Other errors, and
/// the lock still held after 10 s, are returned.
pub fn retry_locked<T, E: std::fmt::Display>(
    mut open: impl FnMut() -> Result<T, E>,
) -> Result<T, E> {
    let start = std::time::Instant::now();
    loop {
        match open() {
            Err(e) if e.to_string().contains("acquire lock") && start.elapsed().as_secs() < 10 => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}
