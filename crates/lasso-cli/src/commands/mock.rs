//! `lasso mock`: the bundled emulator (crates/lasso-mock), for the user's own tests.

use crate::cli::{Ctx, Fail, MockArgs};
#[cfg(feature = "mock")]
use crate::exit;

/// A well-formed key for the emulator (it accepts every such key as its own company).
#[cfg(feature = "mock")]
const DEMO_KEY_HINT: &str = "lasso_dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

/// Serves until Ctrl-C (or SIGTERM); the first line on stdout is
/// `listening on http://127.0.0.1:PORT/api/v1`, as `lasso-mock` prints.
#[cfg(feature = "mock")]
pub async fn run(ctx: &Ctx, args: &MockArgs) -> Result<(), Fail> {
    use std::io::Write;
    if !(args.time_scale.is_finite() && args.time_scale >= 0.0) {
        return Err(Fail::Usage(format!(
            "--time-scale expects a non-negative number, got {}",
            args.time_scale
        )));
    }
    if !(args.balance.is_finite() && args.balance >= 0.0) {
        return Err(Fail::Usage(format!(
            "--balance expects a non-negative number, got {}",
            args.balance
        )));
    }
    let config = lasso_mock::MockConfig {
        port: args.port,
        seed: args.seed,
        initial_balance: args.balance,
        time_scale: args.time_scale,
        keys: None,
    };
    let server = lasso_mock::MockServer::start(config).await.map_err(|e| {
        Fail::Other(
            format!("cannot listen on 127.0.0.1:{}: {e}", args.port),
            exit::FAILURE,
        )
    })?;
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on {}", server.url());
        let _ = stdout.flush();
    }
    ctx.out.note(&format!(
        "The Lasso API emulator is running. In another shell:\n  export LASSO_BASE_URL={}\n  export LASSO_API_KEY={DEMO_KEY_HINT}\nControl API: {}/__mock/{{faults,stats,reset}}. Ctrl-C stops it.",
        server.url(),
        server.base()
    ));
    wait_for_stop(ctx).await;
    server.shutdown().await;
    Ok(())
}

#[cfg(feature = "mock")]
async fn wait_for_stop(ctx: &Ctx) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                () = ctx.interrupt.triggered() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    ctx.interrupt.triggered().await;
}

/// Without the `mock` feature there is no emulator to run.
#[cfg(not(feature = "mock"))]
pub async fn run(_ctx: &Ctx, _args: &MockArgs) -> Result<(), Fail> {
    Err(Fail::Other(
        "this lasso was built without the emulator (cargo feature `mock`); run `lasso-mock` instead".into(),
        crate::exit::FAILURE,
    ))
}
