//! The baseline of the performance targets: read every record of a CSV file with the csv crate,
//! one reused `ByteRecord`, and do nothing else but count. concord's `check` is measured
//! against this (docs/performance.md).

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: csv-baseline FILE");
        return ExitCode::from(2);
    };
    let mut reader = match csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_path(&path)
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(4);
        }
    };
    let mut record = csv::ByteRecord::new();
    let mut records: u64 = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => records += 1,
            Ok(false) => break,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(4);
            }
        }
    }
    println!("{records}");
    ExitCode::SUCCESS
}
