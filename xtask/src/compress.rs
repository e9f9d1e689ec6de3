//! Precompressed copies of a release build's assets, for static hosts that serve `x.wasm.gz` or
//! `x.wasm.br` when the browser accepts them: gzip at level 9 and Brotli at quality 11.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The assets worth compressing: what the page loads.
const EXTENSIONS: &[&str] = &["wasm", "js", "css", "html", "svg", "json"];

/// One asset's sizes.
pub struct Sizes {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Write `F.gz` and `F.br` beside every asset `F` in `dist` (not recursively: Trunk puts the
/// page's assets at the top). Returns each asset's sizes, by name.
pub fn precompress(dist: &Path) -> Result<Vec<Sizes>, String> {
    let mut files: Vec<PathBuf> = fs::read_dir(dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e)))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let bytes = fs::read(&f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
        let gz = gzip(&bytes)?;
        let br = brotli(&bytes)?;
        let write = |ext: &str, data: &[u8]| {
            let mut name = f.clone().into_os_string();
            name.push(ext);
            fs::write(&name, data).map_err(|e| format!("cannot write {}: {e}", PathBuf::from(name).display()))
        };
        write(".gz", &gz)?;
        write(".br", &br)?;
        out.push(Sizes {
            name: f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            raw: bytes.len() as u64,
            gzip: gz.len() as u64,
            brotli: br.len() as u64,
        });
    }
    Ok(out)
}

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).and_then(|_| e.finish()).map_err(|e| format!("gzip: {e}"))
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| format!("brotli: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    /// Each asset gets both copies, and each decompresses to the asset; other files get none.
    #[test]
    fn every_asset_gets_copies_that_decompress_to_it() {
        let dir = std::env::temp_dir().join(format!("spacetrace-precompress-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let wasm: Vec<u8> = (0..50_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        fs::write(dir.join("app_bg.wasm"), &wasm).unwrap();
        fs::write(dir.join("index.html"), "<!doctype html><p>hello</p>".repeat(20)).unwrap();
        fs::write(dir.join("notes.txt"), "not an asset").unwrap();
        let sizes = precompress(&dir).unwrap();
        assert_eq!(sizes.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["app_bg.wasm", "index.html"]);
        for s in &sizes {
            let original = fs::read(dir.join(&s.name)).unwrap();
            let mut gunzipped = Vec::new();
            flate2::read::GzDecoder::new(&fs::read(dir.join(format!("{}.gz", s.name))).unwrap()[..])
                .read_to_end(&mut gunzipped)
                .unwrap();
            assert_eq!(gunzipped, original);
            let mut unbrotlied = Vec::new();
            brotli::Decompressor::new(&fs::read(dir.join(format!("{}.br", s.name))).unwrap()[..], 4096)
                .read_to_end(&mut unbrotlied)
                .unwrap();
            assert_eq!(unbrotlied, original);
            assert!(s.gzip < s.raw && s.brotli < s.raw, "{} did not shrink", s.name);
        }
        assert!(!dir.join("notes.txt.gz").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
