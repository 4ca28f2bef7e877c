//! `concord-gen`: writes a deterministic synthetic activities CSV for benchmarks and load tests.
//!
//! `concord-gen --rows N --seed S --bad-share F --out FILE [--rules DIR] [--shape default|realistic]
//! [--crlf]`

mod synth;

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use concord::run::Engine;

/// Write a synthetic activities CSV over the catalogue's parties, vocabulary and period.
#[derive(Parser)]
#[command(name = "concord-gen")]
struct Args {
    /// Data rows to write (the header is extra)
    #[arg(long)]
    rows: u64,
    /// Seed of the generator: the same seed and catalogue give the same bytes
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of rows (0 to 1) that are bad, spread over every per-row reject kind
    #[arg(long, default_value_t = 0.01)]
    bad_share: f64,
    /// Output file
    #[arg(long)]
    out: PathBuf,
    /// A rules directory (default: the bundled catalogue)
    #[arg(long)]
    rules: Option<PathBuf>,
    /// The rows' shape: `default` (60% matching, 30% with partners, short text) or `realistic`
    /// (90% matching, 20% with partners, an address and a note in every row)
    #[arg(long, value_enum, default_value = "default")]
    shape: ShapeName,
    /// Percent of rows matching a commitment's selector (overrides the shape's)
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    match_pct: Option<u8>,
    /// Percent of rows naming partners (overrides the shape's)
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    partner_pct: Option<u8>,
    /// End every line with `\r\n`, as spreadsheet programs save CSV on Windows
    #[arg(long)]
    crlf: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ShapeName {
    Default,
    Realistic,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if !(0.0..=1.0).contains(&args.bad_share) {
        eprintln!("error: --bad-share must be between 0 and 1");
        return ExitCode::from(2);
    }
    let engine = match Engine::load(args.rules.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            eprint!("{}", e.render());
            return ExitCode::from(3);
        }
    };
    let universe = synth::Universe::new(&engine.catalogue);
    let mut shape = match args.shape {
        ShapeName::Default => synth::Shape::DEFAULT,
        ShapeName::Realistic => synth::Shape::REALISTIC,
    };
    if let Some(p) = args.match_pct {
        shape.match_pct = usize::from(p);
    }
    if let Some(p) = args.partner_pct {
        shape.partner_pct = usize::from(p);
    }
    let options = synth::Options {
        rows: args.rows,
        seed: args.seed,
        bad_share: args.bad_share,
        shape,
        crlf: args.crlf,
    };
    let written = File::create(&args.out).and_then(|f| {
        let mut w = BufWriter::with_capacity(1 << 20, f);
        synth::write(&universe, options, &mut w)
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", args.out.display());
            ExitCode::from(4)
        }
    }
}
