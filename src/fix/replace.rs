//! Replacing a file with its fixed bytes without losing anybody's words.
//!
//! What is guaranteed (the README's "Fixes" paragraph says the same):
//! - The file is replaced atomically: its bytes are written and synced to a temporary file
//!   beside it (`.NAME.kintsugi-tmp-PID-N`), which then takes the file's place, so a kill at
//!   any moment leaves the old or the new content, never a mix. SIGINT, SIGTERM and SIGHUP
//!   remove the temporary files first (see [`remove_temp_files_on_signals`]); after a
//!   SIGKILL, the next `--fix` names the ones left ([`stale_temp_files`]).
//! - Another program's save is not overwritten: right before the swap the file must still be
//!   the one read (device, inode, size, modification time, and its bytes). On
//!   Linux the swap is an exchange (`renameat2(RENAME_EXCHANGE)`), after which the file that
//!   was displaced is checked once more; if it was replaced or written meanwhile, the
//!   exchange is undone and the other program's text stays. What remains: a program that
//!   keeps the old file open and writes into it after that last check writes into a file
//!   that is no longer at the path. Runs of kintsugi-lint exclude each other with an
//!   advisory lock (`flock`), which editors do not take.
//! - A symbolic link is followed: the file it points to is fixed and the link stays. A file
//!   with several names (hard links) is not fixed: replacing it would leave the other names
//!   with the old text.
//! - A read-only file (no write permission bit), or one the user may not write, is reported,
//!   not replaced; the owner, group and permissions of the file are kept, or the fix is
//!   refused when they cannot be.

use std::fs::File;
use std::path::{Path, PathBuf};

/// A file read for fixing: where it will be written (a symbolic link's target), its bytes,
/// and what it was when read.
#[derive(Debug)]
pub struct ReadForFix {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// Kept open: its identity is checked again right before the swap, and it carries the
    /// advisory lock.
    file: File,
    identity: Identity,
}

/// What must not change between reading a file and replacing it. Not the change time:
/// the swap itself changes it (a rename touches the inode).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    device: u64,
    inode: u64,
    size: u64,
    modified: (i64, i64),
}

impl Identity {
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Identity {
            device: meta.dev(),
            inode: meta.ino(),
            size: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
        }
    }

    #[cfg(not(unix))]
    fn of(meta: &std::fs::Metadata) -> Self {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or((0, 0), |d| {
                (d.as_secs() as i64, i64::from(d.subsec_nanos()))
            });
        Identity {
            device: 0,
            inode: 0,
            size: meta.len(),
            modified,
        }
    }
}

/// Why a file was not replaced. Each message says what happened in Japanese.
#[derive(Debug, thiserror::Error)]
pub enum ReplaceError {
    #[error("読み込めません: {0}")]
    Read(std::io::Error),
    #[error("{0} MiB を超えるため読み込みませんでした（上限は --max-size MiB で変えられます）")]
    TooLarge(u64),
    #[error("通常のファイルではないため修正しませんでした")]
    NotRegular,
    #[error(
        "ほかの名前（ハードリンク）と共有されているファイルのため修正しませんでした（リンク数 {links}）。修正するとほかの名前が古い内容のまま分かれてしまいます"
    )]
    HardLinked { links: u64 },
    #[error("読み取り専用のファイルのため修正しませんでした")]
    ReadOnly,
    #[error("このファイルに書き込む権限がないため修正しませんでした")]
    NotWritable,
    #[error("所有者またはグループを元のとおりに保てないため修正しませんでした（{0}）")]
    Owner(std::io::Error),
    #[error("別の kintsugi-lint がこのファイルを修正中のため修正しませんでした")]
    Locked,
    #[error("読み込み後にファイルが変更されたため書き込みませんでした")]
    Changed,
    #[error(
        "書き込みの直前に別のプログラムがファイルを変更したため、修正を取り消して変更後の内容を残しました"
    )]
    LostRace,
    #[error(
        "書き込みの直前に別のプログラムがファイルを変更しました。変更後の内容は {kept} にあります（元に戻せませんでした: {error}）"
    )]
    LostRaceKeptAside {
        kept: PathBuf,
        error: std::io::Error,
    },
    #[error("書き込めません: {error}（一時ファイル {temp}）")]
    Write {
        error: std::io::Error,
        temp: PathBuf,
    },
    #[error("書き込めません: 一時ファイルを作れません: {0}")]
    Temp(std::io::Error),
}

