//! Reading input files: every command and every `use` reads through here.

use std::path::Path;

/// The file's text, already in the shared form the sources keep (one copy per file).
pub fn read(path: &Path) -> Result<std::sync::Arc<String>, String> {
    let bytes = std::fs::read(path).map_err(|error| describe_io_error(&error))?;
    if bytes.len() > crate::source::MAX_FILE_BYTES {
        return Err(format!("the file is larger than {} bytes, the most defuse reads", crate::source::MAX_FILE_BYTES));
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        format!("the file is not valid UTF-8 (invalid byte at offset {})", error.utf8_error().valid_up_to())
    })?;
    Ok(text.into())
}

pub fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        _ => error.to_string(),
    }
}
