//! A table's rows as Arrow, for `tables.toArrow` in `node/src/helpers.ts`:
//! the core decodes the pages into record batches and writes them as one
//! Arrow IPC stream, which apache-arrow's `tableFromIPC` reads.

use napi::bindgen_prelude::{Buffer, PromiseRaw};
use napi::{Env, Result};
use napi_derive::napi;

use crate::cancel::{Cancel, CancelToken};
use crate::errors::{guard, to_napi};
use crate::options::{request_options, CallOptions};
use crate::{spawn_guarded, NativeClient};

/// The table's rows, typed by its column definitions, as the bytes of an
/// Arrow IPC stream (schema first, then the record batches).
#[napi(
    ts_args_type = "client: NativeClient, tableId: string, options?: CallOptions | null, cancel?: CancelToken | null",
    ts_return_type = "Promise<Buffer>"
)]
pub fn table_arrow_ipc<'env>(
    env: &'env Env,
    client: &NativeClient,
    table_id: String,
    options: Option<CallOptions>,
    cancel: Option<&CancelToken>,
) -> Result<PromiseRaw<'env, Buffer>> {
    guard(|| {
        let opts = request_options(options.unwrap_or_default()).map_err(|e| to_napi(&e))?;
        let client = client.core()?;
        let cancel = Cancel::of(cancel);
        spawn_guarded(env, async move {
            cancel
                .run(async move {
                    let batches = client
                        .table_batches(&table_id, opts)
                        .await
                        .map_err(|e| to_napi(&e))?;
                    let bytes = batches.to_ipc().await.map_err(|e| to_napi(&e))?;
                    Ok(Buffer::from(bytes))
                })
                .await
        })
    })
}