/// Reads `path` for fixing (at most `limit` bytes). A symbolic link is followed to the file
/// it names.
pub fn read_for_fix(path: &Path, limit: u64) -> Result<ReadForFix, ReplaceError> {
    let link = std::fs::symlink_metadata(path).map_err(ReplaceError::Read)?;
    let target = if link.file_type().is_symlink() {
        std::fs::canonicalize(path).map_err(ReplaceError::Read)?
    } else {
        path.to_path_buf()
    };
    let mut file = File::open(&target).map_err(ReplaceError::Read)?;
    let meta = file.metadata().map_err(ReplaceError::Read)?;
    if !meta.is_file() {
        return Err(ReplaceError::NotRegular);
    }
    let bytes = match crate::source::read_limited(&mut file, limit) {
        Ok(bytes) => bytes,
        Err(crate::source::ReadError::Io(err)) => return Err(ReplaceError::Read(err)),
        Err(crate::source::ReadError::TooLarge(limit)) => {
            return Err(ReplaceError::TooLarge(limit / (1024 * 1024)));
        }
    };
    // Read through the open file, then identified: a change while reading shows as a new
    // size or time at the final check.
    Ok(ReadForFix {
        path: target,
        bytes,
        file,
        identity: Identity::of(&meta),
    })
}

/// Replaces the file `read` came from with `new`, if it is still what was read.
pub fn replace(read: &ReadForFix, new: &[u8]) -> Result<(), ReplaceError> {
    platform::replace(read, new)
}

/// The temporary files this process has not yet moved into place or removed.
static TEMP_FILES: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn temp_files() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A thread that panicked while holding the list left it as it was: still usable.
    TEMP_FILES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The marker in the names of temporary files (`.NAME.kintsugi-tmp-PID-N`).
const TEMP_MARK: &str = ".kintsugi-tmp-";

/// On SIGINT, SIGTERM or SIGHUP, removes this process's temporary files and exits with
/// 128 + the signal's number. For the binary: a library does not take over signals.
pub fn remove_temp_files_on_signals() -> std::io::Result<()> {
    platform::remove_temp_files_on_signals()
}

/// Temporary files in `dir` that a `--fix` left behind (killed before it could remove
/// them): named like ours, and made by a process that is no longer running.
pub fn stale_temp_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let (_, rest) = name.split_once(TEMP_MARK)?;
            let pid: u32 = rest.split('-').next()?.parse().ok()?;
            (!platform::is_running(pid)).then(|| entry.path())
        })
        .collect();
    stale.sort();
    stale
}

#[cfg(unix)]
mod platform {
    use std::ffi::CString;
    use std::fs::{File, OpenOptions};
    use std::io::Write;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{Identity, ReadForFix, ReplaceError, TEMP_MARK, temp_files};

    pub fn replace(read: &ReadForFix, new: &[u8]) -> Result<(), ReplaceError> {
        let meta = read.file.metadata().map_err(ReplaceError::Read)?;
        if meta.nlink() > 1 {
            return Err(ReplaceError::HardLinked {
                links: meta.nlink(),
            });
        }
        if meta.permissions().mode() & 0o222 == 0 {
            return Err(ReplaceError::ReadOnly);
        }
        if !may_write(&read.path) {
            return Err(ReplaceError::NotWritable);
        }
        lock(&read.file)?;
        let temp = Temp::create(&read.path)?;
        temp.fill(new, &meta)?;
        // From the last check to the swap, signals wait: their handler must not remove the
        // temporary file while it holds the old content or another program's.
        let registered = temp_files();
        check_unchanged(read)?;
        let swapped = swap(&temp.path, &read.path, read);
        drop(registered);
        swapped?;
        if let Some(dir) = read.path.parent() {
            // The rename is durable once the folder is synced; a failure here loses nothing.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }

    /// A temporary file beside the target, registered for removal on signals until it is
    /// moved into place; removed when dropped if still there.
    struct Temp {
        path: PathBuf,
        file: File,
    }

    static COUNTER: AtomicUsize = AtomicUsize::new(0);

    impl Temp {
        fn create(target: &Path) -> Result<Temp, ReplaceError> {
            let dir = target
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = target
                .file_name()
                .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(".{name}{TEMP_MARK}{}-{n}", std::process::id()));
            let mut registered = temp_files();
            let file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .map_err(ReplaceError::Temp)?;
            registered.push(path.clone());
            Ok(Temp { path, file })
        }

        /// Writes and syncs `bytes`, with the target's permissions, owner and group.
        fn fill(&self, bytes: &[u8], target: &std::fs::Metadata) -> Result<(), ReplaceError> {
            let write_error = |error| ReplaceError::Write {
                error,
                temp: self.path.clone(),
            };
            (&self.file).write_all(bytes).map_err(write_error)?;
            self.file.sync_all().map_err(write_error)?;
            let mine = self.file.metadata().map_err(write_error)?;
            if mine.uid() != target.uid() || mine.gid() != target.gid() {
                std::os::unix::fs::fchown(&self.file, Some(target.uid()), Some(target.gid()))
                    .map_err(ReplaceError::Owner)?;
            }
            let mode = target.permissions().mode() & 0o7777;
            self.file
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(write_error)
        }
    }

    impl Drop for Temp {
        fn drop(&mut self) {
            // After a successful swap the temporary name holds the old content (exchange)
            // or nothing (rename); either way it goes.
            let _ = std::fs::remove_file(&self.path);
            temp_files().retain(|p| *p != self.path);
        }
    }

    /// The file at `read.path` is still the one read, with the same bytes.
    fn check_unchanged(read: &ReadForFix) -> Result<(), ReplaceError> {
        let now = read.file.metadata().map_err(ReplaceError::Read)?;
        let at_path = std::fs::metadata(&read.path).map_err(ReplaceError::Read)?;
        if Identity::of(&now) != read.identity || Identity::of(&at_path) != read.identity {
            return Err(ReplaceError::Changed);
        }
        let mut current = vec![0; read.bytes.len()];
        read.file
            .read_exact_at(&mut current, 0)
            .map_err(|_| ReplaceError::Changed)?;
        if current != read.bytes {
            return Err(ReplaceError::Changed);
        }
        Ok(())
    }

    /// Puts `temp` in `target`'s place. On Linux, exchanges the two and checks the file that
    /// was displaced: if it is not the one read, or was written since, the exchange is
    /// undone. Elsewhere (or where the file system cannot exchange), renames.
    fn swap(temp: &Path, target: &Path, read: &ReadForFix) -> Result<(), ReplaceError> {
        let write_error = |error| ReplaceError::Write {
            error,
            temp: temp.to_path_buf(),
        };
        match exchange(temp, target) {
            Ok(()) => {
                let displaced = std::fs::symlink_metadata(temp).map_err(write_error)?;
                let still = read.file.metadata().map_err(write_error)?;
                if Identity::of(&displaced) == read.identity
                    && Identity::of(&still) == read.identity
                {
                    return Ok(());
                }
                match exchange(temp, target) {
                    Ok(()) => Err(ReplaceError::LostRace),
                    Err(error) => {
                        // The other program's file is at the temporary name: keep it there,
                        // and say so, rather than remove it with the temporary file.
                        let kept = temp.with_extension("kept");
                        let _ = std::fs::rename(temp, &kept);
                        Err(ReplaceError::LostRaceKeptAside { kept, error })
                    }
                }
            }
            Err(_) => std::fs::rename(temp, target).map_err(write_error),
        }
    }

    fn c_path(path: &Path) -> std::io::Result<CString> {
        CString::new(path.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))
    }

