//! Where the client cannot work: outside a tokio runtime, or in one built
//! without its time driver. Each call, stream and wait fails with a
//! `configuration` error saying what to do; none panics, and nothing is sent.
//! Also: a list stream sends nothing until it is polled.

mod common;

use std::future::{Future, IntoFuture};
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use common::*;
use futures_util::{Stream, TryStreamExt};
use lasso_ai::{Error, ErrorKind};
use serde_json::json;

/// A minimal executor that is not tokio (as `futures::executor::block_on`).
fn block_on<F: Future>(fut: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park_timeout(Duration::from_millis(50)),
        }
    }
}

/// The next item of a stream, on [`block_on`].
fn next_item<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    block_on(futures_util::StreamExt::next(stream))
}

fn needs_runtime(e: Error) {
    assert_eq!(e.kind(), ErrorKind::Configuration, "{e:?}");
    assert!(e.to_string().contains("needs a tokio runtime"), "{e}");
}

/// A server on a runtime of its own thread, so the test's thread has none.
fn server_elsewhere() -> (tokio::runtime::Runtime, TestServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(TestServer::always(balance_ok()));
    (runtime, server)
}

#[test]
fn a_call_outside_a_tokio_runtime_is_a_configuration_error_not_a_panic() {
    let (_runtime, server) = server_elsewhere();
    let client = client(&server);
    let e = block_on(client.credits().balance().into_future()).unwrap_err();
    needs_runtime(e);
    let mut rows = client.tables().iter_rows("tbl_1", Default::default());
    needs_runtime(next_item(&mut rows).unwrap().unwrap_err());
    let wait = client.tables().wait_for_completion("tbl_1").into_future();
    needs_runtime(block_on(wait).unwrap_err());
    let export = client.export().csv("tbl_1").into_future();
    needs_runtime(block_on(export).unwrap_err());
    assert_eq!(server.count(), 0, "nothing is sent");
}

#[test]
fn a_runtime_without_its_time_driver_is_the_same_error() {
    let (_runtime, server) = server_elsewhere();
    let client = client(&server);
    let no_time = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let e = no_time
        .block_on(client.credits().balance().into_future())
        .unwrap_err();
    needs_runtime(e);
    let rows = client.tables().iter_rows("tbl_1", Default::default());
    let e = no_time.block_on(rows.try_collect::<Vec<_>>()).unwrap_err();
    needs_runtime(e);
}

#[tokio::test]
async fn a_list_stream_sends_nothing_until_it_is_polled() {
    let page = json!({"data": [{"id": "row_1", "data": {"name": "Mug"}}],
                      "pagination": {"page": 1, "limit": 100, "total": 1}});
    let server = TestServer::always(Behaviour::json(200, page)).await;
    let client = client(&server);
    let unpolled = client.tables().iter_rows("tbl_1", Default::default());
    let rows = client.tables().iter_rows("tbl_1", Default::default());
    // Time for a request sent eagerly (by a spawned task) to arrive.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.count(), 0, "created streams sent a request");
    drop(unpolled);
    let rows: Vec<lasso_ai::Row> = rows.try_collect().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(server.count(), 1);
}
