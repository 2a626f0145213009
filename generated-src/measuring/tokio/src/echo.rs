//! The measuring chapter's echo server on Tokio's current-thread runtime. It listens through
//! the chapter's C function echo_open, so the command line and the messages are the same as
//! the C servers'.
use std::ffi::CString;
use std::os::raw::{c_char, c_int, c_long};
use std::os::unix::io::FromRawFd;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::signal::unix::{signal, SignalKind};

const ECHO_BUFFER: usize = 16384;      // echo.h's ECHO_BUFFER

#[repr(C)]
struct EchoServer { name: *const c_char, listener: c_int, served: c_long }

#[link(name = "measuring", kind = "static")]
extern "C" {
    fn echo_open(s: *mut EchoServer, argc: c_int, argv: *mut *mut c_char) -> c_int;
    fn echo_close(s: *mut EchoServer);
}

/// Reads what comes and writes it back, until the client half-closes or is gone.
async fn echo(mut socket: TcpStream) {
    let mut buf = vec![0u8; ECHO_BUFFER];
    loop {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => if socket.write_all(&buf[..n]).await.is_err() { return },
        }
    }
}

fn main() {
    let args: Vec<CString> = std::env::args().map(|a| CString::new(a).unwrap()).collect();
    let mut argv: Vec<*mut c_char> = args.iter().map(|a| a.as_ptr() as *mut c_char).collect();
    argv.push(std::ptr::null_mut());
    let mut server = EchoServer { name: std::ptr::null(), listener: -1, served: 0 };
    if unsafe { echo_open(&mut server, args.len() as c_int, argv.as_mut_ptr()) } < 0 {
        std::process::exit(2);
    }
    let std_listener = unsafe { std::net::TcpListener::from_raw_fd(server.listener) };
    server.listener = -1;                      // the TcpListener closes it
    let rt = tokio::runtime::Builder::new_current_thread().enable_io().build().expect("runtime");
    server.served = rt.block_on(async move {
        let listener = TcpListener::from_std(std_listener).expect("listener");
        let mut int = signal(SignalKind::interrupt()).expect("SIGINT");
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM");
        let mut served = 0;
        loop {
            tokio::select! {
                accepted = listener.accept() => if let Ok((socket, _)) = accepted {
                    served += 1;
                    let _ = socket.set_nodelay(true);
                    tokio::spawn(echo(socket));
                },
                _ = int.recv() => return served,
                _ = term.recv() => return served,
            }
        }
    });
    drop(rt);
    unsafe { echo_close(&mut server) };
}
