//! The `concord` command: a thin layer over the library, one module per subcommand.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