    #[cfg(target_os = "linux")]
    fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
        let (a, b) = (c_path(a)?, c_path(b)?);
        // SAFETY: both paths are NUL-terminated strings that outlive the call.
        let result = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if result == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }

    /// Whether this user may write `path` (root may write a read-only file; the mode check
    /// before this refuses those for everyone).
    fn may_write(path: &Path) -> bool {
        let Ok(path) = c_path(path) else {
            return false;
        };
        // SAFETY: a NUL-terminated path that outlives the call.
        unsafe { libc::access(path.as_ptr(), libc::W_OK) == 0 }
    }

    /// An exclusive advisory lock on the file read, held until it is closed.
    fn lock(file: &File) -> Result<(), ReplaceError> {
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is open for the duration of the call.
        let result = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if result == 0 {
            Ok(())
        } else {
            Err(ReplaceError::Locked)
        }
    }

    pub fn is_running(pid: u32) -> bool {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only asks whether the process exists.
        let result = unsafe { libc::kill(pid, 0) };
        result == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }

    pub fn remove_temp_files_on_signals() -> std::io::Result<()> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let registered = temp_files();
                for path in registered.iter() {
                    let _ = std::fs::remove_file(path);
                }
                std::process::exit(128 + signal);
            }
        });
        Ok(())
    }
}

#[cfg(not(unix))]
mod platform {
    use std::io::Write;

    use super::{ReadForFix, ReplaceError};

    pub fn replace(read: &ReadForFix, new: &[u8]) -> Result<(), ReplaceError> {
        let meta = read.file.metadata().map_err(ReplaceError::Read)?;
        if meta.permissions().readonly() {
            return Err(ReplaceError::ReadOnly);
        }
        if std::fs::read(&read.path).map_err(ReplaceError::Read)? != read.bytes {
            return Err(ReplaceError::Changed);
        }
        let dir = read.path.parent().unwrap_or(std::path::Path::new("."));
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(ReplaceError::Temp)?;
        let temp_path = temp.path().to_path_buf();
        let write_error = |error| ReplaceError::Write {
            error,
            temp: temp_path.clone(),
        };
        temp.write_all(new).map_err(write_error)?;
        temp.as_file().sync_all().map_err(write_error)?;
        temp.persist(&read.path).map_err(|e| write_error(e.error))?;
        Ok(())
    }

    pub fn is_running(_: u32) -> bool {
        true
    }

    pub fn remove_temp_files_on_signals() -> std::io::Result<()> {
        Ok(())
    }
}
