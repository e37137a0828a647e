//! Clients that hold connections without finishing a request: headers that never end, a body
//! that stops, and more connections than the server keeps open. Each is closed or answered,
//! so a few thousand such clients cannot hold the server's file descriptors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{spawn, Options, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Short limits, so the test waits seconds, not the defaults' minutes.
async fn strict() -> TestApp {
    spawn(Options {
        tune: |c| {
            c.header_timeout = Duration::from_secs(1);
            c.body_timeout = Duration::from_secs(1);
            c.max_clients = 4;
        },
        ..Options::default()
    })
    .await
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// What the server sends until it closes the connection; panics if it is still open after
/// `within` (the server must have given up on the client by then).
async fn until_closed(stream: &mut TcpStream, within: Duration) -> String {
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, stream.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "the connection is still open after {within:?}");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn headers_that_never_end_are_cut_off() {
    let app = strict().await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /api/v1/time HTTP/1.1\r\nHost: quan\r\n")
        .await
        .unwrap();
    until_closed(&mut stream, Duration::from_secs(10)).await;
    // A connection that says nothing at all is closed too.
    let mut silent = connect(&app).await;
    until_closed(&mut silent, Duration::from_secs(10)).await;
}

#[tokio::test]
async fn a_body_that_stops_coming_is_refused_as_a_problem() {
    let app = strict().await;
    let (_, resident) = app.resident("slow").await;
    let mut stream = connect(&app).await;
    let head = format!(
        "POST /api/v1/claims HTTP/1.1\r\nHost: quan\r\nAuthorization: Bearer {resident}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 4"), "refused: {answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
}

#[tokio::test]
async fn connections_over_the_cap_are_closed_and_room_comes_back() {
    let app = spawn(Options {
        tune: |c| c.max_clients = 2,
        ..Options::default()
    })
    .await;
    let held = [connect(&app).await, connect(&app).await];
    let mut over = connect(&app).await;
    assert_eq!(
        until_closed(&mut over, Duration::from_secs(5)).await,
        "",
        "closed unanswered"
    );
    drop(held);
    // Once those close, a request gets through (the server notices them closing soon after).
    let mut answered = false;
    for _ in 0..100 {
        if let Ok(res) = app.client.get(app.url("/time")).send().await {
            answered = res.status() == 200;
            if answered {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(answered, "a request gets through once there is room");
}
