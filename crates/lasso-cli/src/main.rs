//! `lasso`: the command line of the Lasso API (see the `lasso_cli` library).

fn main() -> std::process::ExitCode {
    lasso_cli::run(std::env::args_os())
}
